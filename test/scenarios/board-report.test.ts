// Scenario 2, the quarterly board report, with injected time (a manual clock): the agent (a real
// child process running examples/board-report) drafts a summary, asks legal for a review, is
// killed during that wait and restarted, re-attaches to the same request, and then asks the CFO to
// approve distribution; the CFO's delegate approves after the 24 h escalation. The audit export
// shows who approved which version (fingerprint) and when, and verifies.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApprovalRequest, fingerprint } from '@countersign/core';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, auditExport } from './api.ts';
import { runNode } from './child-process.ts';

const agentScript = fileURLToPath(
  new URL('../../examples/board-report/src/agent.ts', import.meta.url),
);
const HOUR = 3_600_000;
let server: TestServer;
let stateDir: string;
const keys: Record<string, string> = {};

beforeEach(async () => {
  server = await startTestServer({
    manualClock: true,
    startTime: Date.parse('2026-10-05T09:00:00Z'),
  });
  stateDir = await mkdtemp(join(tmpdir(), 'countersign-board-report-'));
  keys.agent = await server.createKey({ role: 'agent', name: 'board-bot' });
  keys.lena = await server.createKey({ role: 'reviewer', name: 'lena', groups: ['legal'] });
  keys.cfo = await server.createKey({ role: 'reviewer', name: 'cfo', groups: ['finance'] });
  keys.deputy = await server.createKey({ role: 'reviewer', name: 'deputy-cfo' });
});
afterEach(async () => {
  await server.close();
  await rm(stateDir, { recursive: true, force: true });
});

function startAgent() {
  return runNode(agentScript, [], {
    env: {
      COUNTERSIGN_URL: server.url,
      COUNTERSIGN_API_KEY: keys.agent,
      BOARD_REPORT_STATE_DIR: stateDir,
    },
  });
}

async function allRequests(): Promise<ApprovalRequest[]> {
  return (await api(server.url, server.adminKey, 'GET', '/v1/requests?limit=100')).body.items;
}

