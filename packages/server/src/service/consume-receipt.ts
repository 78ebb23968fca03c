import { RECEIPT_ISSUER, RECEIPT_TYPE, type ReceiptConsumption } from '@countersign/core/protocol';
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import { appendAudit } from '../audit/audit-chain.js';
import type { Principal } from '../auth/principal.js';
import { isoTime } from '../clock.js';
import { publicKeySet } from '../receipts/signing-keys.js';
import { fail } from './failures.js';
import type { ServiceContext } from './service-context.js';

/** The receipt's claims, checked against this server's keys and clock; 409 when expired. */
async function verifiedClaims(context: ServiceContext, receiptId: string, receipt: string) {
  const records = await context.store.read((tx) => tx.listSigningKeys());
  try {
    const { payload } = await jwtVerify(receipt, createLocalJWKSet(publicKeySet(records)), {
      algorithms: ['EdDSA'],
      issuer: RECEIPT_ISSUER,
      typ: RECEIPT_TYPE,
      requiredClaims: ['sub', 'jti', 'exp'],
      currentDate: new Date(context.clock.now()),
    });
    if (payload.jti !== receiptId) {
      throw fail('validation_failed', `The receipt is not receipt ${receiptId}`);
    }
    return { requestId: payload.sub as string };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw fail('conflict', `Receipt ${receiptId} has expired`, { receiptId });
    }
    if (error instanceof errors.JOSEError) {
      throw fail('validation_failed', 'The receipt was not signed by this server', { receiptId });
    }
    throw error;
  }
}

/**
 * Consumes a receipt once: the first caller holding a valid receipt gets it, a repeat by the same
 * caller is answered the same (idempotent), anyone else gets a 409 conflict.
 */
export async function consumeReceipt(
  context: ServiceContext,
  principal: Principal,
  receiptId: string,
  receipt: string,
): Promise<ReceiptConsumption> {
  const { requestId } = await verifiedClaims(context, receiptId, receipt);
  const consumedAt = isoTime(context.clock.now());
  const { first: use, recorded } = await context.store.transaction(async (tx) => {
    const result = await tx.consumeReceipt({
      receiptId,
      requestId,
      consumer: principal.id,
      consumedAt,
    });
    if (result.recorded) {
      await appendAudit(tx, {
        at: consumedAt,
        type: 'receipt_consumed',
        requestId,
        actor: principal.id,
        data: { receiptId },
      });
    }
    return result;
  });
  if (use.consumer !== principal.id) {
    throw fail('conflict', `Receipt ${receiptId} was already consumed by another caller`, {
      receiptId,
      consumedAt: use.consumedAt,
    });
  }
  return {
    receiptId,
    requestId: use.requestId,
    consumedBy: use.consumer,
    consumedAt: use.consumedAt,
    replayed: !recorded,
  };
}
