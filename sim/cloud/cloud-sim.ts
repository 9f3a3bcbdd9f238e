import { LoopbackSim } from "../shared/loopback-sim.js";
import { countCalls, readsPerResource, type CallCounts } from "./call-stats.js";
import type { CloudFaultSpec } from "./faults.js";
import { AuditLogReader } from "./gcp/audit-log.js";
import { gcpServicesHandler } from "./gcp/gcp-services-handler.js";
import { GcpServiceResources } from "./gcp/service-calls.js";
import { GcpIamPolicies } from "./gcp/iam-policies.js";
import type { GcpBinding, GcpPolicy } from "./gcp/policy-types.js";
import { azureServicesHandler } from "./azure/azure-services-handler.js";
import type { PimSchedule } from "./azure/pim-schedules.js";
import { PimSchedules } from "./azure/pim-schedules.js";
import { createHttpService } from "./http-service.js";
import { kubernetesHandler } from "./kubernetes/kubernetes-handler.js";
import { Leases, type K8sLease } from "./kubernetes/leases.js";
import { RbacBindings, type K8sBinding } from "./kubernetes/rbac-bindings.js";
import type { CloudCall, CloudService, CloudServiceHandler, SimCaller } from "./types.js";

/** Options of `createCloudSim`. */
export interface CloudSimOptions {
  /** Clock for every server-side timestamp and expiry decision (default: the real clock). */
  clock?: () => Date;
}

/** Where each simulated service listens (all on 127.0.0.1). */
export interface CloudSimUrls {
  /** Base URL of Resource Manager v3, e.g. `http://127.0.0.1:41234`. */
  gcpUrl: string;
  /** Host and port for `@google-cloud/resource-manager` clients (`apiEndpoint`, `port`). */
  gcpEndpoint: { apiEndpoint: string; port: number };
  /** ARM base URL (`endpoint` of `AuthorizationManagementClient`). */
  azureUrl: string;
  /** Kubernetes API server URL (`server` of a kubeconfig cluster). */
  kubernetesUrl: string;
}

/** Embedded cloud endpoints for grants: GCP IAM policies, Azure PIM, Kubernetes RBAC; with a state API. */
export class CloudSim extends LoopbackSim<CloudSimUrls, CloudFaultSpec, CloudCall> {
  private readonly gcp = new GcpIamPolicies();
  private readonly pim: PimSchedules;
  private readonly rbac: RbacBindings;
  private readonly leases: Leases;
  private readonly services = new GcpServiceResources();
  private readonly callers = new Map<string, SimCaller>();
  private auditDelayMs = 0;
  private readonly auditLog: AuditLogReader;

  constructor(options: CloudSimOptions = {}) {
    super(options.clock);
    this.pim = new PimSchedules(this.clock);
    this.rbac = new RbacBindings(this.clock);
    this.leases = new Leases(this.clock);
    this.auditLog = new AuditLogReader(
      () => this.log,
      this.clock,
      (p) => this.services.dataAccessOn(p),
    );
  }

  /** Starts one loopback server per service on free ports. */
  protected async open(): Promise<CloudSimUrls> {
    const handlers: CloudServiceHandler[] = [
      gcpServicesHandler(this.gcp, this.services, this.auditLog, this.clock),
      azureServicesHandler(
        this.pim,
        this.clock,
        () => this.log,
        () => this.urls.azureUrl,
      ),
      kubernetesHandler(this.rbac, this.leases),
    ];
    const deps = {
      ...this.serverDeps,
      clock: this.clock,
      callerOf: (token: string) => this.callers.get(token),
      auditDelayMs: () => this.auditDelayMs,
    };
    const ports: number[] = [];
    for (const h of handlers) ports.push(await this.listen(createHttpService(h, deps)));
    const url = (port: number | undefined): string => `http://127.0.0.1:${port ?? 0}`;
    return {
      gcpUrl: url(ports[0]),
      gcpEndpoint: { apiEndpoint: "127.0.0.1", port: ports[0] ?? 0 },
      azureUrl: url(ports[1]),
      kubernetesUrl: url(ports[2]),
    };
  }

  // ---- GCP ----

  /** Makes a project, folder or organisation exist (`projects/p`); bindings on `parent` are inherited. */
  gcpCreateResource(resource: string, opts: { parent?: string } = {}): void {
    this.gcp.createResource(resource, opts.parent);
  }

  /** The stored policy in its version 3 form (conditions included). */
  gcpPolicy(resource: string): GcpPolicy {
    return this.gcp.read(resource, 3);
  }