describe('scenario 2: quarterly board report', () => {
  it('survives a kill during the legal wait, escalates to the delegate, and audits who approved what', async () => {
    const started = server.clock.now();
    // 1. The agent drafts, asks legal, and is killed while it waits.
    const first = startAgent();
    const [, legalId] = await first.waitFor(/Waiting for legal review: (req_[\w-]+)/);
    expect(first.output()).toContain('Drafted the financial summary for 2026-Q3');
    expect(await allRequests()).toHaveLength(1);
    first.child.kill('SIGKILL');
    await first.exited;

    // 2. Restarted, it loads its draft and re-attaches to the same request: nothing asked twice.
    const agent = startAgent();
    const [, reattached] = await agent.waitFor(/Waiting for legal review: (req_[\w-]+)/);
    expect(reattached).toBe(legalId);
    expect(agent.output()).toContain('Resumed run board-report-2026-Q3');
    expect(agent.output()).not.toContain('Drafted');
    const [legal] = await allRequests();
    expect(legal).toMatchObject({
      id: legalId,
      kind: 'review',
      status: 'pending',
      assignees: ['group:legal'],
      deadline: new Date(started + 48 * HOUR).toISOString(),
    });
    const draftArgs = legal?.tool?.args as { quarter: string; report: { summary: string[] } };

    // 3. Legal edits out the forward-looking sentence and approves the edited version.
    const reviewedArgs = {
      ...draftArgs,
      report: {
        ...draftArgs.report,
        revision: 2,
        summary: [
          ...draftArgs.report.summary.slice(0, 2),
          'Figures are unaudited; this report makes no forecast.',
        ],
      },
    };
    await server.clock.advance(3 * HOUR);
    const edit = await api(
      server.url,
      keys.lena as string,
      'POST',
      `/v1/requests/${legalId}/decisions`,
      {
        outcome: 'edit',
        args: reviewedArgs,
        comment: 'No forecasts in board material',
      },
    );
    expect(edit.body.status).toBe('approved');
    const reviewedPrint = fingerprint('request_legal_review', reviewedArgs);
    await agent.waitFor(
      new RegExp(`Legal review approved by user:lena with edits \\(${reviewedPrint}\\)`),
    );

    // 4. CFO approval of distribution; nobody decides, so after 24 h it escalates to the deputy.
    const [, cfoId] = await agent.waitFor(/Waiting for CFO approval of distribution: (req_[\w-]+)/);
    const distributionArgs = {
      quarter: '2026-Q3',
      report: reviewedArgs.report,
      recipients: ['board@example.test'],
    };
    const cfoRequest = (await allRequests()).find((request) => request.id === cfoId);
    expect(cfoRequest).toMatchObject({
      kind: 'approval',
      assignees: ['user:cfo'],
      fingerprint: fingerprint('distribute_board_report', distributionArgs),
      preview: {
        kind: 'email',
        parts: {
          to: ['board@example.test'],
          subject: 'Board report 2026-Q3',
          body: reviewedArgs.report.summary,
        },
      },
    });
    const early = await api(
      server.url,
      keys.deputy as string,
      'POST',
      `/v1/requests/${cfoId}/decisions`,
      {
        outcome: 'approve',
      },
    );
    expect(early.status).toBe(404);
    await server.clock.advance(24 * HOUR + 60_000);
    const escalated = (await allRequests()).find((request) => request.id === cfoId);
    expect(escalated).toMatchObject({
      status: 'pending',
      assignees: ['user:cfo', 'user:deputy-cfo'],
    });
    const approval = await api(
      server.url,
      keys.deputy as string,
      'POST',
      `/v1/requests/${cfoId}/decisions`,
      {
        outcome: 'approve',
        comment: 'Approved for the CFO, who is travelling',
      },
    );
    expect(approval.body.status).toBe('approved');

    // 5. The agent distributes exactly what was approved, and nothing was asked twice.
    expect(await agent.exited).toBe(0);
    expect(agent.output()).toContain(
      'Distributed the 2026-Q3 report to the board (approved by user:deputy-cfo',
    );
    const sent = JSON.parse(await readFile(join(stateDir, 'distributed-report.json'), 'utf8'));
    expect(sent).toEqual(distributionArgs);
    expect((await allRequests()).map((request) => request.id).sort()).toEqual(
      [legalId, cfoId].sort(),
    );

    // 6. The audit export: who approved which version (fingerprint) and when; the chain verifies.
    const audit = await auditExport(server.url, server.adminKey);
    const decisions = audit
      .filter((entry) => entry.type === 'decided')
      .map((entry) => [
        entry.requestId,
        entry.actor,
        entry.data.outcome,
        entry.data.decisionFingerprint,
        entry.at,
      ]);
    expect(decisions).toEqual([
      [legalId, 'user:lena', 'edit', reviewedPrint, new Date(started + 3 * HOUR).toISOString()],
      [
        cfoId,
        'user:deputy-cfo',
        'approve',
        fingerprint('distribute_board_report', distributionArgs),
        new Date(started + 27 * HOUR + 60_000).toISOString(),
      ],
    ]);
    const escalation = audit.find(
      (entry) => entry.type === 'escalated' && entry.requestId === cfoId,
    );
    // The scheduler fires escalations when the (injected) clock passes them: here at +27 h 1 min.
    expect(escalation?.at).toBe(new Date(started + 27 * HOUR + 60_000).toISOString());
    expect(escalation?.data).toMatchObject({ added: ['user:deputy-cfo'] });
    expect(audit.filter((entry) => entry.type === 'created')).toHaveLength(2);
    const verification = await api(server.url, server.adminKey, 'GET', '/v1/audit/verify');
    expect(verification.body).toMatchObject({ ok: true, entries: audit.length });
  });

  it("runs end to end as the example's one command (server on a manual clock, agent restarted)", async () => {
    const main = fileURLToPath(new URL('../../examples/board-report/src/main.ts', import.meta.url));
    const run = runNode(main, []);
    expect(await run.exited).toBe(0);
    const out = run.output();
    const ids = [...out.matchAll(/Waiting for legal review: (req_[\w-]+)/g)].map(
      (match) => match[1],
    );
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    expect(out).toMatch(/decided edit by user:lena sha256:[0-9a-f]{64}/);
    expect(out).toMatch(/decided approve by user:deputy-cfo sha256:[0-9a-f]{64}/);
    expect(out).toContain('"ok":true');
  });
});
