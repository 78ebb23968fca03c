// Starts `notify-sinks.ts` (an SMTP relay, the Slack Web API stand-in and a webhook receiver) in a
// process of its own, for the benchmarks that turn notifications on.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What reached a sink: `email`, `slack` or `webhook`, the request it names, and when. */
export type Arrival = (kind: string, requestId: string, at: number) => void;

export interface SinksProcess {
  /** `smtp://127.0.0.1:PORT` */
  smtpUrl: string;
  /** The Slack Web API base URL to give the server. */
  slackApiUrl: string;
  /** Where to point a webhook subscription. */
  webhookUrl: string;
  stop(): Promise<void>;
}

/** Spawns the sinks and waits for their addresses; `onArrival` hears every arrival. */
export async function startSinks(onArrival: Arrival = () => undefined): Promise<SinksProcess> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'notify-sinks.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const addresses = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`notify-sinks exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind = '', value = '', at] = line.split(' ');
      if (at === undefined) addresses.set(kind, value);
      else onArrival(kind, value, Number(at));
      if (addresses.size === 3) resolve();
    });
  });
  return {
    smtpUrl: `smtp://127.0.0.1:${addresses.get('smtp')}`,
    slackApiUrl: addresses.get('slack') as string,
    webhookUrl: addresses.get('webhook') as string,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
  };
}
