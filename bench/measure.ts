/** One row of a benchmark table. */
export interface BenchResult {
  name: string;
  opsPerSecond: number;
  nsPerOp: number;
}

/** A case to time: a sync or async function called once per operation. */
export interface BenchCase {
  name: string;
  fn: () => unknown;
}

const TARGET_MS = 400;
// Results are kept here so the JIT cannot drop a call whose result is unused.
let sink: unknown;
const SAMPLES = 5;

/**
 * Times `fn` in batches: calibrates a batch to about TARGET_MS / SAMPLES, runs SAMPLES batches and
 * keeps the fastest (the least disturbed by GC and the scheduler). Awaits each call when it
 * returns a promise, so async cases include their await.
 */
export async function measure(bench: BenchCase): Promise<BenchResult> {
  const isAsync = bench.fn() instanceof Promise;
  const run = isAsync
    ? async (count: number) => {
        for (let index = 0; index < count; index += 1) sink = await bench.fn();
      }
    : async (count: number) => {
        for (let index = 0; index < count; index += 1) sink = bench.fn();
      };
  let batch = 1_000;
  for (;;) {
    const started = process.hrtime.bigint();
    await run(batch);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (elapsedMs >= TARGET_MS / SAMPLES / 4) {
      batch = Math.max(batch, Math.round((batch * (TARGET_MS / SAMPLES)) / elapsedMs));
      break;
    }
    batch *= 4;
  }
  let best = Number.POSITIVE_INFINITY;
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    const started = process.hrtime.bigint();
    await run(batch);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / batch);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return { name: bench.name, nsPerOp: best, opsPerSecond: 1e9 / best };
}

/** Prints results as a table, each with its ratio to `baseline` (the first row by default). */
export function printTable(title: string, results: BenchResult[], baseline = results[0]): void {
  const rows = results.map((result) => [
    result.name,
    Math.round(result.opsPerSecond).toLocaleString('en-US'),
    result.nsPerOp < 100
      ? result.nsPerOp.toFixed(1)
      : Math.round(result.nsPerOp).toLocaleString('en-US'),
    baseline ? `${(result.nsPerOp / baseline.nsPerOp).toFixed(2)}x` : '',
  ]);
  printRows(title, ['case', 'ops/s', 'ns/op', `vs ${baseline?.name ?? 'baseline'}`], rows);
}

/** Prints a markdown table. */
export function printRows(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(
    `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
  );
  for (const row of rows) console.log(line(row));
}
