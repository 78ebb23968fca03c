import type { SigningKeyRecord, StoreTx } from '../store-types.js';
import { RECEIPT_USES, SIGNING_KEYS } from './queries.js';
import type { SqlSession } from './sql-session.js';

type ReceiptMethods = Pick<
  StoreTx,
  'insertSigningKey' | 'listSigningKeys' | 'newestSigningKeyId' | 'consumeReceipt'
>;

interface SigningKeyRow {
  id: string;
  public_jwk: string;
  private_key: string;
  created_at: string;
}

interface ReceiptUseRow {
  receipt_id: string;
  request_id: string;
  consumer: string;
  consumed_at: string;
}

function toSigningKey(row: SigningKeyRow): SigningKeyRecord {
  return {
    id: row.id,
    publicJwk: row.public_jwk,
    privateKey: row.private_key,
    createdAt: row.created_at,
  };
}

/** Receipt signing keys and receipt consumption. */
export function receiptMethods(db: SqlSession): ReceiptMethods {
  return {
    async insertSigningKey(key) {
      await db.run(SIGNING_KEYS.insert, { ...key });
    },
    async listSigningKeys() {
      return (await db.rows<SigningKeyRow>(SIGNING_KEYS.list)).map(toSigningKey);
    },
    async newestSigningKeyId() {
      return (await db.one<{ id: string }>(SIGNING_KEYS.newest))?.id;
    },
    async consumeReceipt(use) {
      const recorded = (await db.run(RECEIPT_USES.claim, { ...use })) === 1;
      const row = await db.one<ReceiptUseRow>(RECEIPT_USES.get, { receiptId: use.receiptId });
      if (!row) throw new Error(`receipt ${use.receiptId} was not recorded`);
      const first = {
        receiptId: row.receipt_id,
        requestId: row.request_id,
        consumer: row.consumer,
        consumedAt: row.consumed_at,
      };
      return { first, recorded };
    },
  };
}
