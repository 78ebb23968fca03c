// What users install is what is tested: runs scripts/packaging-test.ts (pnpm pack, npm install of
// the tarballs outside the workspace, README snippets, bins' --help, types), so `pnpm test` and CI
// fail on a packaging mistake. Its report is the failure message.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/packaging-test.ts', import.meta.url));

function runScript(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('packaging', () => {
  it('installs the packed packages with npm and runs their READMEs and bins', async () => {
    const { code, output } = await runScript();
    expect(output).toMatch(/packaging: \d+ passed, 0 failed/);
    expect(code, output).toBe(0);
  }, 300_000);
});
