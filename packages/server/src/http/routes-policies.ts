import {
  policyNameSchema,
  policyVersionBodySchema,
  pushPolicyBodySchema,
  shadowReportBodySchema,
} from '@countersign/core/protocol';
import { Hono } from 'hono';
import {
  loadVersion,
  type PolicyApprovalOptions,
  publicVersion,
  pushPolicy,
  rollbackPolicy,
  setShadowPolicy,
} from '../service/central-policies.js';
import { fail } from '../service/failures.js';
import { lineDiff } from '../service/line-diff.js';
import type { ServiceContext } from '../service/service-context.js';
import { recordShadowReport } from '../service/shadow-reports.js';
import { type AppEnv, requireRole } from './auth-middleware.js';
import { readJson } from './read-input.js';

function nameParam(value: string): string {
  const parsed = policyNameSchema.safeParse(value);
  if (!parsed.success) {
    throw fail('validation_failed', `"${value.slice(0, 80)}" is not a policy name`, {
      issues: [{ path: ['name'], message: parsed.error.issues[0]?.message ?? 'invalid' }],
    });
  }
  return parsed.data;
}

function versionParam(value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) {
    throw fail('validation_failed', `"${value.slice(0, 20)}" is not a version number`);
  }
  return Number(value);
}

/**
 * Central policies, mounted at `/v1/policies`: admins push, list, show, roll back and attach
 * shadow versions; gates (agent keys) send shadow reports. Gates read the active version through
 * `/v1/control`.
 */
export function policyRoutes(
  context: ServiceContext,
  approval: PolicyApprovalOptions | undefined,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const admin = requireRole('admin');
  const { store } = context;

  app.get('/', admin, async (c) => {
    const items = await store.read(async (tx) => {
      const heads = await tx.listPolicyHeads();
      return Promise.all(
        heads.map(async (head) => ({
          name: head.name,
          activeVersion: head.activeVersion,
          shadowVersion: head.shadowVersion,
          latestVersion: await tx.latestPolicyVersion(head.name),
          updatedAt: head.updatedAt,
        })),
      );
    });
    return c.json({ items });
  });
  app.post('/:name/versions', admin, async (c) => {
    const name = nameParam(c.req.param('name'));
    const body = await readJson(c, pushPolicyBodySchema);
    const version = await pushPolicy(context, c.get('principal'), name, body, approval);
    return c.json(version, version.state === 'proposed' ? 202 : 201);
  });
  app.get('/:name/versions', admin, async (c) => {
    const name = nameParam(c.req.param('name'));
    const items = await store.read(async (tx) => {
      const head = await tx.getPolicyHead(name);
      if (!head) throw fail('not_found', `There is no policy "${name}"`);
      return (await tx.listPolicyVersions(name)).map((record) => publicVersion(record, head));
    });
    return c.json({ items });
  });
  app.get('/:name/versions/:version', admin, async (c) => {
    const name = nameParam(c.req.param('name'));
    const version = versionParam(c.req.param('version'));
    return c.json(
      await store.read(async (tx) => {
        const record = await loadVersion(tx, name, version);
        const previous = version > 1 ? await tx.getPolicyVersion(name, version - 1) : undefined;
        const diff = lineDiff(previous?.text ?? '', record.text, [
          previous ? `${name}@${previous.version}` : '/dev/null',
          `${name}@${version}`,
        ]);
        return publicVersion(record, await tx.getPolicyHead(name), { text: true, diff });
      }),
    );
  });
  app.post('/:name/rollback', admin, async (c) => {
    const name = nameParam(c.req.param('name'));
    const { version } = await readJson(c, policyVersionBodySchema);
    return c.json(await rollbackPolicy(context, c.get('principal'), name, version));
  });
  app.put('/:name/shadow', admin, async (c) => {
    const name = nameParam(c.req.param('name'));
    const { version } = await readJson(c, policyVersionBodySchema);
    await setShadowPolicy(context, c.get('principal'), name, version);
    return c.body(null, 204);
  });
  app.delete('/:name/shadow', admin, async (c) => {
    const name = nameParam(c.req.param('name'));
    await setShadowPolicy(context, c.get('principal'), name, null);
    return c.body(null, 204);
  });
  app.post('/:name/shadow-reports', requireRole('agent', 'admin'), async (c) => {
    const name = nameParam(c.req.param('name'));
    const body = await readJson(c, shadowReportBodySchema);
    await recordShadowReport(context, name, c.get('principal').id, body);
    return c.body(null, 204);
  });
  app.get('/:name/shadow-reports', admin, async (c) => {
    const name = nameParam(c.req.param('name'));
    const items = await store.read((tx) => tx.listShadowReports(name));
    return c.json({
      items: items.map(({ samples, ...report }) => ({
        ...report,
        samples: JSON.parse(samples) as Record<string, unknown>[],
      })),
    });
  });
  return app;
}
