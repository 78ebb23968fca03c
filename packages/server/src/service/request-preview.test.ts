import type { ApprovalRequest } from '@countersign/core/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/cli-support.js';
import { runCli } from '../cli/run-cli.js';
import { startTestServer, type TestServer } from '../test/start-test-server.js';

let server: TestServer;
let agentKey: string;
beforeEach(async () => {
  server = await startTestServer();
  agentKey = await server.createKey({ role: 'agent', name: 'mailer' });
});
afterEach(async () => {
  await server.close();
});

async function create(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/v1/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const emailCall = (args: Record<string, unknown>, fields: Record<string, string>) => ({
  action: 'Send the board report',
  tool: { name: 'send_email', args, preview: { kind: 'email', fields } },
});

describe('previews on the server', () => {
  it('renders the preview from the arguments that will run, and the CLI shows it as text', async () => {
    const created = await create(
      emailCall(
        { to: 'ceo@example.com', subject: 'Q3 \u001b[2Jnumbers', body: 'See attached.' },
        { to: 'args.to', subject: 'args.subject', body: 'args.body' },
      ),
    );
    expect(created.status).toBe(201);
    const request = created.json as unknown as ApprovalRequest;
    expect(request.preview).toEqual({
      kind: 'email',
      parts: { to: 'ceo@example.com', subject: 'Q3 \u001b[2Jnumbers', body: 'See attached.' },
      paths: { to: 'args.to', subject: 'args.subject', body: 'args.body' },
    });
    const out: string[] = [];
    const io: CliIo = {
      out: (text) => out.push(text),
      write: (text) => out.push(text),
      err: () => {},
      env: { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: server.adminKey },
    };
    expect(await runCli(['show', request.id], io)).toBe(0);
    const shown = out.join('\n');
    expect(shown).toContain(
      'preview (email)\n  To: ceo@example.com\n  Subject: Q3 \ufffd[2Jnumbers',
    );
    expect(shown).not.toContain('\u001b');
  });

  it('never shows a constant the agent wrote in place of the call', async () => {
    const created = await create(
      emailCall(
        { to: 'everyone@example.com', body: 'Layoffs' },
        { to: '"team@example.com"', body: 'args.body' },
      ),
    );
    expect(created.status).toBe(201);
    const preview = (created.json as unknown as ApprovalRequest).preview;
    expect(preview?.parts).toEqual({ body: 'Layoffs' });
    expect(preview?.errors?.to).toMatch(/does not read args or context/);
  });

  it('refuses a descriptor with a part its kind does not have, naming it', async () => {
    const created = await create(emailCall({ to: 'x' }, { statement: 'args.to' }));
    expect(created.status).toBe(400);
    const error = created.json.error as { code: string; message: string };
    expect(error.code).toBe('validation_failed');
    expect(JSON.stringify(created.json)).toContain('has no part');
  });

  it('renders the preview again from a reviewer’s edited arguments, which are what will run', async () => {
    const reviewers = await Promise.all(
      ['alice', 'bob'].map((name) => server.createKey({ role: 'reviewer', name })),
    );
    const created = await create({
      action: 'Run a statement on billing',
      assignees: ['user:alice', 'user:bob'],
      quorum: 2,
      tool: {
        name: 'db__execute',
        args: { database: 'billing', sql: "UPDATE invoices SET status = 'void'" },
        preview: { kind: 'sql', fields: { statement: 'args.sql', database: 'args.database' } },
      },
    });
    const id = (created.json as unknown as ApprovalRequest).id;
    const decide = (key: string, body: unknown) =>
      fetch(`${server.url}/v1/requests/${id}/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (response) => ({
        status: response.status,
        request: (await response.json()) as ApprovalRequest,
      }));
    const narrowed = "UPDATE invoices SET status = 'void' WHERE id = 1042";
    const edited = await decide(reviewers[0] as string, {
      outcome: 'edit',
      args: { database: 'billing', sql: narrowed },
    });
    expect(edited.status).toBe(200);
    expect(edited.request.status).toBe('pending');
    expect(edited.request.preview).toEqual({
      kind: 'sql',
      parts: { statement: narrowed, database: 'billing' },
      paths: { statement: 'args.sql', database: 'args.database' },
    });
    const read = await fetch(`${server.url}/v1/requests/${id}`, {
      headers: { authorization: `Bearer ${reviewers[1]}` },
    });
    expect(((await read.json()) as ApprovalRequest).preview?.parts.statement).toBe(narrowed);
    // An approval of the other reviewer's edit leaves the preview as it stands.
    const approved = await decide(reviewers[1] as string, { outcome: 'approve' });
    expect(approved.request.status).toBe('approved');
    expect(approved.request.resolution?.args).toEqual({ database: 'billing', sql: narrowed });
    expect(approved.request.preview?.parts.statement).toBe(narrowed);
  });
});
