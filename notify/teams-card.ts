import type { Notice } from "../core/events/notice.js";

/** A time every reader sees in their own zone: Adaptive Cards' DATE and TIME functions on an RFC 3339 time. */
export function teamsDate(iso: string): string {
  const t = new Date(Date.parse(iso)).toISOString().replace(/\.\d{3}Z$/, "Z");
  return `{{DATE(${t}, SHORT)}} {{TIME(${t})}}`;
}

/**
 * The body a Teams Workflows webhook ("When a Teams webhook request is received", then "Post card in
 * a chat or channel") accepts: a message with one Adaptive Card 1.4 attachment. Office 365 connectors
 * (MessageCard) are retired. The only action opens the pull request's review page: approval is a
 * code review, never a card button.
 */
export function teamsMessage(n: Notice, mention?: string): Record<string, unknown> {
  const facts: { title: string; value: string }[] = [];
  if (n.who) facts.push({ title: "Who", value: mention ? `${n.who} (@${mention})` : n.who });
  if (n.what) facts.push({ title: "What", value: n.what });
  if (n.where.length) facts.push({ title: "Where", value: n.where.join("; ") });
  if (n.until) facts.push({ title: "Until", value: teamsDate(n.until) });
  else if (n.atMost) facts.push({ title: "Until", value: `at most ${n.atMost} after merge` });
  const body: unknown[] = [
    { type: "TextBlock", text: n.title, weight: "Bolder", size: "Medium", wrap: true },
    ...(facts.length ? [{ type: "FactSet", facts }] : []),
    { type: "TextBlock", text: n.status, wrap: true, isSubtle: true },
  ];
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
          ...(n.reviewUrl
            ? { actions: [{ type: "Action.OpenUrl", title: "Review on GitHub", url: n.reviewUrl }] }
            : {}),
        },
      },
    ],
  };
}
