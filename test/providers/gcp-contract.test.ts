import { OAuth2Client } from "google-auth-library";
import nock from "nock";
import { resourceManagerClient } from "../../providers/gcp-iam-client.js";
import { gcpProvider } from "../../providers/gcp-provider.js";
import { GCP_IAM_BINDING, gcpBinding } from "../fixtures/bindings.js";

// The exact Resource Manager v3 requests the GCP provider sends (CONTRACTS.md, GCP), over REST.

const HOST = "https://cloudresourcemanager.googleapis.com";
const GET = "/v3/projects/acme-prod:getIamPolicy";
const SET = "/v3/projects/acme-prod:setIamPolicy";
const ETAG = "BwYXz1a2b3c=";
const OTHER = { role: "roles/cloudsql.viewer", members: ["user:bob@example.com"] };

function provider() {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: "contract-token" });
  return gcpProvider(resourceManagerClient({ authClient }));
}

/** nock matches the colon literally or percent-encoded, whichever the client sends. */
const path = (p: string) => (uri: string) => decodeURIComponent(uri.split("?")[0]!) === p;

describe("GCP Resource Manager contract (nock)", () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it("reads with requestedPolicyVersion 3 and writes version 3 with the etag and an updateMask of bindings,etag", async () => {
    const bodies: { get: unknown[]; set: Record<string, unknown>[] } = { get: [], set: [] };
    const headers: (string | string[] | undefined)[] = [];
    const scope = nock(HOST)
      .post(path(GET))
      .twice()
      .reply(function (_uri, body) {
        bodies.get.push(body);
        headers.push(this.req.headers.authorization);
        return [200, { version: 1, etag: ETAG, bindings: [OTHER] }];
      })
      .post(path(SET))
      .reply(function (_uri, body) {
        bodies.set.push(body as Record<string, unknown>);
        headers.push(this.req.headers.authorization);
        return [200, { version: 3, etag: "BwYXz9new0", bindings: [] }];
      });

    const p = provider();
    await expect(p.list(["projects/acme-prod"])).resolves.toEqual([]);
    const report = await p.reconcile({ put: [gcpBinding()], remove: [] });

    expect(report).toEqual({ done: ["alice-prod-db/gcp/0"], failed: [] });
    expect(scope.isDone()).toBe(true);
    expect(bodies.get).toEqual([
      { options: { requestedPolicyVersion: 3 } },
      { options: { requestedPolicyVersion: 3 } },
    ]);
    expect(bodies.set).toEqual([
      {
        policy: {
          version: 3,
          etag: ETAG,
          bindings: [OTHER, GCP_IAM_BINDING],
        },
        updateMask: "bindings,etag",
      },
    ]);
    expect(headers).toEqual(Array(3).fill("Bearer contract-token"));
  });

  it("on 409 ABORTED reads again and sends the new etag", async () => {
    const etags: unknown[] = [];
    nock(HOST)
      .post(path(GET))
      .reply(200, { version: 3, etag: ETAG, bindings: [] })
      .post(path(SET))
      .reply(function (_uri, body) {
        etags.push((body as { policy: { etag: string } }).policy.etag);
        return [
          409,
          { error: { code: 409, message: "There were concurrent policy changes.", status: "ABORTED" } },
        ];
      })
      .post(path(GET))
      .reply(200, { version: 3, etag: "BwYXc2Vjb25k", bindings: [OTHER] })
      .post(path(SET))
      .reply(function (_uri, body) {
        etags.push((body as { policy: { etag: string } }).policy.etag);
        return [200, { version: 3, etag: "BwYXdGhpcmQ=", bindings: [] }];
      });

    const report = await provider().reconcile({ put: [gcpBinding()], remove: [] });
    expect(report.failed).toEqual([]);
    expect(etags).toEqual([ETAG, "BwYXc2Vjb25k"]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("writes nothing when the binding is already there", async () => {
    nock(HOST)
      .post(path(GET))
      .reply(200, {
        version: 3,
        etag: ETAG,
        bindings: [GCP_IAM_BINDING],
      });
    const report = await provider().reconcile({ put: [gcpBinding()], remove: [] });
    expect(report).toEqual({ done: ["alice-prod-db/gcp/0"], failed: [] });
    expect(nock.pendingMocks()).toEqual([]); // and no setIamPolicy: nock would have refused it
  });
});
