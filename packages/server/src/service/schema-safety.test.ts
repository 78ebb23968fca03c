import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import type { Reply } from '../test-support/harness.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `$defs` d0…d(levels-1), each an `allOf` of the next one twice: 2^levels subschemas. */
function doublingSchema(levels: number): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (let level = 0; level < levels; level++) {
    const next = level + 1 < levels ? { $ref: `#/$defs/d${level + 1}` } : { type: 'string' };
    defs[`d${level}`] = { allOf: [next, next] };
  }
  return {
    $defs: defs,
    type: 'object',
    properties: { q: { $ref: '#/$defs/d0' } },
    allOf: [{ $ref: '#/$defs/d0' }],
  };
}

async function call(
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Pick<Reply, 'status' | 'body'>> {
  const response = await fetch(`${server?.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

/**
 * Asks /healthz again and again while `slow` runs and counts the answers. The server runs in this
 * process, so an event loop blocked by the slow request would hold these answers back too.
 */
async function healthzAnsweredDuring(slow: () => Promise<unknown>): Promise<number> {
  let done = false;
  const running = slow().finally(() => {
    done = true;
  });
  // Its failure is reported by the await below, not as an unhandled rejection meanwhile.
  running.catch(() => undefined);
  let answered = 0;
  while (!done) {
    const health = await fetch(`${server?.url}/healthz`);
    await health.body?.cancel();
    if (health.status === 200 && !done) answered++;
  }
  await running;
  return answered;
}

async function keys(target: TestServer) {
  return {
    agent: await target.createKey({ role: 'agent', name: 'bot' }),
    alice: await target.createKey({ role: 'reviewer', name: 'alice' }),
  };
}

describe('agent-supplied JSON Schemas', () => {
  it('refuses at create a 1.4 KB schema whose $defs double per level (21 levels), naming the limit', async () => {
    server = await startTestServer();
    const { agent } = await keys(server);
    const schema = doublingSchema(21);
    expect(JSON.stringify(schema).length).toBeLessThan(1600);
    for (const body of [
      { action: 'X', tool: { name: 't', args: { q: 'x' }, schema } },
      { action: 'X', kind: 'form', responseSchema: schema },
    ]) {
      const refused = await call(agent, 'POST', '/v1/requests', body);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: 'validation_failed',
        details: { name: 'maxSchemaExpansion', limit: 10_000 },
      });
      expect(refused.body.error.details.value).toBeGreaterThan(10_000);
    }
    const shallow = await call(agent, 'POST', '/v1/requests', {
      action: 'X',
      tool: { name: 't', args: { q: 'x' }, schema: doublingSchema(8) },
    });
    expect(shallow.status).toBe(201);
  });

  it('evaluates an agent pattern such as ^(a|a)*$ in linear time when a reviewer edits', async () => {
    server = await startTestServer();
    const { agent, alice } = await keys(server);
    const schema = {
      type: 'object',
      properties: { q: { type: 'string', pattern: '^(a|a)*$' } },
      patternProperties: { '^(x|x)*$': { type: 'string', pattern: '^(b|b)*$' } },
    };
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'X',
      tool: { name: 't', args: { q: 'a' }, schema },
      assignees: ['user:alice'],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    {
      const refused = await call(alice, 'POST', `/v1/requests/${id}/decisions`, {
        outcome: 'edit',
        args: { q: `${'a'.repeat(26)}!` },
      });
      expect(refused.status).toBe(422);
      expect(
        refused.body.error.details.issues.map((issue: { path: string }) => issue.path),
      ).toContain('#/q');
    }
    const wrongKey = await call(alice, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'edit',
      args: { q: 'aa', [`${'x'.repeat(26)}`]: `${'b'.repeat(26)}!` },
    });
    expect(wrongKey.status).toBe(422);
    const edited = await call(alice, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'edit',
      args: { q: 'a'.repeat(27) },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.status).toBe('approved');
  });

  it('refuses at create a pattern that needs backtracking (backreference, lookaround), naming its path', async () => {
    server = await startTestServer();
    const { agent } = await keys(server);
    for (const [pattern, path] of [
      ['^(a+)\\1$', '/tool/schema/properties/q/pattern'],
      ['^(?=a)a$', '/tool/schema/properties/q/pattern'],
    ]) {
      const refused = await call(agent, 'POST', '/v1/requests', {
        action: 'X',
        tool: { name: 't', args: {}, schema: { properties: { q: { type: 'string', pattern } } } },
      });
      expect(refused.status, pattern).toBe(400);
      expect(refused.body.error.details).toMatchObject({ name: 'pattern', path });
    }
    const keyPattern = await call(agent, 'POST', '/v1/requests', {
      action: 'X',
      tool: { name: 't', args: {}, schema: { patternProperties: { '(?<!x)y': {} } } },
    });
    expect(keyPattern.status).toBe(400);
    expect(keyPattern.body.error.details.path).toBe('/tool/schema/patternProperties/(?<!x)y');
  });

  it('stops a check past its time budget off the event loop: 422, /healthz answers meanwhile, the next check works', async () => {
    // A budget well below what the check needs even on a fast, idle machine.
    server = await startTestServer({ inputLimits: { schemaCheckTimeoutMs: 100 } });
    const { agent, alice } = await keys(server);
    // uniqueItems compares every pair: about 0.4 s for 4 990 objects here, within every other limit.
    const schema = { type: 'object', properties: { list: { type: 'array', uniqueItems: true } } };
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'X',
      tool: { name: 't', args: { list: [] }, schema },
      assignees: ['user:alice'],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const answered = await healthzAnsweredDuring(async () => {
      const refused = await call(alice, 'POST', `/v1/requests/${id}/decisions`, {
        outcome: 'edit',
        args: { list: Array.from({ length: 4990 }, (_, a) => ({ a })) },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.details).toEqual({ name: 'schemaCheckTimeoutMs', limit: 100 });
    });
    // Each /healthz takes a millisecond or two; the check runs for its whole budget meanwhile.
    expect(answered).toBeGreaterThanOrEqual(3);
    const edited = await call(alice, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'edit',
      args: { list: [1, 2, 3] },
    });
    expect(edited.status).toBe(200);
  });
});
