/** What a CODEOWNERS owner token names. */
export type OwnerKind = "user" | "team" | "email";

// The owner forms GitHub documents (`@username`, `@org/team-name`, an email address), with the
// character sets of hmarr/codeowners (MIT), which follows GitHub; the email's top-level domain may
// be longer than six letters (`ops@acme.example`).
const USER = /^@[A-Za-z0-9_-]+$/;
const TEAM = /^@[A-Za-z0-9-]+\/[A-Za-z0-9_-]+$/;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,63}$/;

/** The kind of owner `token` is, or undefined when GitHub would not accept it (and skip its line). */
export function ownerKind(token: string): OwnerKind | undefined {
  if (USER.test(token)) return "user";
  if (TEAM.test(token)) return "team";
  if (EMAIL.test(token)) return "email";
  return undefined;
}
