import type { ValidateFunction } from "ajv";
import { createAjv, describeErrors, readPackageJson } from "./ajv.js";

interface OpenApiDoc {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
  components: Record<string, Record<string, unknown>>;
}

let doc: OpenApiDoc | undefined;
const ajv = createAjv();
const cache = new Map<string, ValidateFunction>();

/** OpenAPI 3.0 `nullable` in terms Ajv checks: `anyOf [..., null]` where there is no `type`, and null in enums. */
function fixNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fixNullable);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = fixNullable(v);
  // `nullable` admits null, but an `enum` next to it would still reject it.
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null))
    out.enum = [...out.enum, null];
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

function loadDoc(): OpenApiDoc {
  if (!doc) {
    doc = readPackageJson("@octokit/openapi/generated/api.github.com.json") as OpenApiDoc;
    ajv.addSchema({ components: fixNullable(doc.components) }, "gh");
  }
  return doc;
}

function responseSchema(d: OpenApiDoc, operationId: string, status: number): unknown {
  for (const methods of Object.values(d.paths)) {
    for (const op of Object.values(methods)) {
      if (op?.operationId !== operationId) continue;
      let res = op.responses[String(status)] as
        { $ref?: string; content?: Record<string, { schema: unknown }> } | undefined;
      if (res?.$ref) res = d.components.responses?.[res.$ref.split("/").pop() ?? ""] as typeof res;
      const schema = res?.content?.["application/json"]?.schema;
      if (!schema) throw new Error(`no JSON schema for ${operationId} ${status}`);
      return schema;
    }
  }
  throw new Error(`unknown operation ${operationId}`);
}

/** Validates a REST response body against GitHub's published OpenAPI description of the operation. */
export function expectMatchesOpenApi(operationId: string, status: number, body: unknown): void {
  const key = `${operationId} ${status}`;
  let validate = cache.get(key);
  if (!validate) {
    const schema = responseSchema(loadDoc(), operationId, status);
    // Point the operation's local refs at the shared components schema.
    validate = ajv.compile(
      fixNullable(
        JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"gh#/components/')),
      ) as object,
    );
    cache.set(key, validate);
  }
  if (!validate(body))
    throw new Error(`${key} does not match GitHub's OpenAPI schema:\n${describeErrors(validate.errors)}`);
}
