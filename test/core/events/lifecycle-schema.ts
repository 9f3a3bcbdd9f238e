import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import formatsModule from "ajv-formats";
import type { Plugin } from "ajv";

// ajv-formats is CommonJS: under NodeNext its default import is the module object, at runtime the plugin.
const addFormats = ((formatsModule as unknown as { default?: Plugin<unknown> }).default ??
  formatsModule) as unknown as Plugin<unknown>;

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "..", "..", "schemas", "lifecycle-event.schema.json"), "utf8"),
) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv, {});
const validate = ajv.compile(schema);

/** Throws, naming every violation, unless `event` follows schemas/lifecycle-event.schema.json. */
export function expectLifecycleEvent(event: unknown): void {
  if (!validate(event))
    throw new Error(`not a lifecycle event: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(event)}`);
}
