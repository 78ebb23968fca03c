import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const FORMAT = 'v1';

/**
 * The AES-256 key that encrypts receipt signing keys at rest, derived from the operator's secret
 * (HKDF-SHA256), so any string of enough entropy works as the secret.
 */
export function encryptionKeyFrom(secret: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', secret, 'countersign', 'receipt signing keys', 32) as ArrayBuffer,
  );
}

/** AES-256-GCM with the key id as associated data, so a row cannot be moved to another id. */
export function encryptPrivateKey(key: Buffer, keyId: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(keyId));
  const body = Buffer.concat([
    cipher.update(plaintext, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `${FORMAT}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** The plaintext, or undefined when this secret did not encrypt it. */
export function decryptPrivateKey(key: Buffer, keyId: string, stored: string): string | undefined {
  const [format, iv, body] = stored.split('.');
  if (format !== FORMAT || !iv || !body) return undefined;
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.length < 17) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([
      decipher.update(bytes.subarray(0, bytes.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}
