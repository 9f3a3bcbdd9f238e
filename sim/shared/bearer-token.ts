import type { IncomingHttpHeaders } from "node:http";

/** The bearer token of the Authorization header, if any. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const m = /^bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return m?.[1];
}
