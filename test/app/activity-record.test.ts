import { recordActivity, type ActivityReader } from "../../app/activity-record.js";
import type { ActivityWindow } from "../../core/activity/activity-window.js";

const window = (provider: ActivityWindow["provider"]): ActivityWindow => ({
  subject: { kind: "grant", request: "alice-prod-db" },
  provider,
  principal: "user:alice@acme.example",
  scopes: ["projects/acme-prod"],
  start: "2026-12-01T10:00:00Z",
  end: "2026-12-01T14:00:00Z",
});

describe("recordActivity", () => {
  it("reads each cloud once for all its windows, and keeps the windows' order", async () => {
    const calls: number[] = [];
    const reader: ActivityReader = {
      provider: "gcp",
      read: async (ws) => {
        calls.push(ws.length);
        return { entries: [], sources: [{ log: "admin-activity", available: true, note: "always on" }] };
      },
    };
    const ws = [
      window("gcp"),
      window("kubernetes"),
      { ...window("gcp"), principal: "user:bob@acme.example" },
    ];
    const records = await recordActivity([reader], ws);
    expect(calls).toEqual([2]);
    expect(records.map((r) => r.window)).toEqual(ws);
  });

  it("invariant: a cloud whose log failed or has no reader is unknown, never no activity", async () => {
    const failing: ActivityReader = {
      provider: "gcp",
      read: () => Promise.reject(new Error("GCP answered 403 PERMISSION_DENIED")),
    };
    const [gcp, k8s] = await recordActivity([failing], [window("gcp"), window("kubernetes")]);
    expect(gcp).toMatchObject({
      noActivity: false,
      sources: [
        {
          log: "admin-activity",
          available: false,
          note: "could not be read: GCP answered 403 PERMISSION_DENIED",
        },
      ],
    });
    expect(k8s).toMatchObject({
      noActivity: false,
      sources: [
        { log: "kubernetes-audit", available: false, note: "no kubernetes audit log reader is configured" },
      ],
    });
  });
});
