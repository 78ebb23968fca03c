// The one check both tool servers run before doing anything: is there a receipt, signed by the
// Countersign server, unexpired, for exactly this tool and these arguments, and not used before?
import {
  ApiError,
  CountersignClient,
  type ReceiptClaims,
  ReceiptInvalidError,
  type ReceiptKeySet,
  verifyReceipt,
} from '@countersign/core';

/** Why the guard refused a call, for the caller. */
export class RefusedCall extends Error {}

/**
 * Checks receipts against the server at COUNTERSIGN_URL, consuming each once with this tool
 * server's own key (COUNTERSIGN_API_KEY), so no approval runs twice here.
 */
export function receiptGuard(env: NodeJS.ProcessEnv = process.env) {
  const client = new CountersignClient({
    baseUrl: env.COUNTERSIGN_URL,
    apiKey: env.COUNTERSIGN_API_KEY,
  });
  let keys: Promise<ReceiptKeySet> | undefined;

  return async function guard(
    toolName: string,
    args: unknown,
    receipt: unknown,
  ): Promise<ReceiptClaims> {
    if (typeof receipt !== 'string') {
      throw new RefusedCall(`${toolName} needs a Countersign decision receipt; none was sent`);
    }
    keys ??= client.signingKeys();
    const verify = async () => verifyReceipt(receipt, { toolName, args, jwks: await keys });
    let claims: ReceiptClaims;
    try {
      claims = await verify().catch((error: unknown) => {
        if (!ReceiptInvalidError.isInstance(error) || error.reason !== 'signature') throw error;
        // Perhaps signed by a key rotated in since we fetched the set: fetch it again once.
        keys = client.signingKeys();
        return verify();
      });
    } catch (error) {
      if (ReceiptInvalidError.isInstance(error)) throw new RefusedCall(error.message);
      throw error;
    }
    try {
      const use = await client.consumeReceipt(claims.jti, receipt);
      if (use.replayed) throw new RefusedCall(`receipt ${claims.jti} was already used here`);
    } catch (error) {
      if (ApiError.isInstance(error) && error.status === 409) {
        throw new RefusedCall(`receipt ${claims.jti} was already used: ${error.message}`);
      }
      throw error;
    }
    return claims;
  };
}
