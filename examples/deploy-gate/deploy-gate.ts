// The same CI gate as deploy-gate.sh, in Node with plain fetch (no SDK):
//   node deploy-gate.ts "Deploy v2.4.1 to prod" -- ./deploy.sh v2.4.1
// Exit codes: the command's own when approved, 10 rejected, 11 expired or timed out,
// 12 usage or configuration, 13 server unreachable or erroring.
import { spawn } from 'node:child_process';

const EXIT = { rejected: 10, expired: 11, usage: 12, server: 13 } as const;

function fail(code: number, message: string): never {
  console.error(`deploy-gate: ${message}`);
  process.exit(code);
}

const [action, separator, ...command] = process.argv.slice(2);
if (!action) fail(EXIT.usage, 'usage: node deploy-gate.ts "what will happen" [-- command args…]');
if (separator !== undefined && separator !== '--') fail(EXIT.usage, 'put the command after --');
const { COUNTERSIGN_URL: url, COUNTERSIGN_API_KEY: key } = process.env;
if (!url || !key) fail(EXIT.usage, 'set COUNTERSIGN_URL and COUNTERSIGN_API_KEY (an agent key)');
const base = url.replace(/\/+$/, '');
const intervalMs = Number(process.env.POLL_INTERVAL ?? '5') * 1000;
const limitMs = Number(process.env.PAUSE_TIMEOUT ?? '3600') * 1000;
if (!(intervalMs > 0) || !(limitMs > 0))
  fail(EXIT.usage, 'POLL_INTERVAL and PAUSE_TIMEOUT are seconds');

interface Pause {
  watchId: string;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  reason?: string;
}

/** One call to the pause API; anything but a 2xx JSON answer stops the step (fail closed). */
async function call(method: string, path: string, body?: unknown): Promise<Pause> {
  let response: Response;
  try {
    response = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    fail(EXIT.server, `cannot reach ${base}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) fail(EXIT.server, `${method} ${path} answered ${response.status}: ${text}`);
  try {
    return JSON.parse(text) as Pause;
  } catch {
    fail(EXIT.server, `${method} ${path} answered something that is not JSON`);
  }
}

const env = process.env;
const created = await call('POST', '/api/pause', {
  action,
  context: {
    commit: env.GITHUB_SHA ?? env.CI_COMMIT_SHA ?? 'local',
    repository: env.GITHUB_REPOSITORY ?? env.CI_PROJECT_PATH ?? 'local',
    actor: env.GITHUB_ACTOR ?? env.USER ?? 'ci',
    command: command.join(' '),
  },
});
if (typeof created.watchId !== 'string') fail(EXIT.server, 'no watchId in the answer');
console.log(`Paused for approval: ${action}`);
console.log(
  `watchId: ${created.watchId} (decide in the dashboard at ${base}/ or: countersign approve ${created.watchId})`,
);

const started = Date.now();
for (;;) {
  const pause = await call('GET', `/api/pause/${encodeURIComponent(created.watchId)}`);
  if (pause.status === 'approved') break;
  if (pause.status === 'rejected')
    fail(EXIT.rejected, `rejected: ${pause.reason ?? 'no reason given'}`);
  if (pause.status === 'expired')
    fail(EXIT.expired, 'the request expired without a decision; not deploying');
  if (pause.status !== 'pending') fail(EXIT.server, `unexpected status "${String(pause.status)}"`);
  if (Date.now() - started >= limitMs) {
    fail(
      EXIT.expired,
      `no decision within ${limitMs / 1000}s; not deploying (the request stays open: ${created.watchId})`,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
console.log(`Approved (${created.watchId})`);
const [program, ...args] = command;
if (program === undefined) process.exit(0);
const child = spawn(program, args, { stdio: 'inherit' });
child.once('error', (error) => fail(EXIT.usage, `cannot run ${program}: ${error.message}`));
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
