// Create → approved-by-grant latency next to a plain create, one after the other against one
// `countersign serve` process on loopback (SQLite, the default store). The plain create's rule
// forbids grants, so it does no grant lookup at all; the other cases look up the live grants and
// run their CEL conditions, and the matching one also takes a use and writes the approval.
import { type BenchResult, printRows, printTable } from './measure.ts';
import { percentiles, startServerProcess } from './server-process.ts';

const ROUNDS = Number(process.env.BENCH_GRANT_ROUNDS ?? 300);
const OTHER_GRANTS = Number(process.env.BENCH_OTHER_GRANTS ?? 50);
const server = await startServerProcess();

const scope = (grants: false | Record<string, never>) => ({
  rule: 'payments',
  rules: [{ name: 'payments', action: 'require', grants }],
  default: { action: 'require' },
});

async function post(path: string, key: string, body: unknown): Promise<{ status: string }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}`);
  return (await response.json()) as { status: string };
}

const grant = (tool: string, when: string) =>
  post('/v1/grants', server.keys.admin, { tool, when, appliesTo: 'any', lifetime: '1h' });

await grant('pay_*', 'args.amount <= 500');
// Live grants for other tools: every create under a grant-friendly rule looks at them too.
for (let index = 0; index < OTHER_GRANTS; index++) await grant(`other_${index}`, 'args.n < 10');

interface Case {
  name: string;
  expect: string;
  body: (round: number) => unknown;
}

const CASES: Case[] = [
  {
    name: 'plain create (rule forbids grants)',
    expect: 'pending',
    body: (round) => ({
      action: 'bench',
      tool: { name: 'pay_vendor', args: { amount: 100, round } },
      policy: scope(false),
    }),
  },
  {
    name: 'create, no grant matches',
    expect: 'pending',
    body: (round) => ({
      action: 'bench',
      tool: { name: 'pay_vendor', args: { amount: 900, round } },
      policy: scope({}),
    }),
  },
  {
    name: 'create → approved by grant',
    expect: 'approved',
    body: (round) => ({
      action: 'bench',
      tool: { name: 'pay_vendor', args: { amount: 100, round } },
      policy: scope({}),
    }),
  },
];

let round = 0;
async function timeCase(item: Case, rounds = ROUNDS): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < rounds; index++, round++) {
    const started = performance.now();
    const request = await post('/v1/requests', server.keys.agent, item.body(round));
    times.push(performance.now() - started);
    if (request.status !== item.expect) {
      throw new Error(`${item.name}: expected ${item.expect}, got ${request.status}`);
    }
  }
  return times;
}

try {
  // Warm up every path once, then interleave the cases so drift hits them alike.
  for (const item of CASES) await timeCase(item, 30);
  const results = new Map<string, number[]>(CASES.map((item) => [item.name, []]));
  for (let pass = 0; pass < 3; pass++) {
    for (const item of CASES) results.get(item.name)?.push(...(await timeCase(item)));
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const table: BenchResult[] = CASES.map((item) => {
    const ms = mean(results.get(item.name) ?? []);
    return { name: item.name, nsPerOp: ms * 1e6, opsPerSecond: 1000 / ms };
  });
  printTable('Sequential creates over HTTP (mean per create)', table);
  const baseline = percentiles(results.get(CASES[0]?.name as string) ?? []).p50;
  printRows(
    `Create latency, ${ROUNDS * 3} sequential creates per case, ${OTHER_GRANTS + 1} live grants (SQLite)`,
    ['case', 'p50 ms', 'p99 ms', 'max ms', 'p50 vs plain'],
    CASES.map((item) => {
      const stats = percentiles(results.get(item.name) ?? []);
      return [
        item.name,
        stats.p50.toFixed(2),
        stats.p99.toFixed(2),
        stats.max.toFixed(2),
        `${(stats.p50 / baseline).toFixed(2)}x`,
      ];
    }),
  );
} finally {
  await server.stop();
}
