import type { RoleDefinition } from "./role-definition.js";

/**
 * A small catalogue of predefined roles to propose when the cloud's role list cannot be read
 * (roles.list needs no permission on GCP, but a proxy or an air-gapped run may block it). It is
 * deliberately not all of GCP's roles: the cloud's own roles.list is preferred, and these lists
 * follow https://cloud.google.com/iam/docs/roles-permissions and
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles as of 2026.
 */
export const EMBEDDED_ROLES: readonly RoleDefinition[] = [
  {
    provider: "gcp",
    name: "roles/storage.objectViewer",
    title: "Storage Object Viewer",
    permissions: [
      "resourcemanager.projects.get",
      "resourcemanager.projects.list",
      "storage.folders.get",
      "storage.folders.list",
      "storage.managedFolders.get",
      "storage.managedFolders.list",
      "storage.objects.get",
      "storage.objects.list",
    ],
  },
  {
    provider: "gcp",
    name: "roles/storage.objectCreator",
    title: "Storage Object Creator",
    permissions: [
      "resourcemanager.projects.get",
      "resourcemanager.projects.list",
      "storage.folders.create",
      "storage.managedFolders.create",
      "storage.multipartUploads.abort",
      "storage.multipartUploads.create",
      "storage.multipartUploads.listParts",
      "storage.objects.create",
    ],
  },
  {
    provider: "gcp",
    name: "roles/cloudsql.viewer",
    title: "Cloud SQL Viewer",
    permissions: [
      "cloudsql.backupRuns.get",
      "cloudsql.backupRuns.list",
      "cloudsql.databases.get",
      "cloudsql.databases.list",
      "cloudsql.instances.export",
      "cloudsql.instances.get",
      "cloudsql.instances.list",
      "cloudsql.sslCerts.get",
      "cloudsql.sslCerts.list",
      "cloudsql.users.list",
      "resourcemanager.projects.get",
      "resourcemanager.projects.list",
    ],
  },
  {
    provider: "gcp",
    name: "roles/cloudsql.client",
    title: "Cloud SQL Client",
    permissions: [
      "cloudsql.instances.connect",
      "cloudsql.instances.get",
      "resourcemanager.projects.get",
      "resourcemanager.projects.list",
    ],
  },
  {
    provider: "gcp",
    name: "roles/logging.viewer",
    title: "Logs Viewer",
    permissions: [
      "logging.buckets.get",
      "logging.buckets.list",
      "logging.exclusions.get",
      "logging.exclusions.list",
      "logging.logEntries.list",
      "logging.logs.list",
      "logging.logServiceIndexes.list",
      "logging.logServices.list",
      "logging.queries.list",
      "logging.sinks.get",
      "logging.sinks.list",
      "logging.views.get",
      "logging.views.list",
      "resourcemanager.projects.get",
    ],
  },
  {
    provider: "azure",
    name: "Reader",
    permissions: ["*/read"],
  },
  {
    provider: "azure",
    name: "Storage Blob Data Reader",
    permissions: [
      "Microsoft.Storage/storageAccounts/blobServices/containers/read",
      "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
    ],
  },
  {
    provider: "azure",
    name: "Storage Blob Data Contributor",
    permissions: [
      "Microsoft.Storage/storageAccounts/blobServices/containers/delete",
      "Microsoft.Storage/storageAccounts/blobServices/containers/read",
      "Microsoft.Storage/storageAccounts/blobServices/containers/write",
      "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
    ],
  },
];
