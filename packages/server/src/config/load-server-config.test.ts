import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadServerConfig } from './load-server-config.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-config-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function fileWith(name: string, text: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, text);
  return path;
}

describe('loadServerConfig', () => {
  it('reads a YAML file, a JSON file, or the file COUNTERSIGN_CONFIG names', async () => {
    const yaml = await fileWith(
      'countersign.server.yaml',
      'port: 9000\ncallbackHosts:\n  - hooks.example\nscheduler:\n  idempotencyRetentionMs: 36h\n',
    );
    const loaded = await loadServerConfig({ configFile: yaml, env: { COUNTERSIGN_PORT: '9001' } });
    expect(loaded.config).toMatchObject({
      port: 9001,
      callbackHosts: ['hooks.example'],
      scheduler: { idempotencyRetentionMs: 36 * 3_600_000 },
    });
    expect(loaded.sources).toMatchObject({ port: 'COUNTERSIGN_PORT', callbackHosts: yaml });
    const json = await fileWith('server.json', '{ "host": "::1" }');
    expect((await loadServerConfig({ env: { COUNTERSIGN_CONFIG: json } })).config.host).toBe('::1');
    const empty = await fileWith('empty.yaml', '# nothing set\n');
    expect((await loadServerConfig({ configFile: empty })).config.port).toBe(8787);
  });

  it('refuses a missing file, a syntax error and a file that is not a mapping, naming the file', async () => {
    const missing = join(directory, 'missing.yaml');
    await expect(loadServerConfig({ configFile: missing })).rejects.toThrow(
      `Cannot read the config file ${missing}: no such file`,
    );
    const broken = await fileWith('broken.yaml', 'port: 1\nhost: a: b\n');
    await expect(loadServerConfig({ configFile: broken })).rejects.toThrow(
      new RegExp(`^Cannot read the config file ${broken}: .*at line 2, column 7$`),
    );
    const badJson = await fileWith('bad.json', '{ "port": 1, }');
    await expect(loadServerConfig({ configFile: badJson })).rejects.toThrow(
      `Cannot read the config file ${badJson}`,
    );
    const list = await fileWith('list.yaml', '- port\n');
    await expect(loadServerConfig({ configFile: list })).rejects.toThrow(/must hold a mapping/);
  });
});
