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
});
