// Types for the generated ajv standalone validators (scripts/gen-validators.mjs).
import type { ErrorObject } from "ajv";

/** A compiled schema validator; `errors` holds ajv's errors after a failed call. */
export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
export const validateRequest: GeneratedValidator;
export const validatePolicy: GeneratedValidator;
export const validateCertification: GeneratedValidator;
