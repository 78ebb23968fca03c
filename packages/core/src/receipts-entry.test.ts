import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint/index.js';
import * as root from './index.js';
import * as receipts from './receipts-entry.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Every relative module `file` imports, transitively, with the bare imports they make. */
function importsOf(file: string, seen = new Set<string>()): Set<string> {
  const bare = new Set<string>();
  if (seen.has(file)) return bare;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, specifier] of source.matchAll(/^(?:import|export)[^'";]*from '([^']+)'/gm)) {
    if (!specifier) continue;
    if (specifier.startsWith('.')) {
      const next = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      for (const each of importsOf(next, seen)) bare.add(each);
    } else bare.add(specifier);
  }
  return bare;
}

describe('@countersign/core/receipts', () => {
  it('loads no Node built-in and no package but jose', () => {
    const bare = importsOf(join(here, 'receipts-entry.ts'));
    expect([...bare].sort()).toEqual(['jose']);
  });

  it('shares the root error class, and its Web Crypto fingerprint equals the Node one', async () => {
    expect(receipts.ReceiptInvalidError).toBe(root.ReceiptInvalidError);
    expect(typeof receipts.verifyReceipt).toBe('function');
    for (const args of [{}, { b: 1, a: ['é', null, 2.5] }, { nested: { z: true, y: 'x' } }]) {
      expect(await receipts.webFingerprint('pay', args)).toBe(fingerprint('pay', args));
    }
  });
});
