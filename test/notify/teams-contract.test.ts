import nock from "nock";
import { routeNotification } from "../../core/events/notification-routes.js";
import { buildNotice } from "../../core/events/notice.js";
import { SendFailed } from "../../app/send-failed.js";
import { NotifyConfigError, TeamsNotifier } from "../../notify/teams-notifier.js";
import { fakeWaits, GRANTED, reviewUrl, SETTINGS } from "./helpers/notify-fixtures.js";

// The exact request a Teams Workflows webhook ("When a Teams webhook request is received") gets.

const HOST = "https://prod-12.westeurope.logic.azure.com";
const PATH = "/workflows/0a1b2c/triggers/manual/paths/invoke";
const SIG = "s3cr3t-signature";
const URL_ = `${HOST}:443${PATH}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;
const env = { JITOPS_TEAMS_WEBHOOK_APPROVALS: URL_ };

const delivery = () => routeNotification(GRANTED, SETTINGS).deliveries.find((d) => d.service === "teams")!;
const notice = () => buildNotice(GRANTED, SETTINGS, reviewUrl, delivery().requester);

function webhook(bodies: unknown[], answers: [number, Record<string, string>?][]) {
  return nock(HOST)
    .persist()
    .post(PATH)
    .query(true)
    .reply(function (_uri, body) {
      expect(this.req.headers["content-type"]).toBe("application/json");
      bodies.push(body);
      const [status, headers] = answers.shift() ?? [500];
      return [status, "", headers ?? {}];
    });
}

afterEach(() => nock.cleanAll());

describe("Teams Workflows webhook contract", () => {
  it("posts a message with one Adaptive Card 1.4: who, what, where, until (local time), and the review link", async () => {
    const bodies: unknown[] = [];
    webhook(bodies, [[202]]);
    const d = delivery();
    expect(d).toMatchObject({ audience: "thread", destination: "approvals", requester: "alice" });
    expect(await new TeamsNotifier({ env, waits: fakeWaits() }).send(d, notice())).toBe(1);
    expect(bodies).toEqual([
      {
        type: "message",
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            contentUrl: null,
            content: {
              $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
              type: "AdaptiveCard",
              version: "1.4",
              body: [
                {
                  type: "TextBlock",
                  text: "acme/access#7: access granted",
                  weight: "Bolder",
                  size: "Medium",
                  wrap: true,
                },
                {
                  type: "FactSet",
                  facts: [
                    { title: "Who", value: "alice (user:alice@example.com) (@alice)" },
                    { title: "What", value: "alice-prod-db" },
                    {
                      title: "Until",
                      value: "{{DATE(2026-12-01T14:00:00Z, SHORT)}} {{TIME(2026-12-01T14:00:00Z)}}",
                    },
                  ],
                },
                { type: "TextBlock", text: "Granted", wrap: true, isSubtle: true },
              ],
              actions: [
                {
                  type: "Action.OpenUrl",
                  title: "Review on GitHub",
                  url: "https://github.com/acme/access/pull/7/files",
                },
              ],
            },
          },
        ],
      },
    ]);
  });

  it("429 waits its Retry-After, 5xx backs off, then it is sent", async () => {
    const bodies: unknown[] = [];
    webhook(bodies, [[429, { "retry-after": "3" }], [502], [202]]);
    const waits = fakeWaits();
    expect(await new TeamsNotifier({ env, waits }).send(delivery(), notice())).toBe(3);
    expect(waits.slept).toEqual([3000, 2000]);
    expect(bodies).toHaveLength(3);
  });

  it("a 400 is not retried, and the error never quotes the webhook URL", async () => {
    webhook([], [[400]]);
    const err = (await new TeamsNotifier({ env, waits: fakeWaits() })
      .send(delivery(), notice())
      .catch((e: unknown) => e)) as SendFailed;
    expect({ attempts: err.attempts, gaveUp: err.gaveUp, message: err.message }).toEqual({
      attempts: 1,
      gaveUp: false,
      message: "the Teams webhook answered HTTP 400",
    });
  });

  it("invariant: the webhook URL (a secret) is in no error, even when the host cannot be reached", async () => {
    nock(HOST).post(PATH).query(true).times(4).replyWithError(`connect ECONNREFUSED ${URL_}`);
    const err = (await new TeamsNotifier({ env, waits: fakeWaits() })
      .send(delivery(), notice())
      .catch((e: unknown) => e)) as SendFailed;
    expect(err.gaveUp).toBe(true);
    expect(`${err.message} ${String((err.cause as Error).message)}`).not.toContain(SIG);
    expect(err.message).toMatch(/^the Teams webhook could not be reached \(\w+\)$/);
  });

  it("notification.teams-webhook-unset: a declared name with no URL in the environment, naming the variable", async () => {
    const err = (await new TeamsNotifier({ env: {}, waits: fakeWaits() })
      .send(delivery(), notice())
      .catch((e: unknown) => e)) as NotifyConfigError;
    expect(err).toBeInstanceOf(NotifyConfigError);
    expect({ code: err.code, message: err.message }).toEqual({
      code: "notification.teams-webhook-unset",
      message:
        "teams webhook approvals has no URL: set JITOPS_TEAMS_WEBHOOK_APPROVALS to the URL of its Workflows trigger",
    });
  });
});
