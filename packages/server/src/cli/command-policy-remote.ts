import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { PolicyVersion } from '@countersign/core/protocol';
import { lineDiff } from '../service/line-diff.js';
import { CliError, type CliIo } from './cli-support.js';
import { type ApiCall, apiCaller } from './remote-backend.js';

/** The server the command talks to: `--url`/`COUNTERSIGN_URL`, `--key`/`COUNTERSIGN_API_KEY`. */
export function serverCall(values: { url?: string; key?: string }, io: CliIo): ApiCall {
  const url = values.url ?? io.env.COUNTERSIGN_URL;
  const key = values.key ?? io.env.COUNTERSIGN_API_KEY;
  if (!url || !key)
    throw new CliError('Set COUNTERSIGN_URL and COUNTERSIGN_API_KEY (an admin key)');
  return apiCaller(url, key);
}

const OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  name: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

const path = (name: string, rest = '') => `/v1/policies/${encodeURIComponent(name)}${rest}`;

function versionLine(version: PolicyVersion): string {
  const marks = [version.active ? 'active' : '', version.shadow ? 'shadow' : '']
    .filter(Boolean)
    .join(',');
  const request = version.requestId ? ` request ${version.requestId}` : '';
  return `${version.name}@${version.version}  ${version.state.padEnd(8)} ${marks.padEnd(13)} ${version.createdAt}  ${version.author}  ${version.file}${request}`;
}

/** `NAME[@VERSION]` */
function parseReference(text: string | undefined): { name: string; version?: number } {
  if (!text) throw new CliError('Name the policy: NAME or NAME@VERSION', 2);
  const [name, version] = text.split('@');
  if (version === undefined) return { name: name as string };
  if (!/^\d+$/.test(version)) throw new CliError(`"${version}" is not a version number`, 2);
  return { name: name as string, version: Number(version) };
}

async function activeVersion(call: ApiCall, name: string): Promise<number> {
  const list = (await (await call('GET', path(name, '/versions'))).json()) as {
    items: PolicyVersion[];
  };
  const active = list.items.find((item) => item.active);
  if (!active) throw new CliError(`Policy "${name}" has no active version yet`);
  return active.version;
}

async function show(call: ApiCall, name: string, version: number): Promise<PolicyVersion> {
  return (await (await call('GET', path(name, `/versions/${version}`))).json()) as PolicyVersion;
}

/** `countersign policy push|ls|show|diff|rollback|shadow` against a running server. */
export async function policyRemoteCommand(
  action: string,
  args: string[],
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const call = serverCall(values, io);
  const print = (value: unknown, text: () => string) =>
    io.out(values.json ? JSON.stringify(value) : text());
  if (action === 'push') {
    const [file] = positionals;
    if (!file || !values.name)
      throw new CliError('Usage: countersign policy push FILE --name NAME', 2);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliError(`${file}: cannot read the policy file: ${(error as Error).message}`);
    }
    const pushed = (await (
      await call('POST', path(values.name, '/versions'), { text, file: basename(file) })
    ).json()) as PolicyVersion;
    print(pushed, () =>
      pushed.state === 'proposed'
        ? `Proposed ${pushed.name}@${pushed.version}: it becomes active once review request ${pushed.requestId} is approved`
        : `Pushed ${pushed.name}@${pushed.version} (active)${pushed.diff ? `\n${pushed.diff}` : ''}`,
    );
    return 0;
  }
  if (action === 'ls') {
    if (positionals[0]) {
      const list = (await (await call('GET', path(positionals[0], '/versions'))).json()) as {
        items: PolicyVersion[];
      };
      print(list, () => list.items.map(versionLine).join('\n'));
      return 0;
    }
    const list = (await (await call('GET', '/v1/policies')).json()) as {
      items: Array<{
        name: string;
        activeVersion: number | null;
        shadowVersion: number | null;
        latestVersion: number;
        updatedAt: string;
      }>;
    };
    print(list, () =>
      list.items.length === 0
        ? 'No central policies yet (countersign policy push FILE --name NAME)'
        : list.items
            .map(
              (item) =>
                `${item.name}  active ${item.activeVersion ?? 'none'}  latest ${item.latestVersion}${item.shadowVersion === null ? '' : `  shadow ${item.shadowVersion}`}  ${item.updatedAt}`,
            )
            .join('\n'),
    );
    return 0;
  }
  if (action === 'show') {
    const reference = parseReference(positionals[0]);
    const version = reference.version ?? (await activeVersion(call, reference.name));
    const shown = await show(call, reference.name, version);
    print(shown, () => `# ${versionLine(shown)}\n${shown.text ?? ''}`);
    return 0;
  }
  if (action === 'diff') {
    const [name, from, to] = positionals;
    if (!name || !from || !to || !/^\d+$/.test(from) || !/^\d+$/.test(to)) {
      throw new CliError('Usage: countersign policy diff NAME A B', 2);
    }
    const [a, b] = await Promise.all([
      show(call, name, Number(from)),
      show(call, name, Number(to)),
    ]);
    const diff = lineDiff(a.text ?? '', b.text ?? '', [`${name}@${from}`, `${name}@${to}`]);
    print({ diff }, () => diff || `${name}@${from} and ${name}@${to} are the same`);
    return 0;
  }
  if (action === 'rollback') {
    const [name, version] = positionals;
    if (!name || !version || !/^\d+$/.test(version)) {
      throw new CliError('Usage: countersign policy rollback NAME VERSION', 2);
    }
    const active = (await (
      await call('POST', path(name, '/rollback'), { version: Number(version) })
    ).json()) as PolicyVersion;
    print(
      active,
      () => `${name}@${active.version} is active again${active.diff ? `\n${active.diff}` : ''}`,
    );
    return 0;
  }
  if (action === 'shadow') {
    const reference = parseReference(positionals[0]);
    if (positionals[1] === 'off') {
      await call('DELETE', path(reference.name, '/shadow'));
      print({ shadow: null }, () => `${reference.name}: shadow detached`);
      return 0;
    }
    if (reference.version === undefined) {
      throw new CliError('Usage: countersign policy shadow NAME@VERSION | NAME off', 2);
    }
    await call('PUT', path(reference.name, '/shadow'), { version: reference.version });
    print(
      { shadow: reference.version },
      () => `${reference.name}@${reference.version} runs in shadow`,
    );
    return 0;
  }
  if (action === 'shadow-report') {
    const [name] = positionals;
    if (!name) throw new CliError('Usage: countersign policy shadow-report NAME', 2);
    const reports = (await (await call('GET', path(name, '/shadow-reports'))).json()) as {
      items: Array<{
        activeVersion: number;
        shadowVersion: number;
        evaluations: number;
        disagreements: number;
        samples: unknown[];
      }>;
    };
    print(
      reports,
      () =>
        reports.items
          .map(
            (item) =>
              `${name}@${item.activeVersion} vs shadow ${name}@${item.shadowVersion}: ${item.disagreements} of ${item.evaluations} calls decided differently${item.samples.map((sample) => `\n  ${JSON.stringify(sample)}`).join('')}`,
          )
          .join('\n') || `No shadow reports for ${name}`,
    );
    return 0;
  }
  throw new CliError(`Unknown policy command "${action}"`, 2);
}
