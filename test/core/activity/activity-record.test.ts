import type { ActivityEntry } from "../../../core/activity/activity-entry.js";
import {
  appendActivity,
  buildActivityRecord,
  type LogSource,
} from "../../../core/activity/activity-record.js";
import type { ActivityWindow } from "../../../core/activity/activity-window.js";
import { renderActivityMarkdown, MAX_DETAIL_LINES } from "../../../core/activity/render-activity.js";

const window: ActivityWindow = {
  subject: { kind: "grant", request: "alice-prod-db", entitlement: "prod-db-reader" },
  provider: "gcp",
  principal: "user:Alice@acme.example",
  scopes: ["projects/acme-prod"],
  start: "2026-12-01T10:00:00.000Z",
  end: "2026-12-01T14:00:00.000Z",
};
const read: LogSource[] = [{ log: "admin-activity", available: true, note: "always on" }];
let n = 0;
const entry = (over: Partial<ActivityEntry> = {}): ActivityEntry => ({
  provider: "gcp",
  log: "admin-activity",
  id: `e${n++}`,
  time: "2026-12-01T11:00:00.000Z",
  principal: "alice@acme.example",
  service: "cloudsql.googleapis.com",
  method: "cloudsql.instances.get",
  resource: "projects/acme-prod/instances/db",
  permissions: ["cloudsql.instances.get"],
  denied: false,
  ...over,
});

describe("buildActivityRecord", () => {
  it("invariant: a record holds only the window's principal (or whoever acted for it) within the window's span", () => {
    const mine = [
      entry(),
      entry({ principal: "deployer@x.iam.gserviceaccount.com", onBehalfOf: "alice@acme.example" }),
    ];
    const others = [
      entry({ principal: "bob@acme.example" }),
      entry({ time: "2026-12-01T09:59:59.999Z" }),
      entry({ time: "2026-12-01T14:00:00.001Z" }),
      entry({ provider: "azure" }),
    ];
    const r = buildActivityRecord(window, [...others, ...mine], read);
    expect(r.entries).toEqual(mine);
    expect(r.calls).toBe(2);
  });

  it("groups calls by service, method and resource, counts denials and splits permissions used from refused", () => {
    const r = buildActivityRecord(
      window,
      [
        entry({ time: "2026-12-01T12:00:00.000Z" }),
        entry({ time: "2026-12-01T11:00:00.000Z" }),
        entry({
          method: "cloudsql.instances.restart",
          permissions: ["cloudsql.instances.restart"],
          denied: true,
        }),
      ],
      read,
    );
    expect(r.groups).toEqual([
      {
        service: "cloudsql.googleapis.com",
        method: "cloudsql.instances.get",
        resource: "projects/acme-prod/instances/db",
        calls: 2,
        denied: 0,
      },
      {
        service: "cloudsql.googleapis.com",
        method: "cloudsql.instances.restart",
        resource: "projects/acme-prod/instances/db",
        calls: 1,
        denied: 1,
      },
    ]);
    expect([r.first, r.last, r.denied]).toEqual(["2026-12-01T11:00:00.000Z", "2026-12-01T12:00:00.000Z", 1]);
    expect([r.permissions, r.deniedPermissions]).toEqual([
      ["cloudsql.instances.get"],
      ["cloudsql.instances.restart"],
    ]);
  });

  it("counts an entry seen twice (same log id) once", () => {
    const e = entry();
    expect(buildActivityRecord(window, [e, { ...e }], read).calls).toBe(1);
  });

  it("invariant: a log that could not be read is never reported as no activity", () => {
    const unread = buildActivityRecord(
      window,
      [],
      [{ log: "admin-activity", available: false, note: "could not be read: 403" }],
    );
    expect(unread.noActivity).toBe(false);
    expect(renderActivityMarkdown([unread])).toMatch(
      /activity unknown, no log could be read \(could not be read: 403\)/,
    );
    const idle = buildActivityRecord(window, [], read);
    expect(idle.noActivity).toBe(true);
    expect(renderActivityMarkdown([idle])).toMatch(/\*\*no activity\*\*.*standing access nobody used/);
  });
});

describe("appendActivity", () => {
  it("adds only entries it did not have, and says which", () => {
    const first = entry();
    const r = buildActivityRecord(window, [first], read);
    const later = entry({ time: "2026-12-01T13:59:00.000Z" });
    const out = appendActivity(r, [first, later, entry({ principal: "bob@acme.example" })]);
    expect(out.added).toEqual([later]);
    expect(out.record.calls).toBe(2);
    expect(appendActivity(out.record, [first, later]).added).toEqual([]);
  });
});

describe("renderActivityMarkdown", () => {
  it("puts a summary table first and the calls in a collapsed details block, bounded", () => {
    const many = Array.from({ length: MAX_DETAIL_LINES + 5 }, () => entry());
    const md = renderActivityMarkdown([buildActivityRecord(window, many, read)]);
    expect(md).toMatch(/\| service \| method \| resource \| calls \| denied \|/);
    expect(md).toMatch(/<details><summary>[\s\S]*… and 5 more[\s\S]*<\/details>/);
  });
});
