import { botOptionsFromEnv, DEFAULT_RECONCILE_MS, DEFAULT_SWEEP_MS } from "../../bot/read-env.js";

const ENV = {
  APP_ID: "42",
  PRIVATE_KEY: "-----BEGIN KEY-----\\nabc\\n-----END KEY-----",
  WEBHOOK_SECRET: "s3cret",
};

describe("botOptionsFromEnv", () => {
  test("the bot refuses to start without a webhook secret", () => {
    for (const WEBHOOK_SECRET of [undefined, "", " "])
      expect(() => botOptionsFromEnv({ ...ENV, WEBHOOK_SECRET })).toThrow(/WEBHOOK_SECRET must be set/);
  });

  test("names every missing variable", () => {
    expect(() => botOptionsFromEnv({})).toThrow("APP_ID, PRIVATE_KEY, WEBHOOK_SECRET must be set");
  });

  test("reads the app, the API URL, the address and the reconcile interval", () => {
    expect(botOptionsFromEnv({ ...ENV, GITHUB_API_URL: "https://ghe.example/api/v3", PORT: "8080" })).toEqual(
      {
        appId: "42",
        privateKey: "-----BEGIN KEY-----\nabc\n-----END KEY-----",
        secret: "s3cret",
        baseUrl: "https://ghe.example/api/v3",
        port: 8080,
        host: "0.0.0.0",
        reconcileEveryMs: DEFAULT_RECONCILE_MS,
        sweepEveryMs: DEFAULT_SWEEP_MS,
      },
    );
    expect(() => botOptionsFromEnv({ ...ENV, RECONCILE_INTERVAL_MS: "soon" })).toThrow(
      'RECONCILE_INTERVAL_MS must be a whole number, got "soon"',
    );
  });
});
