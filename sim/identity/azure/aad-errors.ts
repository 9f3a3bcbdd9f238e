import { randomUUID } from "node:crypto";

/** Entra's OAuth error body: `AADSTSnnnn: message Trace ID ... Correlation ID ... Timestamp ...` plus the codes. */
export function aadError(
  status: number,
  error: string,
  code: number,
  message: string,
  now: Date,
): { status: number; body: unknown } {
  const trace = randomUUID();
  const correlation = randomUUID();
  const timestamp = now
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "Z");
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${message} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}