  /** Replaces a policy without validation (seeding, e.g. other principals jitops must never touch); creates the resource. */
  gcpSetPolicy(resource: string, policy: { bindings: GcpBinding[] } | GcpBinding[]): GcpPolicy {
    return this.gcp.seed(resource, Array.isArray(policy) ? policy : policy.bindings);
  }

  /** Whether `member` (e.g. `user:alice@example.com`) holds `role` on `resource` at `at` (default now), conditions evaluated. */
  gcpHasAccess(resource: string, member: string, role: string, at: Date = this.clock()): boolean {
    return this.gcp.hasAccess(resource, member, role, at);
  }

  /** Adds a Cloud SQL instance to a project (`projects/p`), for principals to list and get. */
  gcpAddSqlInstance(project: string, name: string): void {
    this.services.addSqlInstance(project, name);
  }

  /** Adds a Storage bucket in a project, holding `objects`. */
  gcpAddBucket(bucket: string, project: string, objects: string[] = []): void {
    this.services.addBucket(bucket, project, objects);
  }

  /** Turns on Data Access audit logs for a project (off by default, as on GCP except BigQuery). */
  gcpEnableDataAccessLogs(project: string): void {
    this.services.enableDataAccess(project);
  }

  /** Every Cloud Audit Logs entry that has reached the logs by now, as `entries.list` returns them. */
  gcpAuditEntries(): Record<string, unknown>[] {
    return this.auditLog.entries();
  }

  // ---- audit ----

  /**
   * A bearer token for a principal: a GCP member (`user:alice@example.com`), an Azure object id, a
   * Kubernetes user. Calls made with it are attributed to that principal in the audit logs, and the
   * service calls (Cloud SQL, Storage, ARM resources) are authorised against its grants.
   */
  signIn(principal: string, opts: { delegatedBy?: string } = {}): string {
    const token = `sim-token-${this.callers.size + 1}-${principal.replace(/[^A-Za-z0-9]/g, "")}`;
    this.callers.set(token, { principal, ...(opts.delegatedBy ? { delegatedBy: opts.delegatedBy } : {}) });
    return token;
  }

  /** How long audit entries of calls made from now on take to reach the logs (Cloud Logging, Activity Log). */
  setAuditLogDelay(ms: number): void {
    this.auditDelayMs = ms;
  }

  // ---- Azure ----

  /** Bounds active PIM assignments of a built-in role (`"Reader"`, `"PT8H"`); `null` lifts the bound. */
  setPimMaxDuration(roleName: string, iso8601: string | null): void {
    this.pim.setMaxDuration(roleName, iso8601);
  }

  /** Whether the principal holds the role at `scope` (or via an enclosing scope) at `at` (default now), schedules evaluated. */
  azureHasAccess(scope: string, principalId: string, roleName: string, at: Date = this.clock()): boolean {
    return this.pim.hasAccess(scope, principalId, roleName, at);
  }

  /** Every PIM assignment schedule ever made (removed and expired included). */
  azureSchedules(): PimSchedule[] {
    return this.pim.all();
  }

  // ---- Kubernetes ----

  /** Makes a namespace exist (default, kube-system, kube-public and kube-node-lease do). */
  k8sAddNamespace(name: string): void {
    this.rbac.addNamespace(name);
  }

  /** Defines a Role (with `namespace`) or ClusterRole's verbs for `k8sCan` (view, edit, admin, cluster-admin are built in). */
  k8sDefineRole(name: string, verbs: string[], namespace?: string): void {
    this.rbac.defineRole(name, verbs, namespace);
  }

  /** Every RoleBinding and ClusterRoleBinding. */
  k8sBindings(): K8sBinding[] {
    return this.rbac.all();
  }

  /** Every coordination.k8s.io Lease the API server holds. */
  k8sLeases(): K8sLease[] {
    return this.leases.all();
  }

  /** Whether `user` (or `system:serviceaccount:ns:name`) is bound to `role` in `namespace`, and may `verb` when given. */
  k8sCan(query: { user: string; namespace: string; role: string; verb?: string }): boolean {
    return this.rbac.can(query);
  }

  // ---- counting ----

  /** Calls since the last reset, split into reads and writes, of one service or all. */
  calls(service?: CloudService): CallCounts {
    return countCalls(this.log, service);
  }

  /** Reads per resource since the last reset, keyed `service:resource`. */
  readsPerResource(service?: CloudService): Record<string, number> {
    return readsPerResource(this.log, service);
  }
}

/** Creates the embedded cloud endpoints; call `start()` to listen on loopback. */
export function createCloudSim(options: CloudSimOptions = {}): CloudSim {
  return new CloudSim(options);
}
