import {
  KubeConfig,
  Observable,
  RbacAuthorizationV1Api,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type V1RoleBinding,
} from "@kubernetes/client-node";
import { lateSignal } from "./with-deadline.js";

/** A RoleBinding or ClusterRoleBinding as jitops writes it (the two share a shape). */
export type RbacBinding = V1RoleBinding;

/** The RBAC calls the Kubernetes provider makes on one cluster; `namespace` undefined means cluster-scoped. */
export interface RbacClient {
  list(namespace: string | undefined, labelSelector: string): Promise<RbacBinding[]>;
  create(namespace: string | undefined, body: RbacBinding): Promise<void>;
  replace(namespace: string | undefined, name: string, body: RbacBinding): Promise<void>;
  remove(namespace: string | undefined, name: string): Promise<void>;
}

/**
 * Per-request options that abort a request some time after `deadlineMs`: client-node sets no
 * timeout, so a black-holed API server would hold the socket (and the process) indefinitely.
 */
function abortAfter(deadlineMs: number): ConfigurationOptions<ObservableMiddleware> {
  let late: ReturnType<typeof lateSignal> | undefined;
  return {
    middleware: [
      {
        pre: (request) => {
          late = lateSignal(deadlineMs);
          request.setSignal(late.signal);
          return new Observable(Promise.resolve(request));
        },
        post: (response) => {
          late?.settle();
          return new Observable(Promise.resolve(response));
        },
      },
    ],
    middlewareMergeStrategy: "append",
  };
}

/**
 * An RBAC client over `@kubernetes/client-node` for one KubeConfig (one cluster). With
 * `deadlineMs`, each request's connection is dropped shortly after that deadline passes.
 */
export function kubeRbacClient(kc: KubeConfig, deadlineMs?: number): RbacClient {
  const api = kc.makeApiClient(RbacAuthorizationV1Api);
  const o = () => (deadlineMs === undefined ? undefined : abortAfter(deadlineMs));
  return {
    async list(namespace, labelSelector) {
      const res = namespace
        ? await api.listNamespacedRoleBinding({ namespace, labelSelector }, o())
        : await api.listClusterRoleBinding({ labelSelector }, o());
      return res.items as RbacBinding[];
    },
    async create(namespace, body) {
      if (namespace) await api.createNamespacedRoleBinding({ namespace, body }, o());
      else await api.createClusterRoleBinding({ body: body as never }, o());
    },
    async replace(namespace, name, body) {
      if (namespace) await api.replaceNamespacedRoleBinding({ name, namespace, body }, o());
      else await api.replaceClusterRoleBinding({ name, body: body as never }, o());
    },
    async remove(namespace, name) {
      if (namespace) await api.deleteNamespacedRoleBinding({ name, namespace }, o());
      else await api.deleteClusterRoleBinding({ name }, o());
    },
  };
}
