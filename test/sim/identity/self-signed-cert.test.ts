import { X509Certificate } from "node:crypto";
import { createLoopbackCertificate } from "@jitops/sim/identity";

// The identity sim makes its own TLS certificate at start. Its serial is random: every serial must
// encode as a minimal positive DER INTEGER, or OpenSSL refuses the certificate ("illegal padding")
// and the sim fails to start, about once in 256 starts before the fix.

describe("the identity sim's loopback certificate", () => {
  it.each([
    ["a leading zero byte before one below 0x80", [0x00, 0x05]],
    ["a leading zero byte before one at or above 0x80", [0x00, 0x80]],
    ["a first byte with the sign bit set", [0xff, 0x00]],
    ["an ordinary first byte", [0x42, 0x17]],
  ])("parses with %s in the random serial", (_what, start) => {
    const random = Buffer.alloc(16, 0x33);
    random.set(start);
    const { cert } = createLoopbackCertificate(new Date(), random);
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe("CN=jitops identity sim");
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
  });
});
