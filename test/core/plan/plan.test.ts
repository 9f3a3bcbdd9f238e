import { checkRequest } from "../../../core/check-request.js";
import { loadPolicy } from "../../../core/load-policy.js";
import { desiredBindings } from "../../../core/plan/desired-bindings.js";
import { diffBindings, type ActualBinding } from "../../../core/plan/diff-bindings.js";
import { relative, renderPlan } from "../../../core/plan/render-plan.js";
import { NOW, POLICY_FILES, REQUEST_YAML } from "../../fixtures/policy.js";

const policy = loadPolicy(POLICY_FILES).policy!;
const mergedAt = new Date("2026-11-24T10:30:00Z");

function merged(source = REQUEST_YAML, requester = "alice") {
  const r = checkRequest({ path: "access/requests/alice-prod-db.yaml", content: source }, policy, NOW);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return { checked: r.value, requester, mergedAt };
}

const actual = (over: Partial<ActualBinding> = {}): ActualBinding => ({
  id: "alice-prod-db/gcp/0",
  requestId: "alice-prod-db",
  provider: "gcp",
  principal: "user:alice@example.com",
  notAfter: "2026-11-24T14:30:00.000Z",
  scope: "projects/acme-prod",
  ...over,
});

describe("plan", () => {
  it("binds each grant until mergedAt + duration, with deterministic ids", () => {
    const { bindings, unbindable } = desiredBindings([merged()], policy);
    expect(unbindable).toEqual([]);
    expect(bindings).toEqual([
      expect.objectContaining({
        id: "alice-prod-db/gcp/0",
        principal: "user:alice@example.com",
        notBefore: "2026-11-24T10:30:00.000Z",
        notAfter: "2026-11-24T14:30:00.000Z",
        startsLater: false,
      }),
    ]);
    expect(desiredBindings([merged()], policy).bindings).toEqual(bindings);
  });

  it("counts from start when the request starts later", () => {
    const { bindings } = desiredBindings([merged(`${REQUEST_YAML}  start: 2026-11-25T09:00:00Z\n`)], policy);
    expect(bindings[0]).toMatchObject({
      notBefore: "2026-11-25T09:00:00.000Z",
      notAfter: "2026-11-25T13:00:00.000Z",
      startsLater: true,
    });
  });

  it("cannot bind a requester with no mapped principal", () => {
    expect(desiredBindings([merged(REQUEST_YAML, "mallory")], policy).unbindable).toEqual([
      { requestId: "alice-prod-db", reason: "no principals are mapped in policy for mallory" },
    ]);
  });

  it("adds what is missing, updates a changed window, removes what Git no longer declares", () => {
    const { bindings } = desiredBindings([merged()], policy);
    expect(diffBindings(bindings, [], NOW)).toMatchObject({
      add: bindings,
      update: [],
      remove: [],
      expired: [],
    });
    expect(diffBindings(bindings, [actual()], NOW)).toMatchObject({ add: [], update: [], remove: [] });
    expect(diffBindings(bindings, [actual({ notAfter: "2026-11-24T12:00:00.000Z" })], NOW).update).toEqual(
      bindings,
    );
    const stray = actual({ id: "bob-x/gcp/0", requestId: "bob-x" });
    expect(diffBindings(bindings, [actual(), stray], NOW).remove).toEqual([stray]);
  });

  it("expires at the boundary second: held one second before notAfter, removed at it", () => {
    const { bindings } = desiredBindings([merged()], policy);
    expect(diffBindings(bindings, [actual()], new Date("2026-11-24T14:29:59Z")).remove).toEqual([]);
    const at = diffBindings(bindings, [actual()], new Date("2026-11-24T14:30:00Z"));
    expect(at.expired).toEqual(bindings);
    expect(at.remove).toEqual([actual()]);
    expect(at.add).toEqual([]);
  });

  it("renders who, role, where and until when in UTC and relative", () => {
    const { bindings } = desiredBindings([merged()], policy);
    const text = renderPlan(diffBindings(bindings, [], NOW), NOW);
    expect(text).toContain(
      "| grant | alice (`user:alice@example.com`) | roles/cloudsql.viewer on projects/acme-prod (gcp) | 2026-11-24T14:30:00Z (in 4h 30m) |",
    );
    expect(relative("2026-11-24T09:00:00Z", NOW)).toBe("1h ago");
  });
});
