import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadUpstreamConfig } from './upstream-config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'countersign-mcp-config-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function load(content: string) {
  const file = join(dir, 'servers.json');
  await writeFile(file, content);
  return loadUpstreamConfig(file);
}

describe('loadUpstreamConfig', () => {
  it('reads stdio and HTTP upstreams in the Claude Desktop shape', async () => {
    const specs = await load(
      JSON.stringify({
        mcpServers: {
          files: { command: 'npx', args: ['-y', 'fs-server', '/tmp'], env: { A: '1' } },
          remote: { url: 'http://127.0.0.1:9000/mcp' },
        },
      }),
    );
    expect(specs).toEqual([
      { name: 'files', command: 'npx', args: ['-y', 'fs-server', '/tmp'], env: { A: '1' } },
      { name: 'remote', url: 'http://127.0.0.1:9000/mcp' },
    ]);
  });

  it.each([
    ['{', /not JSON/],
    ['{"mcpServers": {}}', /at least one upstream/],
    ['{"mcpServers": {"a b": {"command": "x"}}}', /letters, digits/],
    ['{"mcpServers": {"a": {"command": "x", "bogus": 1}}}', /mcpServers\.a/],
    ['{"servers": {}}', /servers|mcpServers/],
  ])('refuses %s naming the file', async (content, message) => {
    await expect(load(content)).rejects.toThrow(message);
    await expect(load(content)).rejects.toThrow(/servers\.json/);
  });
});
