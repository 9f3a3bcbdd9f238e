import { KubeConfig, RbacAuthorizationV1Api, type V1RoleBinding } from "@kubernetes/client-node";

/** A RoleBinding or ClusterRoleBinding as jitops writes it (the two share a shape). */
export type RbacBinding = V1RoleBinding;

/** The RBAC calls the Kubernetes provider makes on one cluster; `namespace` undefined means cluster-scoped. */
export interface RbacClient {
  list(namespace: string | undefined, labelSelector: string): Promise<RbacBinding[]>;
  create(namespace: string | undefined, body: RbacBinding): Promise<void>;
  replace(namespace: string | undefined, name: string, body: RbacBinding): Promise<void>;
  remove(namespace: string | undefined, name: string): Promise<void>;
}

/** An RBAC client over `@kubernetes/client-node` for one KubeConfig (one cluster). */
export function kubeRbacClient(kc: KubeConfig): RbacClient {
  const api = kc.makeApiClient(RbacAuthorizationV1Api);
  return {
    async list(namespace, labelSelector) {
      const res = namespace
        ? await api.listNamespacedRoleBinding({ namespace, labelSelector })
        : await api.listClusterRoleBinding({ labelSelector });
      return res.items as RbacBinding[];
    },
    async create(namespace, body) {
      if (namespace) await api.createNamespacedRoleBinding({ namespace, body });
      else await api.createClusterRoleBinding({ body: body as never });
    },
    async replace(namespace, name, body) {
      if (namespace) await api.replaceNamespacedRoleBinding({ name, namespace, body });
      else await api.replaceClusterRoleBinding({ name, body: body as never });
    },
    async remove(namespace, name) {
      if (namespace) await api.deleteNamespacedRoleBinding({ name, namespace });
      else await api.deleteClusterRoleBinding({ name });
    },
  };
}
