import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A webhook as the receiver got it: headers and raw body. */
export interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  event: string;
  action: string | null;
  body: Record<string, unknown>;
}

/** A loopback HTTP endpoint recording webhook deliveries; `status` decides what it answers. */
export interface WebhookReceiver {
  url: string;
  received: Received[];
  status: number;
  close(): Promise<void>;
}

/** Starts a receiver on a free port. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = { url: "", received: [] as Received[], status: 200, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const body = JSON.parse(raw) as Record<string, unknown>;
      receiver.received.push({
        headers: req.headers,
        raw,
        event: String(req.headers["x-github-event"]),
        action: typeof body.action === "string" ? body.action : null,
        body,
      });
      res.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}
