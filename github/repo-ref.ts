/** A repository on GitHub. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** `owner/repo`. */
export function fullName(r: RepoRef): string {
  return `${r.owner}/${r.repo}`;
}
