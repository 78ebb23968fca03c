import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { auditPages, verifyAuditChain } from '../audit/audit-chain.js';
import type { ServiceContext } from '../service/service-context.js';
import type { AuditEntry, AuditQuery } from '../store/store-types.js';
import { type AuditLine, type AuditVerificationView, auditQuerySchema } from './audit-schemas.js';
import { type AppEnv, requireRole } from './auth-middleware.js';
import { readQuery } from './read-input.js';

const CSV_COLUMNS = [
  'seq',
  'at',
  'type',
  'requestId',
  'actor',
  'data',
  'prevHash',
  'hash',
] as const;

function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Formats one audit entry as a CSV row. */
export function auditCsvRow(entry: AuditEntry): string {
  return CSV_COLUMNS.map((column) => csvCell(entry[column])).join(',');
}

/** `GET /v1/audit` (JSON Lines or CSV) and `GET /v1/audit/verify`; admins only. */
export function auditRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('admin'));
  const { store } = context;

  app.get('/', (c) => {
    const query = readQuery(c, auditQuerySchema);
    const csv =
      query.format === 'csv' ||
      (!query.format && (c.req.header('accept') ?? '').includes('text/csv'));
    const filter: Omit<AuditQuery, 'afterSeq' | 'limit'> = {};
    if (query.requestId) filter.requestId = query.requestId;
    if (query.from) filter.from = new Date(query.from).toISOString();
    if (query.to) filter.to = new Date(query.to).toISOString();
    c.header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8');
    return stream(c, async (out) => {
      if (csv) await out.write(`${CSV_COLUMNS.join(',')}\n`);
      const pages = auditPages((afterSeq) =>
        store.read((tx) => tx.listAudit({ ...filter, afterSeq, limit: 1000 })),
      );
      for await (const page of pages) {
        const lines = page.map((entry: AuditLine) =>
          csv ? auditCsvRow(entry) : JSON.stringify(entry),
        );
        await out.write(`${lines.join('\n')}\n`);
      }
    });
  });

  app.get('/verify', async (c) => {
    const result: AuditVerificationView = await verifyAuditChain(
      auditPages((afterSeq) => store.read((tx) => tx.listAudit({ afterSeq, limit: 1000 }))),
    );
    return c.json(result);
  });
  return app;
}
