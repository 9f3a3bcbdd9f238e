import { checkRequest } from "../../core/check-request.js";
import { prepareBase } from "../../core/evaluate/prepare-base.js";
import { desiredBindings } from "../../core/plan/desired-bindings.js";
import { diffBindings } from "../../core/plan/diff-bindings.js";
import { renderPlan } from "../../core/plan/render-plan.js";
import { listYaml, readFiles } from "../../tree/read-files.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import type { Output } from "../output.js";

/** `jitops plan`: the bindings the checkout's requests would get if merged now by `author`; no cloud access. */
export async function runPlan(
  files: string[],
  opts: { author: string; json?: boolean; root: string; now: Date },
  o: Output,
): Promise<number> {
  // Whole seconds: a plan is read by people, and expiries land on the second.
  opts = { ...opts, now: new Date(Math.floor(opts.now.getTime() / 1000) * 1000) };
  const base = prepareBase(await readRepoBase(opts.root));
  const policy = base.loaded.policy;
  if (!policy) {
    o.err("jitops plan: the policy under policies/ has errors; run jitops validate");
    return 1;
  }
  const paths = files.length > 0 ? files : await listYaml(opts.root, "access/requests");
  const merged = [];
  for (const f of await readFiles(opts.root, paths)) {
    const r = checkRequest(f, policy, opts.now);
    if (!r.ok) {
      o.err(`${f.path}: invalid (${r.errors.map((e) => e.code).join(", ")}); run jitops validate`);
      return 1;
    }
    merged.push({ checked: r.value, requester: opts.author, mergedAt: opts.now });
  }
  const { bindings, unbindable } = desiredBindings(merged, policy);
  const plan = diffBindings(bindings, [], opts.now);
  if (opts.json) {
    o.out(JSON.stringify({ plan, unbindable }));
  } else {
    o.out(renderPlan(plan, opts.now));
    for (const u of unbindable) o.out(`cannot bind ${u.requestId}: ${u.reason}`);
  }
  return unbindable.length > 0 ? 1 : 0;
}
