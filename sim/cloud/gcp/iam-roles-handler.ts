import { GcpError } from "../../shared/gcp-error.js";
import type { CloudReply, CloudRequest } from "../types.js";
import { PREDEFINED_ROLES, type GcpRole } from "./predefined-roles.js";

/** `GET /v1/roles/ID` (roles.get) or `GET /v1/roles` (roles.list). */
export const IAM_ROLES_ROUTE = /^\/v1\/roles(?:\/([^/]+))?$/;

function roleJson(r: GcpRole, full: boolean): unknown {
  return {
    name: r.name,
    title: r.title,
    description: r.description,
    ...(full ? { includedPermissions: r.includedPermissions } : {}),
    stage: "GA",
    etag: "AA==",
  };
}

/**
 * IAM predefined roles (https://cloud.google.com/iam/docs/reference/rest/v1/roles): `get` always
 * includes `includedPermissions`; `list` only with `view=FULL`, paged by `pageSize` (at most 1000)
 * and `pageToken`.
 */
export function answerIamRoles(req: CloudRequest): CloudReply {
  const m = IAM_ROLES_ROUTE.exec(req.path);
  if (!m || req.method !== "GET") throw new GcpError(404, `Method not found: ${req.method} ${req.path}`);
  if (m[1]) {
    const role = PREDEFINED_ROLES.find((r) => r.name === `roles/${m[1]}`);
    if (!role) throw new GcpError(404, `The role named roles/${m[1]} was not found.`);
    return { status: 200, body: roleJson(role, true) };
  }
  const size = Math.min(Number(req.query.get("pageSize") ?? "300") || 300, 1000);
  const from = Number(req.query.get("pageToken") ?? "0") || 0;
  const full = req.query.get("view") === "FULL";
  const page = PREDEFINED_ROLES.slice(from, from + size);
  const next = from + size < PREDEFINED_ROLES.length ? String(from + size) : undefined;
  return {
    status: 200,
    body: { roles: page.map((r) => roleJson(r, full)), ...(next ? { nextPageToken: next } : {}) },
  };
}
