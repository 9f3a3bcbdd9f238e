import type { Clock } from "../core/clock.js";
import type { PolicyChange } from "./decide-pull.js";
import type { LruCache } from "../core/lru-cache.js";
import { IMPACT_HEADING, renderImpactMarkdown } from "../core/impact/render-impact-markdown.js";
import type { PreparedBase } from "../core/evaluate/prepare-base.js";
import type { DirectorySnapshot } from "../core/evaluate/pull-snapshot.js";
import { headTree, impactTeams } from "../core/impact/head-tree.js";
import { impactReport, type ImpactReport } from "../core/impact/impact-report.js";
import type { ReplayCoverage, ReplayRequest } from "../core/impact/replay-input.js";

/** A user met in the history: login, numeric id, account type. */
export interface HistoryUser {
  login: string;
  id: number;
  type?: string;
}

/** Where the impact of a policy change is read from: GitHub for the bot, a checkout for the CLI. */
export interface PolicyImpactPorts {
  /** The requests to replay (merged in the window, and open), and what the source could see. */
  history(): Promise<{ requests: ReplayRequest[]; users: HistoryUser[]; coverage: ReplayCoverage }>;
  /** Users and the members of `teams`; undefined when membership cannot be known (a checkout without --directory). */
  directory(users: HistoryUser[], teams: string[]): Promise<DirectorySnapshot | undefined>;
}

/**
 * The impact of replacing the `base` policy with the `head` one: reads the history through the
 * ports, the directory of exactly the teams either policy needs for it, and replays (core).
 */
export async function reportPolicyImpact(
  ports: PolicyImpactPorts,
  base: PreparedBase,
  head: PreparedBase,
): Promise<ImpactReport> {
  const history = await ports.history();
  const directory = await ports.directory(history.users, impactTeams(base, head, history.requests));
  return impactReport({
    base,
    head,
    requests: history.requests,
    coverage: history.coverage,
    ...(directory ? { directory } : {}),
  });
}

/**
 * The impact section of a policy change's check run, for the bot: computed once per head and base
 * (kept in the instance's `cache`), so review events reuse it instead of replaying the history.
 */
export function checkRunImpact(
  cache: LruCache<string>,
  /** The ports of one repository's history: merged since `since`, open, and `exclude`d pull requests left out. */
  portsOf: (history: { since: Date; now: Clock; exclude: number[] }) => PolicyImpactPorts,
  clock: Clock,
  sinceDays = 90,
): (input: PolicyChange) => Promise<string> {
  return async ({ repo, number, head, baseSha, base, snapshot, now }) => {
    const key = `${repo.key}#${number}@${head}..${baseSha}`;
    const kept = cache.get(key);
    if (kept !== undefined) return kept;
    const ports = portsOf({
      since: new Date(now.getTime() - sinceDays * 86_400_000),
      now: clock,
      exclude: [number],
    });
    const impact = await reportPolicyImpact(ports, base, headTree(base, snapshot)).then(
      (report) => renderImpactMarkdown(report),
      (e: Error) => `### ${IMPACT_HEADING}\n\nNot computed: ${e.message}`,
    );
    cache.set(key, impact);
    return impact;
  };
}
