import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runCommand, userEnvironment } from './run-command.ts';

/** `countersign serve` from the installed package, with an agent key and an approving reviewer. */
export interface LocalServer {
  url: string;
  agentKey: string;
  /** How many requests the reviewer approved. */
  approved(): number;
  close(): Promise<void>;
}

async function createKey(project: string, role: string, name: string): Promise<string> {
  const bin = join(project, 'node_modules', '.bin', 'countersign');
  const created = await runCommand(
    bin,
    ['keys', 'create', '--role', role, '--name', name, '--db', 'countersign.db'],
    { cwd: project },
  );
  const key = created.output.trim().split('\n').at(-1)?.trim() ?? '';
  if (created.code !== 0 || !key.startsWith('csk_')) {
    throw new Error(`countersign keys create failed:\n${created.output}`);
  }
  return key;
}

/** Approves every pending request it sees, as a human reviewer would, until stopped. */
function approveEverything(url: string, key: string) {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  let approved = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const page = (await (
        await fetch(`${url}/v1/requests?status=pending`, { headers })
      ).json()) as { items: { id: string }[] };
      for (const request of page.items) {
        const decided = await fetch(`${url}/v1/requests/${request.id}/decisions`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ outcome: 'approve', comment: 'packaging test' }),
        });
        if (decided.ok) approved++;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    approved: () => approved,
    async stop() {
      stopped = true;
      await loop.catch(() => undefined);
    },
  };
}

/** Creates the keys offline, starts `countersign serve` on a free port and a reviewer. */
export async function startLocalServer(project: string): Promise<LocalServer> {
  const agentKey = await createKey(project, 'agent', 'readme');
  const reviewerKey = await createKey(project, 'reviewer', 'alice');
  const child = spawn(
    join(project, 'node_modules', '.bin', 'countersign'),
    ['serve', '--port', '0', '--db', 'countersign.db'],
    { cwd: project, env: userEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /Countersign listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  const reviewer = approveEverything(url, reviewerKey);
  return {
    url,
    agentKey,
    approved: reviewer.approved,
    async close() {
      await reviewer.stop();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
