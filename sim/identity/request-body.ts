import type { SimRequest } from "./types.js";

/** Whether the request body is `application/x-www-form-urlencoded`. */
export function isForm(req: SimRequest): boolean {
  return (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
}
