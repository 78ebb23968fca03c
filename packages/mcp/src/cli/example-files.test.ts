import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadPolicy } from '@countersign/core';
import { describe, expect, it } from 'vitest';
import { loadUpstreamConfig } from '../upstream/upstream-config.js';
import { parseCliArgs } from './parse-args.js';

const example = (name: string) =>
  fileURLToPath(new URL(`../../../../examples/claude-desktop/${name}`, import.meta.url));

describe('the Claude Desktop example', () => {
  it('has a policy that decides as its comments say', async () => {
    const policy = await loadPolicy(example('countersign.yaml'));
    const decide = (toolName: string, args: Record<string, unknown>, readOnlyHint?: boolean) =>
      policy.evaluate({
        toolName,
        args,
        annotations: readOnlyHint === undefined ? {} : { readOnlyHint },
      });
    expect(decide('read_text_file', { path: '/a' }, true).action).toBe('allow');
    expect(decide('write_file', { path: '/home/me/.ssh/config' }, false)).toMatchObject({
      action: 'deny',
    });
    expect(
      decide('move_file', { source: '/a', destination: '/home/me/.ssh/keys' }, false).action,
    ).toBe('deny');
    expect(decide('move_file', { source: '/a', destination: '/b' }, false).action).toBe('require');
    expect(decide('create_directory', { path: '/a' }, false).approval?.channel).toBe('elicit');
    expect(decide('write_file', { path: '/a' }, false)).toMatchObject({
      action: 'require',
      approval: { timeout: '30m' },
    });
  });

  it('has a Claude Desktop config whose arguments the CLI accepts', async () => {
    const config = JSON.parse(await readFile(example('claude_desktop_config.json'), 'utf8'));
    const serve = config.mcpServers.countersign.args.slice(2);
    const proxy = config.mcpServers.filesystem.args.slice(2);
    expect(parseCliArgs(serve)).toMatchObject({ command: 'serve' });
    expect(parseCliArgs(proxy)).toMatchObject({
      command: 'proxy',
      upstreamCommand: [
        'npx',
        '-y',
        '@modelcontextprotocol/server-filesystem',
        '/ABSOLUTE/PATH/TO/A/FOLDER',
      ],
    });
  });

  it('has a several-upstreams config the proxy reads', async () => {
    const specs = await loadUpstreamConfig(example('servers.json'));
    expect(specs.map((spec) => spec.name)).toEqual(['files', 'tickets']);
  });
});
