import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { ReceiptKeySet } from '@countersign/core/protocol';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { SigningKeyRecord, StoreTx } from '../store/store-types.js';
import { decryptPrivateKey, encryptionKeyFrom, encryptPrivateKey } from './key-encryption.js';

/**
 * A private key ready to sign, with its id. A Node key object: it signs synchronously, where
 * WebCrypto would take a trip through the thread pool while the approval's batch stays open.
 */
export interface ActiveSigningKey {
  id: string;
  key: KeyObject;
}

/** Makes a new Ed25519 key pair and its stored record, the private half encrypted. */
export async function newSigningKey(
  encryptionKey: Buffer,
  now: string,
): Promise<{ record: SigningKeyRecord; key: KeyObject }> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
  const { d: _d, ...publicJwk } = privateJwk;
  const id = await calculateJwkThumbprint(publicJwk);
  const record: SigningKeyRecord = {
    id,
    publicJwk: JSON.stringify({ ...publicJwk, kid: id, alg: 'EdDSA', use: 'sig' }),
    privateKey: encryptPrivateKey(encryptionKey, id, JSON.stringify(privateJwk)),
    createdAt: now,
  };
  return { record, key: privateKey };
}

/**
 * The server's receipt signing keys. The newest key this process can decrypt signs; every key
 * stays published for verification. Without a configured secret the process uses a random one,
 * so its keys sign only while it runs (receipts it signed still verify after a restart).
 */
export class SigningKeys {
  readonly #encryptionKey: Buffer;
  readonly #usable = new Map<string, KeyObject>();
  readonly #foreign = new Set<string>();
  #active: ActiveSigningKey | undefined;
  /** True when the secret came from the operator (not a per-process random one). */
  readonly persistent: boolean;

  constructor(secret: string | undefined) {
    this.persistent = secret !== undefined;
    this.#encryptionKey = encryptionKeyFrom(secret ?? randomBytes(32).toString('base64url'));
  }

  /** Encrypts a new key with this secret (for `keys rotate-signing`). */
  create(now: string): Promise<{ record: SigningKeyRecord; key: KeyObject }> {
    return newSigningKey(this.#encryptionKey, now);
  }

  /**
   * The key to sign with, inside `tx`. A key made here is stored in `tx` and remembered only once
   * it commits, so a rolled-back transaction never leaves a signature by an unpublished key.
   */
  async active(tx: StoreTx, now: string): Promise<ActiveSigningKey> {
    const newest = await tx.newestSigningKeyId();
    if (newest !== undefined && this.#active?.id === newest) return this.#active;
    if (newest !== undefined && this.#foreign.has(newest) && this.#active) return this.#active;
    for (const record of await tx.listSigningKeys()) {
      const key = await this.#open(record);
      if (key) {
        this.#active = { id: record.id, key };
        return this.#active;
      }
    }
    const { record, key } = await this.create(now);
    await tx.insertSigningKey(record);
    const made = { id: record.id, key };
    tx.afterCommit(() => {
      this.#usable.set(record.id, key);
      this.#active = made;
    });
    return made;
  }

  async #open(record: SigningKeyRecord): Promise<KeyObject | undefined> {
    const known = this.#usable.get(record.id);
    if (known || this.#foreign.has(record.id)) return known;
    const plaintext = decryptPrivateKey(this.#encryptionKey, record.id, record.privateKey);
    if (plaintext === undefined) {
      this.#foreign.add(record.id);
      return undefined;
    }
    const key = createPrivateKey({ key: JSON.parse(plaintext) as JWK, format: 'jwk' });
    this.#usable.set(record.id, key);
    return key;
  }
}

/** The public keys of `records`, as `/.well-known/jwks.json` serves them. */
export function publicKeySet(records: SigningKeyRecord[]): ReceiptKeySet {
  return { keys: records.map((record) => JSON.parse(record.publicJwk)) };
}
