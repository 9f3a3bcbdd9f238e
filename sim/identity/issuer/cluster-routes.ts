import type { ServiceRoutes, SimReply, SimRequest } from "../types.js";
import type { ClusterIssuers } from "./cluster-issuers.js";

/** Each cluster's issuer endpoints under `/k8s/<cluster>`: discovery and JWKS (404 for a private cluster). */
export function clusterRoutes(clusters: ClusterIssuers, issuerOf: (name: string) => string): ServiceRoutes {
  return {
    service: "kubernetes",
    prefix: "/k8s",
    handle(req: SimRequest): SimReply {
      if (req.method !== "GET") return { status: 405, body: { kind: "Status", code: 405 } };
      const m = /^\/([a-z0-9-]+)(\/.*)$/.exec(req.path);
      const doc = m ? clusters.publicDocument(m[1]!, m[2]!, issuerOf(m[1]!)) : undefined;
      if (!doc)
        return { status: 404, body: { kind: "Status", status: "Failure", reason: "NotFound", code: 404 } };
      return { status: 200, body: doc };
    },
    faultBody: (status, message) => ({ kind: "Status", status: "Failure", message, code: status }),
  };
}
