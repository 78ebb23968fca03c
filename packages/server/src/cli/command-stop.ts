import { parseArgs } from 'node:util';
import type { Stop } from '@countersign/core/protocol';
import { CliError, type CliIo } from './cli-support.js';
import { serverCall } from './command-policy-remote.js';

function scopeFrom(values: { all?: boolean; agent?: string; policy?: string }): string {
  const scopes = [
    values.all ? 'all' : undefined,
    values.agent === undefined ? undefined : `agent:${values.agent}`,
    values.policy === undefined ? undefined : `policy:${values.policy}`,
  ].filter((scope) => scope !== undefined);
  if (scopes.length !== 1)
    throw new CliError('Give exactly one of --all, --agent NAME, --policy NAME', 2);
  return scopes[0] as string;
}

/**
 * `countersign stop --all | --agent NAME | --policy NAME [--reason TEXT]` and
 * `countersign resume …` (admin, against a running server); `stop --list` shows what is stopped.
 */
export async function stopCommand(
  mode: 'stop' | 'resume',
  args: string[],
  io: CliIo,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      all: { type: 'boolean', default: false },
      agent: { type: 'string' },
      policy: { type: 'string' },
      reason: { type: 'string' },
      list: { type: 'boolean', default: false },
      url: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const call = serverCall(values, io);
  if (mode === 'stop' && values.list) {
    const list = (await (await call('GET', '/v1/stops')).json()) as { items: Stop[] };
    io.out(
      values.json
        ? JSON.stringify(list)
        : list.items
            .map((stop) => `${stop.scope}  ${stop.at}  ${stop.actor}  ${stop.reason}`)
            .join('\n') || 'Nothing is stopped',
    );
    return 0;
  }
  const scope = scopeFrom(values);
  if (mode === 'resume') {
    await call('DELETE', `/v1/stops/${encodeURIComponent(scope)}`);
    io.out(values.json ? JSON.stringify({ resumed: scope }) : `Resumed ${scope}`);
    return 0;
  }
  const result = (await (
    await call('POST', '/v1/stops', {
      scope,
      ...(values.reason === undefined ? {} : { reason: values.reason }),
    })
  ).json()) as { stop: Stop; cancelled: string[] };
  io.out(
    values.json
      ? JSON.stringify(result)
      : `Stopped ${scope}: every gate of it now denies every call. Cancelled ${result.cancelled.length} pending request(s)${result.cancelled.length > 0 ? `: ${result.cancelled.join(', ')}` : ''}`,
  );
  return 0;
}
