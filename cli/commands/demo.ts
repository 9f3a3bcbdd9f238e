import type { Clock } from "../../core/clock.js";
import type { Env } from "../../core/env.js";
import { runDemo, type DemoStep } from "../demo/run-demo.js";
import { paint, type Output } from "../output.js";

function clockOf(minutes: number): string {
  const h = Math.floor(minutes / 60);
  return `+${String(h).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** `jitops demo`: the whole lifecycle on the embedded GitHub and clouds; exit 0 when every step held. */
export async function runDemoCommand(
  opts: { json?: boolean },
  o: Output,
  now: Clock,
  env: Env,
): Promise<number> {
  if (!opts.json)
    o.out(
      paint(
        o,
        "bold",
        "jitops demo: access as a pull request, on an embedded GitHub and cloud (accelerated clock)",
      ),
    );
  const onStep = (s: DemoStep) => {
    if (opts.json) return;
    const mark = s.ok ? paint(o, "green", "✓") : paint(o, "red", "✗");
    o.out(`${paint(o, "dim", clockOf(s.at))}  ${mark} ${s.name.padEnd(34)} ${s.detail}`);
  };
  const result = await runDemo({ now, env }, onStep);
  if (opts.json) {
    o.out(
      JSON.stringify({
        ok: result.ok,
        steps: result.steps.map(({ name, ok, detail }) => ({ name, ok, detail })),
      }),
    );
  } else {
    const failed = result.steps.find((s) => !s.ok);
    if (failed && failed.name === "error") o.out(`${paint(o, "red", "✗")} ${failed.detail}`);
    o.out(
      result.ok
        ? paint(o, "green", `all ${result.steps.length} steps held`)
        : paint(o, "red", `the demo failed at ${failed?.name ?? "?"}`),
    );
  }
  return result.ok ? 0 : 1;
}
