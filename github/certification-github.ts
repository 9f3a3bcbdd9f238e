import type { CertifyPorts } from "../app/certify-ports.js";
import type { HeldGrant } from "../core/certification/build-record.js";
import { certificationPath } from "../core/certification/certification-path.js";
import type { DirectorySnapshot } from "../core/evaluate/pull-snapshot.js";
import { desiredBindings, type MergedRequest } from "../core/plan/desired-bindings.js";
import { readMergedRequests } from "./read-merged-requests.js";
import type { GitHubSession } from "./github-caches.js";
import { defaultBranchHead } from "./default-branch.js";
import { readBase } from "./read-base.js";
import { readTeam } from "./read-directory.js";
import { readFileAt } from "./read-file.js";
import type { RepoRef } from "./repo-ref.js";
import { openPullFrom } from "./start-branch.js";

/**
 * The certify use case's ports on the GitHub REST API: the default branch, the base tree, teams
 * and users, the request files on the default branch, and the certification pull request on
 * `jitops/certify/<policy>` with its comments.
 */
export function certificationGitHub(s: GitHubSession, r: RepoRef): Omit<CertifyPorts, "decide"> {
  const { gh } = s;
  return {
    async head() {
      const { name, headSha } = await defaultBranchHead(gh, r);
      return { branch: name, sha: headSha };
    },
    base: (sha) => readBase(s, r, sha),
    async directory(teams, users) {
      const dir: DirectorySnapshot = { users: {}, teams: {} };
      for (const team of teams) {
        const members = await readTeam(s, team);
        dir.teams[team] = members.map((m) => m.login);
        for (const m of members) dir.users[m.login] = { id: m.id };
      }
      for (const login of users) {
        if (Object.keys(dir.users).some((l) => l.toLowerCase() === login.toLowerCase())) continue;
        try {
          const { data } = await gh.request("GET /users/{username}", { username: login });
          dir.users[data.login] = { id: Number(data.id) };
        } catch (e) {
          // A listed login GitHub does not know stays in the record without an id.
          if ((e as { status?: number }).status !== 404) throw e;
        }
      }
      return dir;
    },
    async held(sha, policy, now) {
      const merged: MergedRequest[] = (await readMergedRequests(s, r, sha, policy)).flatMap((q) =>
        q.checked && q.commit.author
          ? [{ checked: q.checked, requester: q.commit.author, mergedAt: q.commit.date }]
          : [],
      );
      const byRequest = new Map<string, HeldGrant>();
      for (const b of desiredBindings(merged, policy).bindings) {
        const from = new Date(b.notBefore);
        const until = new Date(b.notAfter);
        if (from > now || until <= now) continue;
        byRequest.set(b.requestId, {
          request: b.requestId,
          login: b.login,
          entitlement: b.entitlement,
          from,
          until,
        });
      }
      return [...byRequest.values()];
    },
    async findOpen(policy) {
      const branch = `jitops/certify/${policy}`;
      const pr = await openPullFrom(gh, r, branch);
      if (!pr) return undefined;
      const record = await readFileAt(s, r, certificationPath(policy), pr.head.sha);
      return { number: pr.number, headSha: pr.head.sha, ...(record !== undefined ? { record } : {}) };
    },
    async open(input) {
      try {
        await gh.request("POST /repos/{owner}/{repo}/git/refs", {
          ...r,
          ref: `refs/heads/${input.branch}`,
          sha: input.baseSha,
        });
      } catch (e) {
        if ((e as { status?: number }).status !== 422) throw e;
        // Left by an earlier certification (merged) or a run that stopped before opening its PR:
        // no open PR uses it (findOpen said so), so start it afresh at the default branch's head.
        await gh.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
          ...r,
          ref: `heads/${input.branch}`,
          sha: input.baseSha,
          force: true,
        });
      }
      const existing = await gh
        .request("GET /repos/{owner}/{repo}/contents/{path}", { ...r, path: input.path, ref: input.branch })
        .then(
          ({ data }) => (!Array.isArray(data) && data.type === "file" ? data.sha : undefined),
          (e: { status?: number }) => {
            if (e.status === 404) return undefined;
            throw e;
          },
        );
      const { data: written } = await gh.request("PUT /repos/{owner}/{repo}/contents/{path}", {
        ...r,
        path: input.path,
        branch: input.branch,
        message: input.title,
        content: Buffer.from(input.content, "utf8").toString("base64"),
        ...(existing ? { sha: existing } : {}),
      });
      const { data: pr } = await gh.request("POST /repos/{owner}/{repo}/pulls", {
        ...r,
        title: input.title,
        head: input.branch,
        base: input.base,
        body: input.body,
      });
      return { number: pr.number, headSha: written.commit.sha ?? pr.head.sha };
    },
    async comments(pr) {
      const list = await gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...r,
        issue_number: pr,
        per_page: 100,
      });
      return list.map((c) => c.body ?? "");
    },
    async comment(pr, body) {
      await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...r,
        issue_number: pr,
        body,
      });
    },
  };
}
