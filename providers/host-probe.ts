import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { gcpMetadata } from "google-auth-library";

/** What credential discovery may look at on this machine, without the network; tests pass their own. */
export interface HostProbe {
  platform: NodeJS.Platform;
  exists(path: string): boolean;
  /** Whether this is a Google Cloud machine (BIOS, MAC, serverless env): its metadata server answers. */
  onGcp(): boolean;
  /** Whether this is an Azure VM (its DMI chassis asset tag): its instance metadata service answers. */
  onAzureVm(): boolean;
}

/** Azure sets this chassis asset tag on every VM it runs (what cloud-init's ds-identify checks). */
const AZURE_ASSET_TAG = "7783-7084-3265-9085-8269-3286-77";

/** The real machine. */
export const THIS_HOST: HostProbe = {
  platform: process.platform,
  exists: (path) => existsSync(path),
  // google-auth-library's own check, without its metadata server probe.
  onGcp: () => gcpMetadata.getGCPResidency(),
  onAzureVm: () => {
    try {
      return (
        process.platform === "linux" &&
        readFileSync("/sys/class/dmi/id/chassis_asset_tag", "utf8").trim() === AZURE_ASSET_TAG
      );
    } catch {
      return false;
    }
  },
};

/** Whether an executable is on PATH (the Azure CLI and friends), as the shell would find it. */
export function onPath(name: string, env: NodeJS.ProcessEnv, probe: HostProbe): boolean {
  const exts = probe.platform === "win32" ? [".cmd", ".exe", ".bat", ""] : [""];
  return (env.PATH ?? env.Path ?? "")
    .split(probe.platform === "win32" ? ";" : delimiter)
    .filter(Boolean)
    .some((dir) => exts.some((ext) => probe.exists(join(dir, name + ext))));
}
