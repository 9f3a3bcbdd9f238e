import type { ValidateFunction } from "ajv";
import { createAjv, describeErrors, readPackageJson } from "./ajv.js";

const ajv = createAjv();
let loaded = false;
const cache = new Map<string, ValidateFunction>();

/** Validates a webhook body against `@octokit/webhooks-schemas` (definition `event$action`, or `push$event`). */
export function expectMatchesWebhookSchema(event: string, action: string | null, body: unknown): void {
  if (!loaded) {
    const schema = readPackageJson("@octokit/webhooks-schemas/schema.json") as Record<string, unknown>;
    delete schema.$schema;
    ajv.addSchema(schema, "wh");
    loaded = true;
  }
  const name = action ? `${event}$${action}` : `${event}$event`;
  let validate = cache.get(name);
  if (!validate) {
    validate = ajv.compile({ $ref: `wh#/definitions/${name}` });
    cache.set(name, validate);
  }
  if (!validate(body))
    throw new Error(`${name} does not match the webhook schema:\n${describeErrors(validate.errors)}`);
}
