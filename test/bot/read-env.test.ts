import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BotConfigError } from "../../bot/bot-config-error.js";
import {
  botOptionsFromEnv,
  DEFAULT_RECONCILE_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_SWEEP_MS,
  DEFAULT_CERTIFY_MS,
  DEFAULT_DELIVERY_RECOVERY_MS,
} from "../../bot/read-env.js";

const PEM = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

const ENV = { APP_ID: "42", PRIVATE_KEY: PEM.replace(/\n/g, "\\n"), WEBHOOK_SECRET: "s3cret" };

/** The BotConfigError `fn` throws. */
function configError(fn: () => unknown): BotConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BotConfigError) return e;
    throw e;
  }
  throw new Error("expected a BotConfigError");
}

const dir = mkdtempSync(join(tmpdir(), "jitops-env-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("botOptionsFromEnv", () => {
  test("invariant: the bot refuses to start without a webhook secret", () => {
    for (const WEBHOOK_SECRET of [undefined, "", " "]) {
      const e = configError(() => botOptionsFromEnv({ ...ENV, WEBHOOK_SECRET }));
      expect(e.code).toBe("bot.env-missing");
      expect(e.message).toBe(
        "jitops bot: WEBHOOK_SECRET (or WEBHOOK_SECRET_FILE) must be set (the GitHub App's id, its PEM private key and its webhook secret); refusing to start",
      );
    }
    const empty = configError(() =>
      botOptionsFromEnv({ ...ENV, WEBHOOK_SECRET: undefined, WEBHOOK_SECRET_FILE: file("empty", "\n") }),
    );
    expect(empty.code).toBe("bot.env-missing");
    expect(empty.message).toBe(
      `jitops bot: WEBHOOK_SECRET_FILE (${join(dir, "empty")}) is empty; refusing to start`,
    );
  });

  test("names every missing variable", () => {
    const e = configError(() => botOptionsFromEnv({}));
    expect(e.code).toBe("bot.env-missing");
    expect(e.message).toContain(
      "APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET (or WEBHOOK_SECRET_FILE) must be set",
    );
  });

  test("reads the app, the API URL, the address, the intervals and the defaults", () => {
    expect(botOptionsFromEnv({ ...ENV, GITHUB_API_URL: "https://ghe.example/api/v3", PORT: "8080" })).toEqual(
      {
        appId: "42",
        privateKey: PEM,
        secret: "s3cret",
        baseUrl: "https://ghe.example/api/v3",
        port: 8080,
        host: "0.0.0.0",
        reconcileEveryMs: DEFAULT_RECONCILE_MS,
        sweepEveryMs: DEFAULT_SWEEP_MS,
        certifyEveryMs: DEFAULT_CERTIFY_MS,
        deliveryRecoveryEveryMs: DEFAULT_DELIVERY_RECOVERY_MS,
        shutdownGraceMs: DEFAULT_SHUTDOWN_GRACE_MS,
        logLevel: "info",
        logFormat: "json",
      },
    );
    expect(DEFAULT_SHUTDOWN_GRACE_MS).toBeLessThan(30_000);
  });

  test("a Lease needs its namespace, its name and the pod's name together", () => {
    expect(
      botOptionsFromEnv({
        ...ENV,
        JITOPS_LEASE_NAMESPACE: "jitops",
        JITOPS_LEASE_NAME: "jitops-periodic",
        POD_NAME: "jitops-7d9f-abcde",
        DELIVERY_RECOVERY_INTERVAL_MS: "60000",
      }),
    ).toMatchObject({
      lease: { namespace: "jitops", name: "jitops-periodic", identity: "jitops-7d9f-abcde" },
      deliveryRecoveryEveryMs: 60_000,
    });
    // The pod's name alone (the manifest always sets it) asks for no lease.
    expect(botOptionsFromEnv({ ...ENV, POD_NAME: "jitops-7d9f-abcde" }).lease).toBeUndefined();
    const e = configError(() => botOptionsFromEnv({ ...ENV, JITOPS_LEASE_NAME: "jitops-periodic" }));
    expect(e.code).toBe("bot.env-missing");
    expect(e.message).toBe(
      "jitops bot: JITOPS_LEASE_NAMESPACE, POD_NAME must be set too: a Lease needs JITOPS_LEASE_NAMESPACE, JITOPS_LEASE_NAME and POD_NAME (the pod's name, from the downward API) together; refusing to start",
    );
    const bad = configError(() => botOptionsFromEnv({ ...ENV, DELIVERY_RECOVERY_INTERVAL_MS: "5m" }));
    expect(bad.code).toBe("bot.env-invalid");
    expect(bad.message).toBe('jitops bot: DELIVERY_RECOVERY_INTERVAL_MS must be a whole number, got "5m"');
  });

  test("reads the mounted private key and webhook secret files (a trailing newline is not part of the secret)", () => {
    const o = botOptionsFromEnv({
      APP_ID: "42",
      PRIVATE_KEY_PATH: file("key.pem", PEM),
      WEBHOOK_SECRET_FILE: file("secret", "s3cret\n"),
    });
    expect(o.privateKey).toBe(PEM);
    expect(o.secret).toBe("s3cret");
  });

  test("a file that cannot be read is a start-up error naming the variable and the path", () => {
    const missing = join(dir, "nope.pem");
    const e = configError(() =>
      botOptionsFromEnv({ ...ENV, PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: missing }),
    );
    expect(e.code).toBe("bot.secret-file-unreadable");
    expect(e.message).toBe(
      `jitops bot: PRIVATE_KEY_PATH names ${missing}, which cannot be read (ENOENT); refusing to start`,
    );
    const s = configError(() =>
      botOptionsFromEnv({ ...ENV, WEBHOOK_SECRET: undefined, WEBHOOK_SECRET_FILE: dir }),
    );
    expect(s.code).toBe("bot.secret-file-unreadable");
    expect(s.message).toBe(
      `jitops bot: WEBHOOK_SECRET_FILE names ${dir}, which cannot be read (EISDIR); refusing to start`,
    );
  });

  test("a variable and its file at once are refused", () => {
    const e = configError(() => botOptionsFromEnv({ ...ENV, WEBHOOK_SECRET_FILE: file("s2", "x") }));
    expect(e.code).toBe("bot.env-conflict");
    expect(e.message).toBe(
      "jitops bot: both WEBHOOK_SECRET and WEBHOOK_SECRET_FILE are set; set one of them so it is clear which secret is used",
    );
  });

  test("a private key that does not parse is refused with a clear message that does not quote it", () => {
    const e = configError(() =>
      botOptionsFromEnv({ ...ENV, PRIVATE_KEY: "-----BEGIN KEY-----\\nabc\\n-----END KEY-----" }),
    );
    expect(e.code).toBe("bot.private-key-invalid");
    expect(e.message).toMatch(
      /^jitops bot: PRIVATE_KEY is not a usable PEM private key \(.+\); refusing to start$/,
    );
    expect(e.message).not.toContain("abc");
    const path = file("bad.pem", "not a key");
    const f = configError(() =>
      botOptionsFromEnv({ ...ENV, PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: path }),
    );
    expect(f.code).toBe("bot.private-key-invalid");
    expect(f.message).toMatch(
      new RegExp(`^jitops bot: PRIVATE_KEY_PATH \\(${path}\\) is not a usable PEM private key`),
    );
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    const g = configError(() => botOptionsFromEnv({ ...ENV, PRIVATE_KEY: ec.toString() }));
    expect(g.message).toBe(
      "jitops bot: PRIVATE_KEY is not a usable PEM private key (the key type is ec; GitHub Apps sign with RSA); refusing to start",
    );
  });

  test.each([
    ["RECONCILE_INTERVAL_MS", "soon", 'jitops bot: RECONCILE_INTERVAL_MS must be a whole number, got "soon"'],
    ["SHUTDOWN_GRACE_MS", "-1", 'jitops bot: SHUTDOWN_GRACE_MS must be a whole number, got "-1"'],
    [
      "LOG_LEVEL",
      "loud",
      'jitops bot: LOG_LEVEL is "loud"; accepted: trace, debug, info, warn, error, fatal, silent',
    ],
    ["LOG_FORMAT", "xml", 'jitops bot: LOG_FORMAT is "xml"; accepted: json, pretty'],
  ])("%s=%s is refused", (key, value, message) => {
    const e = configError(() => botOptionsFromEnv({ ...ENV, [key]: value }));
    expect(e.code).toBe("bot.env-invalid");
    expect(e.message).toBe(message);
  });

  test("reads the log settings, grace period, audit file and queue settings", () => {
    expect(
      botOptionsFromEnv({
        ...ENV,
        LOG_LEVEL: "debug",
        LOG_FORMAT: "pretty",
        SHUTDOWN_GRACE_MS: "5000",
        JITOPS_AUDIT_FILE: "/var/log/jitops/audit.jsonl",
        WEBHOOK_CONCURRENCY: "8",
        WEBHOOK_QUEUE_LIMIT: "50",
      }),
    ).toMatchObject({
      logLevel: "debug",
      logFormat: "pretty",
      shutdownGraceMs: 5000,
      auditFile: "/var/log/jitops/audit.jsonl",
      concurrency: 8,
      queueLimit: 50,
    });
  });
});
