import type { TokenCredential } from "@azure/identity";
import type { FederatedCredential } from "../core/trust/azure-trust.js";
import { abortLate } from "./with-deadline.js";

/** Microsoft Graph; the embedded cloud replaces it in the demo and tests. */
export const GRAPH = "https://graph.microsoft.com";

/**
 * Federated identity credentials of an app registration, addressed by its client id
 * (`applications(appId='…')`). Two calls on one resource: plain fetch with a Graph token is
 * smaller than the Graph SDK and keeps the requests visible.
 */
export function graphCredentialsClient(credential: TokenCredential, graph = GRAPH, deadlineMs?: number) {
  const call = async (method: string, path: string, body?: unknown) => {
    const token = await credential.getToken(`${graph.replace(/\/$/, "")}/.default`);
    const send = (signal?: AbortSignal) =>
      fetch(`${graph}/v1.0/applications(appId='${path}`, {
        method,
        headers: { Authorization: `Bearer ${token?.token ?? ""}`, "Content-Type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    // With a deadline, a black-holed connection is dropped shortly after the caller reported it.
    const res = deadlineMs === undefined ? await send() : await abortLate(deadlineMs, send);
    if (!res.ok)
      throw Object.assign(
        new Error(`Graph ${method} answered ${res.status}: ${(await res.text()).slice(0, 300)}`),
        { status: res.status },
      );
    return res.status === 204 ? undefined : ((await res.json()) as unknown);
  };
  return {
    async list(clientId: string): Promise<(FederatedCredential & { id: string })[]> {
      const out = (await call("GET", `${clientId}')/federatedIdentityCredentials`)) as {
        value: (FederatedCredential & { id: string })[];
      };
      return out.value.map(({ id, name, issuer, subject, audiences }) => ({
        id,
        name,
        issuer,
        subject,
        audiences,
      }));
    },
    async add(clientId: string, c: FederatedCredential): Promise<void> {
      await call("POST", `${clientId}')/federatedIdentityCredentials`, c);
    },
    async remove(clientId: string, id: string): Promise<void> {
      await call("DELETE", `${clientId}')/federatedIdentityCredentials/${id}`);
    },
  };
}
