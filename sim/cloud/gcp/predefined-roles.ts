/** A predefined GCP role as IAM's `roles.get` returns it. */
export interface GcpRole {
  name: string;
  title: string;
  description: string;
  includedPermissions: string[];
}

const project = ["resourcemanager.projects.get", "resourcemanager.projects.list"];

/**
 * The predefined roles the simulator knows, with their permissions (a subset of each real role's
 * list where the real one is long: https://cloud.google.com/iam/docs/roles-permissions). Grants of
 * other roles still bind; calls are allowed only through roles listed here.
 */
export const PREDEFINED_ROLES: readonly GcpRole[] = [
  {
    name: "roles/storage.admin",
    title: "Storage Admin",
    description: "Grants full control of buckets, managed folders and objects.",
    includedPermissions: [
      ...project,
      "storage.buckets.create",
      "storage.buckets.delete",
      "storage.buckets.get",
      "storage.buckets.getIamPolicy",
      "storage.buckets.list",
      "storage.buckets.setIamPolicy",
      "storage.buckets.update",
      "storage.folders.create",
      "storage.folders.delete",
      "storage.folders.get",
      "storage.folders.list",
      "storage.managedFolders.create",
      "storage.managedFolders.delete",
      "storage.managedFolders.get",
      "storage.managedFolders.list",
      "storage.multipartUploads.abort",
      "storage.multipartUploads.create",
      "storage.multipartUploads.list",
      "storage.multipartUploads.listParts",
      "storage.objects.create",
      "storage.objects.delete",
      "storage.objects.get",
      "storage.objects.getIamPolicy",
      "storage.objects.list",
      "storage.objects.setIamPolicy",
      "storage.objects.update",
    ],
  },
  {
    name: "roles/storage.objectAdmin",
    title: "Storage Object Admin",
    description:
      "Grants full control over objects, including listing, creating, viewing, and deleting objects.",
    includedPermissions: [
      ...project,
      "storage.folders.create",
      "storage.folders.delete",
      "storage.folders.get",
      "storage.folders.list",
      "storage.managedFolders.create",
      "storage.managedFolders.delete",
      "storage.managedFolders.get",
      "storage.managedFolders.list",
      "storage.multipartUploads.abort",
      "storage.multipartUploads.create",
      "storage.multipartUploads.list",
      "storage.multipartUploads.listParts",
      "storage.objects.create",
      "storage.objects.delete",
      "storage.objects.get",
      "storage.objects.list",
      "storage.objects.update",
    ],
  },
  {
    name: "roles/storage.objectViewer",
    title: "Storage Object Viewer",
    description: "Grants access to view objects and their metadata, excluding ACLs.",
    includedPermissions: [
      ...project,
      "storage.folders.get",
      "storage.folders.list",
      "storage.managedFolders.get",
      "storage.managedFolders.list",
      "storage.objects.get",
      "storage.objects.list",
    ],
  },
  {
    name: "roles/cloudsql.admin",
    title: "Cloud SQL Admin",
    description: "Provides full control of Cloud SQL resources.",
    includedPermissions: [
      ...project,
      "cloudsql.backupRuns.create",
      "cloudsql.backupRuns.get",
      "cloudsql.backupRuns.list",
      "cloudsql.databases.create",
      "cloudsql.databases.delete",
      "cloudsql.databases.get",
      "cloudsql.databases.list",
      "cloudsql.instances.connect",
      "cloudsql.instances.create",
      "cloudsql.instances.delete",
      "cloudsql.instances.export",
      "cloudsql.instances.get",
      "cloudsql.instances.list",
      "cloudsql.instances.restart",
      "cloudsql.instances.update",
      "cloudsql.sslCerts.create",
      "cloudsql.sslCerts.get",
      "cloudsql.sslCerts.list",
      "cloudsql.users.create",
      "cloudsql.users.list",
    ],
  },
  {
    name: "roles/cloudsql.viewer",
    title: "Cloud SQL Viewer",
    description: "Provides read-only access to Cloud SQL resources.",
    includedPermissions: [
      ...project,
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
    ],
  },
  {
    name: "roles/cloudsql.client",
    title: "Cloud SQL Client",
    description: "Provides connectivity access to Cloud SQL instances.",
    includedPermissions: [...project, "cloudsql.instances.connect", "cloudsql.instances.get"],
  },
  {
    name: "roles/logging.viewer",
    title: "Logs Viewer",
    description: "Provides access to view logs.",
    includedPermissions: [
      "logging.buckets.get",
      "logging.buckets.list",
      "logging.logEntries.list",
      "logging.logs.list",
      "logging.views.get",
      "logging.views.list",
      "resourcemanager.projects.get",
    ],
  },
  {
    name: "roles/browser",
    title: "Browser",
    description:
      "Read access to browse the hierarchy for a project, including the folder, organization, and allow policy.",
    includedPermissions: [
      ...project,
      "resourcemanager.folders.get",
      "resourcemanager.folders.list",
      "resourcemanager.organizations.get",
      "resourcemanager.projects.getIamPolicy",
    ],
  },
];
