import { createServer, type Server } from 'node:http';
import type { ApprovalRequest } from '@countersign/core';
import { Webhook } from 'standardwebhooks';

/** The body Countersign posts: `{ type: 'request.decided', timestamp, data: RequestEvent }`. */
interface WebhookBody {
  type: string;
  data: { request: ApprovalRequest };
}

const TERMINAL = new Set(['request.decided', 'request.expired', 'request.cancelled']);

/** A loopback receiver for Countersign webhooks, verifying each Standard Webhooks signature. */
export interface WebhookReceiver {
  url: string;
  /** Sets the signing secret (known once the subscription exists). */
  useSecret(secret: string): void;
  close(): Promise<void>;
}

/**
 * Calls `onTerminal` once per request that reaches a final state. Deliveries are at least once,
 * so duplicates (same request) are acknowledged and ignored.
 */
export async function startWebhookReceiver(
  onTerminal: (request: ApprovalRequest) => void,
): Promise<WebhookReceiver> {
  let verifier: Webhook | undefined;
  const handled = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: WebhookBody;
      try {
        if (!verifier) throw new Error('no secret yet');
        body = verifier.verify(Buffer.concat(chunks).toString('utf8'), {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        }) as WebhookBody;
      } catch (error) {
        console.log(
          `  [webhook] refused an unsigned or badly signed delivery: ${(error as Error).message}`,
        );
        res.writeHead(401).end();
        return;
      }
      res.writeHead(204).end();
      const request = body.data.request;
      if (!TERMINAL.has(body.type) || handled.has(request.id)) return;
      handled.add(request.id);
      onTerminal(request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver has no port');
  return {
    url: `http://127.0.0.1:${address.port}/countersign`,
    useSecret: (secret) => {
      verifier = new Webhook(secret);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
