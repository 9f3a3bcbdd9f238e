import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Whether `signature` (the X-Hub-Signature-256 header, `sha256=<hex>`) is the HMAC-SHA256 of the raw
 * body bytes under `secret`. Hand-rolled on node:crypto because @octokit/webhooks-methods only
 * verifies a string, and decoding the body to a string first can change the bytes that are checked.
 */
export function verifySignature(secret: string, body: Buffer, signature: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(Buffer.from(match[1]!.toLowerCase(), "hex"), expected);
}
