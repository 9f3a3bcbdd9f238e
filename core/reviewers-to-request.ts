import type { Decision } from "./evaluate/decision.js";

/** Teams (slugs of the repo's org) and users who can still satisfy an unmet rule. */
export function reviewersToRequest(
  d: Decision,
  org: string,
  author: string,
): { teams: string[]; users: string[] } {
  const teams = new Set<string>();
  const users = new Set<string>();
  const rules = [...d.requests.flatMap((r) => r.rules), ...(d.policy?.rules ?? [])];
  for (const rule of rules) {
    if (rule.have >= rule.need) continue;
    for (const t of rule.candidates.teams) {
      const [o, slug] = t.split("/");
      if (o?.toLowerCase() === org.toLowerCase() && slug) teams.add(slug);
    }
    for (const u of rule.candidates.users) if (u.toLowerCase() !== author.toLowerCase()) users.add(u);
  }
  return { teams: [...teams].sort(), users: [...users].sort() };
}
