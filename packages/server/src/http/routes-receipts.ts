import { consumeReceiptBodySchema, executionReportBodySchema } from '@countersign/core/protocol';
import { Hono } from 'hono';
import { publicKeySet } from '../receipts/signing-keys.js';
import { consumeReceipt } from '../service/consume-receipt.js';
import { reportExecution } from '../service/report-execution.js';
import type { ServiceContext } from '../service/service-context.js';
import type { AppEnv } from './auth-middleware.js';
import { readJson } from './read-input.js';

/** `GET /.well-known/jwks.json`: the public keys receipts are signed with (no authentication). */
export function jwksRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/.well-known/jwks.json', async (c) => {
    const records = await context.store.read((tx) => tx.listSigningKeys());
    // Short: a rotated key must reach verifiers before its first receipt does.
    c.header('cache-control', 'public, max-age=60');
    return c.json(publicKeySet(records));
  });
  return app;
}

/** `POST /v1/receipts/:id/consume`: use a receipt once. */
export function receiptRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/:id/consume', async (c) => {
    const { receipt } = await readJson(c, consumeReceiptBodySchema);
    return c.json(await consumeReceipt(context, c.get('principal'), c.req.param('id'), receipt));
  });
  return app;
}

/** `POST /v1/requests/:id/execution`: what happened to an approved call. */
export function executionRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/:id/execution', async (c) => {
    const body = await readJson(c, executionReportBodySchema);
    return c.json(await reportExecution(context, c.get('principal'), c.req.param('id'), body));
  });
  return app;
}
