// The board-report agent, one process: draft the quarter's financial summary, ask legal for a
// review, then ask the CFO to approve distribution. Every step is saved, and the gate's requests
// are idempotent (same run id + tool call id + arguments), so a killed and restarted agent
// re-attaches to the request it was waiting on instead of asking again.
// Env: COUNTERSIGN_URL, COUNTERSIGN_API_KEY (an agent key), BOARD_REPORT_STATE_DIR,
// BOARD_REPORT_QUARTER (default 2026-Q3).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ApprovalService,
  CountersignClient,
  createGate,
  type GateDecision,
  loadPolicy,
} from '@countersign/core';
import { draftSummary } from './draft.ts';
import { loadState, type ReportState, STATE_SCHEMA_VERSION, saveState } from './report-state.ts';

const {
  COUNTERSIGN_URL: url,
  COUNTERSIGN_API_KEY: apiKey,
  BOARD_REPORT_STATE_DIR: stateDir,
  BOARD_REPORT_QUARTER: quarterSetting,
} = process.env;
const quarter = quarterSetting ?? '2026-Q3';
if (!url || !apiKey || !stateDir) {
  console.error('Set COUNTERSIGN_URL, COUNTERSIGN_API_KEY and BOARD_REPORT_STATE_DIR');
  process.exit(2);
}

const WAITING_FOR: Record<string, string> = {
  request_legal_review: 'legal review',
  distribute_board_report: 'CFO approval of distribution',
};
const client = new CountersignClient({ baseUrl: url, apiKey });
// Tell the operator which request we wait on, including when a restart re-attached to it.
const service: ApprovalService = {
  create: async (body, options) => {
    const request = await client.create(body, options);
    const what = WAITING_FOR[request.tool?.name ?? ''] ?? request.action;
    console.log(
      `Waiting for ${what}: ${request.id} (${request.kind}, deadline ${request.deadline})`,
    );
    return request;
  },
  get: (id, options) => client.get(id, options),
  list: (filters) => client.list(filters),
  wait: (id, options) => client.wait(id, options),
  decide: (id, body, options) => client.decide(id, body, options),
  cancel: (id, body, options) => client.cancel(id, body, options),
  update: (id, body, options) => client.update(id, body, options),
};
const policy = await loadPolicy(fileURLToPath(new URL('../countersign.yaml', import.meta.url)));
const gate = createGate({ policy, service });

let state = loadState(stateDir);
if (state) {
  console.log(`Resumed run ${state.runId}: the draft of ${state.quarter} is loaded from disk`);
} else {
  state = {
    schemaVersion: STATE_SCHEMA_VERSION,
    quarter,
    runId: `board-report-${quarter}`,
    draft: draftSummary(quarter),
  };
  saveState(stateDir, state);
  console.log(`Drafted the financial summary for ${quarter} (revision 1)`);
}

function stop(decision: GateDecision): never {
  const message = decision.outcome === 'allow' ? 'allowed' : decision.message;
  console.log(`Stopped: ${message}`);
  process.exit(1);
}

const run = { runId: state.runId, context: { quarter: state.quarter, agent: 'board-report' } };
if (!state.reviewed) {
  const review = await gate.check({
    ...run,
    toolName: 'request_legal_review',
    toolCallId: 'legal-review',
    args: { quarter: state.quarter, report: state.draft },
    action: `Legal review of the ${state.quarter} board report before it goes to the CFO`,
  });
  if (review.outcome !== 'allow' || !review.requestId) stop(review);
  const report = review.args.report as ReportState['draft'];
  state = {
    ...state,
    reviewed: {
      requestId: review.requestId,
      report,
      fingerprint: review.fingerprint,
      by: review.approvedBy ?? [],
    },
  };
  saveState(stateDir, state);
  console.log(
    `Legal review approved by ${review.approvedBy?.join(', ')}${review.edited ? ' with edits' : ''} (${review.fingerprint})`,
  );
}

const reviewed = state.reviewed as NonNullable<ReportState['reviewed']>;
if (!state.distributed) {
  const distribution = await gate.check({
    ...run,
    toolName: 'distribute_board_report',
    toolCallId: 'cfo-distribution',
    args: { quarter: state.quarter, report: reviewed.report, recipients: ['board@example.test'] },
    action: `Send the legally reviewed ${state.quarter} board report to the board`,
  });
  if (distribution.outcome !== 'allow' || !distribution.requestId) stop(distribution);
  // The "distribution": the exact approved arguments, written where the board would read them.
  writeFileSync(
    join(stateDir, 'distributed-report.json'),
    JSON.stringify(distribution.args, null, 2),
  );
  state = {
    ...state,
    distributed: {
      requestId: distribution.requestId,
      fingerprint: distribution.fingerprint,
      by: distribution.approvedBy ?? [],
      at: new Date().toISOString(),
    },
  };
  saveState(stateDir, state);
}
console.log(
  `Distributed the ${state.quarter} report to the board (approved by ${state.distributed?.by.join(', ')}, ${state.distributed?.fingerprint})`,
);
