import { randomUUID } from "node:crypto";
import type { ServiceRoutes, SimReply, SimRequest } from "../types.js";
import { bearerToken } from "../../shared/bearer-token.js";
import { parseJsonObject } from "../../shared/parse-json-object.js";
import { GraphError, type AzureApps, type FederatedIdentityCredential } from "./azure-apps.js";

const LIST = /^\/v1\.0\/applications\/([^/]+)\/federatedIdentityCredentials$/;
const ONE = /^\/v1\.0\/applications\/([^/]+)\/federatedIdentityCredentials\/([^/]+)$/;

/** Graph's error body (`{error: {code, message, innerError}}`). */
export function graphErrorBody(code: string, message: string): unknown {
  const id = randomUUID();
  const date = new Date().toISOString().replace(/\.\d{3}Z$/, "");
  return { error: { code, message, innerError: { date, "request-id": id, "client-request-id": id } } };
}

function context(origin: string, objectId: string, entity = false): string {
  return `${origin}/graph/v1.0/$metadata#applications('${objectId}')/federatedIdentityCredentials${entity ? "/$entity" : ""}`;
}

const BY_APP_ID = /^\/v1\.0\/applications\(appId='([^']+)'\)/;

/** Graph's alternate key `applications(appId='…')` addresses an app by client id; resolve it to the object id. */
function resolveAppId(apps: AzureApps, path: string): string {
  const m = BY_APP_ID.exec(path);
  if (!m) return path;
  const app = apps.byAnyClientId(decodeURIComponent(m[1] ?? ""));
  if (!app)
    throw new GraphError(
      404,
      "Request_ResourceNotFound",
      `Resource 'appId=${m[1]}' does not exist or one of its queried reference-property objects are not present.`,
    );
  return `/v1.0/applications/${app.objectId}${path.slice(m[0].length)}`;
}

async function answer(apps: AzureApps, raw: SimRequest): Promise<SimReply> {
  const req = { ...raw, path: resolveAppId(apps, raw.path) };
  const list = LIST.exec(req.path);
  if (list) {
    const objectId = list[1] ?? "";
    if (req.method === "GET")
      return {
        status: 200,
        body: { "@odata.context": context(req.origin, objectId), value: apps.listCredentials(objectId) },
      };
    if (req.method === "POST") {
      const body = parseJsonObject(req.raw);
      if (!body) throw new GraphError(400, "BadRequest", "Empty or invalid JSON payload.");
      const created = await apps.exclusive(objectId, () =>
        apps.addCredential(objectId, body as unknown as Omit<FederatedIdentityCredential, "id">),
      );
      return { status: 201, body: { "@odata.context": context(req.origin, objectId, true), ...created } };
    }
  }
  const one = ONE.exec(req.path);
  if (one) {
    const [objectId = "", id = ""] = [one[1], one[2]];
    if (req.method === "GET")
      return {
        status: 200,
        body: { "@odata.context": context(req.origin, objectId, true), ...apps.getCredential(objectId, id) },
      };
    if (req.method === "PATCH") {
      const body = parseJsonObject(req.raw);
      if (!body) throw new GraphError(400, "BadRequest", "Empty or invalid JSON payload.");
      await apps.exclusive(objectId, () => apps.updateCredential(objectId, id, body));
      return { status: 204 };
    }
    if (req.method === "DELETE") {
      await apps.exclusive(objectId, () => apps.deleteCredential(objectId, id));
      return { status: 204 };
    }
  }
  throw new GraphError(
    400,
    "BadRequest",
    `Resource not found for the segment '${req.path}' with method ${req.method}.`,
  );
}

/** Microsoft Graph v1.0: an application's federatedIdentityCredentials (list, create, get, update, delete). */
export function graphRoutes(apps: AzureApps): ServiceRoutes {
  return {
    service: "graph",
    prefix: "/graph",
    async handle(req: SimRequest): Promise<SimReply> {
      if (!bearerToken(req.headers))
        return { status: 401, body: graphErrorBody("InvalidAuthenticationToken", "Access token is empty.") };
      try {
        return await answer(apps, req);
      } catch (err) {
        if (err instanceof GraphError)
          return { status: err.status, body: graphErrorBody(err.code, err.message) };
        throw err;
      }
    },
    faultBody: (status, message) =>
      graphErrorBody(
        status === 429 ? "TooManyRequests" : status >= 500 ? "serviceNotAvailable" : "BadRequest",
        message,
      ),
  };
}
