import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyInvalidError } from '../errors/index.js';
import { loadPolicy } from './load-policy.js';

describe('loadPolicy', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'countersign-policy-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads YAML and JSON files, picking the format from the extension', async () => {
    const yamlFile = join(directory, 'countersign.yaml');
    await writeFile(yamlFile, 'version: 1\nrules:\n  - tools: [get_*]\n    action: allow\n');
    expect((await loadPolicy(yamlFile)).evaluate({ toolName: 'get_x', args: {} }).action).toBe(
      'allow',
    );
    const jsonFile = join(directory, 'countersign.json');
    await writeFile(jsonFile, JSON.stringify({ version: 1, default: 'deny' }));
    expect((await loadPolicy(jsonFile)).defaultAction).toBe('deny');
  });

  it('names the file and line of a malformed file', async () => {
    const file = join(directory, 'bad.yaml');
    await writeFile(file, 'version: 1\nrules:\n  - name: oops\n    action: allow\n    when: ")"\n');
    await expect(loadPolicy(file)).rejects.toThrow(`${file}:5: rule "oops": when: `);
  });

  it('refuses a missing file with a policy error', async () => {
    const missing = join(directory, 'missing.yaml');
    const error = await loadPolicy(missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyInvalidError);
    expect((error as PolicyInvalidError).message).toContain(`${missing}: cannot read`);
  });
});
