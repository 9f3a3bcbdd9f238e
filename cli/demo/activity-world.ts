import { OAuth2Client } from "google-auth-library";
import { azureActivityLogReader } from "../../activity/azure-activity-log-reader.js";
import { gcpAuditLogReader } from "../../activity/gcp-audit-log-reader.js";
import { gcpRoleReader } from "../../activity/gcp-role-reader.js";
import type { ActivityReader } from "../../app/activity-record.js";
import type { RoleCatalogue } from "../../app/rightsize.js";
import type { CloudSim } from "../../sim/cloud/index.js";

/** The demo's production project, its Cloud SQL instance and the deploy workload's bucket. */
export const PROD = { project: "projects/acme-prod", instance: "orders-db", bucket: "acme-releases" };
/** The deploy workload's service account (policies/workloads.yaml) and the broad role it was given by hand. */
export const DEPLOYER = {
  member: "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com",
  role: "roles/storage.admin",
};

/** One call a principal made, for checking a record against. */
export interface MadeCall {
  method: string;
  status: number;
}

/** Seeds what principals call in the demo: a Cloud SQL instance, a bucket, Data Access logs on, and the deployer's broad role. */
export function seedActivity(cloud: CloudSim): void {
  cloud.gcpAddSqlInstance(PROD.project, PROD.instance);
  cloud.gcpAddBucket(PROD.bucket, PROD.project, ["api/v1.4.2.tar.gz", "api/v1.4.3.tar.gz"]);
  cloud.gcpEnableDataAccessLogs(PROD.project);
  const policy = cloud.gcpPolicy(PROD.project);
  cloud.gcpSetPolicy(PROD.project, [
    ...(policy.bindings ?? []),
    { role: DEPLOYER.role, members: [DEPLOYER.member] },
  ]);
}

async function call(url: string, token: string, method = "GET"): Promise<number> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

/** Alice, during her prod-db-reader window: lists and reads the instance, then tries a restart her role does not allow. */
export async function aliceWorks(cloud: CloudSim, member: string): Promise<MadeCall[]> {
  const token = cloud.signIn(member);
  const base = `${cloud.urls.gcpUrl}/v1/projects/acme-prod/instances`;
  return [
    { method: "cloudsql.instances.list", status: await call(base, token) },
    { method: "cloudsql.instances.get", status: await call(`${base}/${PROD.instance}`, token) },
    {
      method: "cloudsql.instances.restart",
      status: await call(`${base}/${PROD.instance}/restart`, token, "POST"),
    },
  ];
}

/** The deploy workload: lists the releases bucket and downloads one release: 2 permissions of its broad role. */
export async function deployerWorks(cloud: CloudSim): Promise<MadeCall[]> {
  const token = cloud.signIn(DEPLOYER.member);
  const base = `${cloud.urls.gcpUrl}/storage/v1/b/${PROD.bucket}/o`;
  return [
    { method: "storage.objects.list", status: await call(base, token) },
    { method: "storage.objects.get", status: await call(`${base}/api%2Fv1.4.3.tar.gz`, token) },
  ];
}

/** The real log readers, pointed at the embedded cloud instead of Cloud Logging and ARM. */
export function simActivityReaders(cloud: CloudSim, now: () => Date): ActivityReader[] {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "jitops-demo" });
  const credential = {
    getToken: async () => ({ token: "jitops-demo", expiresOnTimestamp: Date.now() + 3600_000 }),
  };
  return [
    gcpAuditLogReader({ endpoint: cloud.urls.gcpUrl, auth }),
    azureActivityLogReader(credential, { endpoint: cloud.urls.azureUrl, allowInsecureConnection: true, now }),
  ];
}

/** The real IAM roles reader, pointed at the embedded cloud. */
export function simRoleCatalogues(cloud: CloudSim): RoleCatalogue[] {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "jitops-demo" });
  return [gcpRoleReader({ endpoint: cloud.urls.gcpUrl, auth })];
}
