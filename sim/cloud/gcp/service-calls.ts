import { GcpError } from "../../shared/gcp-error.js";
import type { CallAudit, CloudReply, CloudRequest } from "../types.js";
import type { GcpIamPolicies } from "./iam-policies.js";
import { PREDEFINED_ROLES } from "./predefined-roles.js";

/** Cloud SQL instances and Storage buckets a principal can call once granted a role. */
export class GcpServiceResources {
  private readonly instances = new Map<string, Set<string>>();
  private readonly buckets = new Map<string, { project: string; objects: Set<string> }>();
  private readonly dataAccess = new Set<string>();

  addSqlInstance(project: string, name: string): void {
    const set = this.instances.get(project) ?? new Set<string>();
    set.add(name);
    this.instances.set(project, set);
  }

  addBucket(bucket: string, project: string, objects: string[]): void {
    this.buckets.set(bucket, { project, objects: new Set(objects) });
  }

  /** Turns on Data Access audit logs (DATA_READ, DATA_WRITE, ADMIN_READ) for every service of a project. */
  enableDataAccess(project: string): void {
    this.dataAccess.add(project);
  }

  dataAccessOn(project: string): boolean {
    return this.dataAccess.has(project);
  }

  sqlInstances(project: string): string[] {
    return [...(this.instances.get(project) ?? [])].sort();
  }

  bucket(name: string): { project: string; objects: Set<string> } | undefined {
    return this.buckets.get(name);
  }
}

interface Route {
  pattern: RegExp;
  method: string;
  service: string;
  permission: string;
  /** Admin Activity for writes of configuration; Data Access for reads and data. */
  log: "activity" | "data_access";
  answer(m: RegExpExecArray, r: GcpServiceResources): { project: string; resource: string; body: unknown };
}

function bucketOf(r: GcpServiceResources, name: string | undefined) {
  const b = r.bucket(name ?? "");
  if (!b) throw new GcpError(404, `The specified bucket does not exist.`);
  return b;
}

// Paths as Cloud SQL Admin v1 (sqladmin.googleapis.com/v1/projects/P/instances) and the Storage JSON
// API (storage.googleapis.com/storage/v1/b/B/o) spell them; the methodName is what their audit logs use.
const ROUTES: Route[] = [
  {
    pattern: /^\/v1\/projects\/([^/]+)\/instances$/,
    method: "GET",
    service: "cloudsql.googleapis.com",
    permission: "cloudsql.instances.list",
    log: "data_access",
    answer: (m, r) => ({
      project: `projects/${m[1]}`,
      resource: `projects/${m[1]}`,
      body: { items: r.sqlInstances(`projects/${m[1]}`).map((name) => ({ name, project: m[1] })) },
    }),
  },
  {
    pattern: /^\/v1\/projects\/([^/]+)\/instances\/([^/]+)$/,
    method: "GET",
    service: "cloudsql.googleapis.com",
    permission: "cloudsql.instances.get",
    log: "data_access",
    answer: (m, r) => {
      if (!r.sqlInstances(`projects/${m[1]}`).includes(m[2] ?? ""))
        throw new GcpError(404, `The Cloud SQL instance does not exist.`);
      return {
        project: `projects/${m[1]}`,
        resource: `projects/${m[1]}/instances/${m[2]}`,
        body: { name: m[2], project: m[1], state: "RUNNABLE" },
      };
    },
  },
  {
    pattern: /^\/v1\/projects\/([^/]+)\/instances\/([^/]+)\/restart$/,
    method: "POST",
    service: "cloudsql.googleapis.com",
    permission: "cloudsql.instances.restart",
    log: "activity",
    answer: (m) => ({
      project: `projects/${m[1]}`,
      resource: `projects/${m[1]}/instances/${m[2]}`,
      body: { kind: "sql#operation", operationType: "RESTART", status: "PENDING" },
    }),
  },
  {
    pattern: /^\/storage\/v1\/b\/([^/]+)\/o$/,
    method: "GET",
    service: "storage.googleapis.com",
    permission: "storage.objects.list",
    log: "data_access",
    answer: (m, r) => {
      const b = bucketOf(r, m[1]);
      return {
        project: b.project,
        resource: `projects/_/buckets/${m[1]}`,
        body: {
          kind: "storage#objects",
          items: [...b.objects].sort().map((name) => ({ name, bucket: m[1] })),
        },
      };
    },
  },
  {
    pattern: /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/,
    method: "GET",
    service: "storage.googleapis.com",
    permission: "storage.objects.get",
    log: "data_access",
    answer: (m, r) => {
      const b = bucketOf(r, m[1]);
      if (!b.objects.has(m[2] ?? "")) throw new GcpError(404, `No such object: ${m[1]}/${m[2]}`);
      return {
        project: b.project,
        resource: `projects/_/buckets/${m[1]}/objects/${m[2]}`,
        body: { kind: "storage#object", name: m[2], bucket: m[1] },
      };
    },
  },
  {
    pattern: /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/,
    method: "DELETE",
    service: "storage.googleapis.com",
    permission: "storage.objects.delete",
    log: "data_access",
    answer: (m, r) => {
      const b = bucketOf(r, m[1]);
      b.objects.delete(m[2] ?? "");
      return { project: b.project, resource: `projects/_/buckets/${m[1]}/objects/${m[2]}`, body: undefined };
    },
  },
];

/** Whether a path is one of the service calls the simulator answers. */
export function isServiceCall(path: string): boolean {
  return ROUTES.some((r) => r.pattern.test(path));
}

/** The permission and log of a service call, for the call log. */
export function serviceCallClass(req: CloudRequest): { permission: string; resource: string } | undefined {
  for (const r of ROUTES) {
    const m = r.pattern.exec(req.path);
    if (m && r.method === req.method) return { permission: r.permission, resource: m[0] };
  }
  return undefined;
}

/**
 * A Cloud SQL or Storage call by a signed-in principal: allowed when a role the simulator knows to
 * include the permission is bound to it on the project (conditions evaluated at `now`), refused with
 * 403 otherwise. Either way the reply carries what the audit log records.
 */
export function answerServiceCall(
  req: CloudRequest,
  resources: GcpServiceResources,
  policies: GcpIamPolicies,
  now: Date,
): CloudReply {
  const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(req.path));
  if (!route) throw new GcpError(404, `Method not found: ${req.method} ${req.path}`);
  if (!req.caller) throw new GcpError(401, "Request had invalid authentication credentials.");
  const m = route.pattern.exec(req.path)!;
  const member = req.caller.principal;
  const answer = route.answer(m, resources);
  const granted = PREDEFINED_ROLES.some(
    (role) =>
      role.includedPermissions.includes(route.permission) &&
      policies.hasAccess(answer.project, member, role.name, now),
  );
  const audit: CallAudit = {
    serviceName: route.service,
    methodName: route.permission,
    resourceName: answer.resource,
    permission: route.permission,
    granted,
    log: route.log,
    container: answer.project,
  };
  if (!granted)
    return {
      status: 403,
      body: {
        error: {
          code: 403,
          message: `Permission '${route.permission}' denied on resource '${answer.resource}' (or it may not exist).`,
          status: "PERMISSION_DENIED",
        },
      },
      audit,
    };
  return { status: 200, body: answer.body, audit };
}
