// The load generator: runs autocannon jobs side by side in this process (never the server's), reading
// a LoadSpec as JSON on stdin and printing a LoadOutput as JSON on stdout. Spawned by load.ts.
import autocannon, { type Request, type Result } from 'autocannon';
import type { LoadJob, LoadOutput, LoadResult, LoadSpec } from './load.ts';

const spec = JSON.parse(await new Response(process.stdin).text()) as LoadSpec;
// Shared by every job: creates push their new ids, decisions take the oldest one.
const queue = [...spec.ids];
let starved = 0;

function run(job: LoadJob): Promise<LoadResult> {
  // autocannon calls any key it finds, so the hooks are only present when used.
  const request = {
    method: job.method,
    path: job.path,
    ...(job.headers ? { headers: job.headers } : {}),
    ...(job.body ? { body: job.body } : {}),
    ...(job.takeIds
      ? {
          setupRequest: (next: Request) => {
            const id = queue.shift();
            // An empty queue repeats a decided id (a 409, counted as non-2xx) rather than stall.
            if (id === undefined) starved++;
            return { ...next, path: job.path.replace(':id', id ?? spec.ids[0] ?? 'none') };
          },
        }
      : {}),
    ...(job.collectIds
      ? {
          onResponse: (status: number, body: string) => {
            if (status === 201) queue.push((JSON.parse(body) as { id: string }).id);
          },
        }
      : {}),
  };
  return new Promise((resolve, reject) => {
    autocannon(
      {
        // autocannon 9 takes several URLs; @types/autocannon still says one.
        url: job.urls as unknown as string,
        connections: job.connections,
        duration: job.durationSeconds,
        ...(job.amount === undefined ? {} : { amount: job.amount }),
        ...(job.overallRate === undefined ? {} : { overallRate: job.overallRate }),
        requests: [request],
        timeout: 30,
      },
      (error, result: Result) => {
        if (error) return reject(error);
        resolve({
          name: job.name,
          requests: result.requests.total,
          seconds: result.duration,
          perSecond: result.requests.total / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
          statusCodes: Object.fromEntries(
            Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [
              code,
              stats.count ?? 0,
            ]),
          ),
        });
      },
    );
  });
}

const results = await Promise.all(spec.jobs.map(run));
const output: LoadOutput = { results, queue, starved };
process.stdout.write(JSON.stringify(output));
