import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";

// A minimal DER encoder: MSAL only talks to an https authority, and no X.509 library is installed, so the sim makes
// its own throwaway certificate for 127.0.0.1 at start (no private key is ever committed).

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const seq = (...parts: Buffer[]): Buffer => tlv(0x30, ...parts);

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  return tlv(0x17, Buffer.from(s, "ascii"));
}

function name(cn: string): Buffer {
  return seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(cn, "utf8")))));
}

/** A fresh RSA key and a self-signed certificate for `127.0.0.1` and `localhost`, both PEM. */
export function createLoopbackCertificate(
  now: Date = new Date(),
  random: Buffer = randomBytes(16),
): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const sha256WithRsa = seq(oid("1.2.840.113549.1.1.11"), Buffer.from([0x05, 0x00]));
  // A DER INTEGER is minimal and this one positive: the first byte is 0x01..0x7f. (A first byte of
  // 0x00 before one below 0x80 is "illegal padding" to OpenSSL: 1 start in 256 failed before.)
  const serial = Buffer.from(random);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  // subjectAltName: dNSName localhost, iPAddress 127.0.0.1; basicConstraints CA:TRUE so it can anchor itself.
  const san = seq(
    oid("2.5.29.17"),
    tlv(0x04, seq(tlv(0x82, Buffer.from("localhost")), tlv(0x87, Buffer.from([127, 0, 0, 1])))),
  );
  const basic = seq(
    oid("2.5.29.19"),
    tlv(0x01, Buffer.from([0xff])),
    tlv(0x04, seq(tlv(0x01, Buffer.from([0xff])))),
  );
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    sha256WithRsa,
    name("jitops identity sim"),
    seq(utcTime(new Date(now.getTime() - 3_600_000)), utcTime(new Date(now.getTime() + 7 * 86_400_000))),
    name("jitops identity sim"),
    publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq(basic, san)),
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = seq(tbs, sha256WithRsa, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = der
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .trimEnd();
  return {
    key: createPrivateKey(privateKey.export({ type: "pkcs8", format: "pem" })).export({
      type: "pkcs8",
      format: "pem",
    }) as string,
    cert: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
  };
}
