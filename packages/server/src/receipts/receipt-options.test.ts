import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { receiptIssuerFor, receiptOptionsFromEnv, signingKeySecret } from './receipt-options.js';

const directory = mkdtempSync(join(tmpdir(), 'countersign-secret-'));
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('receipt options', () => {
  it('reads the secret from its file, without the trailing newline', () => {
    const file = join(directory, 'secret');
    writeFileSync(file, `${'s'.repeat(40)}\n`);
    expect(signingKeySecret({ signingKeySecretFile: file })).toBe('s'.repeat(40));
    expect(signingKeySecret({})).toBeUndefined();
  });

  it('refuses a missing or short secret and a bad lifetime, naming the option', () => {
    expect(() => signingKeySecret({ signingKeySecretFile: join(directory, 'missing') })).toThrow(
      'receipts.signingKeySecretFile cannot be read: ENOENT',
    );
    expect(() => signingKeySecret({ signingKeySecret: 'short' })).toThrow(
      'receipts.signingKeySecret must be at least 32 characters',
    );
    expect(() => receiptIssuerFor({ ttlMs: 10 })).toThrow('receipts.ttlMs');
    expect(() => receiptOptionsFromEnv({ COUNTERSIGN_RECEIPT_TTL: 'soon' })).toThrow(
      'COUNTERSIGN_RECEIPT_TTL',
    );
    expect(receiptOptionsFromEnv({ COUNTERSIGN_RECEIPT_TTL: '5m' })).toEqual({ ttlMs: 300_000 });
  });
});
