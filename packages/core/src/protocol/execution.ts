import { z } from 'zod';
import { EXECUTION_STATES } from './wire-values.js';

const isoTime = z.iso.datetime({ offset: true });

/** The longest error text an execution report keeps; longer ones are cut to this. */
export const MAX_EXECUTION_ERROR_LENGTH = 1000;

/** Where an approved call stands. */
export const executionStateSchema = z
  .enum(EXECUTION_STATES)
  .describe('executing: the call started; succeeded / failed: it ended');

/** What ran of an approved tool call, as the agent reported it. */
export const executionSchema = z
  .object({
    state: executionStateSchema,
    attempt: z.string().describe('The id the reporting gate gave this run of the call'),
    by: z.string().describe('The principal that reported it'),
    startedAt: isoTime.describe('When the call started'),
    finishedAt: isoTime.optional().describe('When it succeeded or failed'),
    error: z.string().optional().describe('For failed: the error, cut to 1000 characters'),
  })
  .describe('What ran of this approved call; absent until the agent reports executing');
export type Execution = z.infer<typeof executionSchema>;

/** The body of `POST /v1/requests/:id/execution`. */
export const executionReportBodySchema = z.strictObject({
  state: executionStateSchema,
  attempt: z
    .string()
    .min(1)
    .max(128)
    .describe('A random id per run of the call: repeating a report with it is a no-op'),
  error: z
    .string()
    .max(100_000)
    .optional()
    .describe('For failed: what went wrong (kept cut to 1000 characters)'),
});
export type ExecutionReportInput = z.input<typeof executionReportBodySchema>;

/** The body of `POST /v1/receipts/:id/consume`. */
export const consumeReceiptBodySchema = z.strictObject({
  receipt: z
    .string()
    .min(1)
    .max(8192)
    .describe('The receipt itself (compact JWS): proves the caller holds it'),
});
export type ConsumeReceiptInput = z.input<typeof consumeReceiptBodySchema>;

/** The answer of `POST /v1/receipts/:id/consume`. */
export const receiptConsumptionSchema = z.object({
  receiptId: z.string().describe('The receipt id (its jti)'),
  requestId: z.string().describe('The approved request the receipt is for'),
  consumedBy: z.string().describe('The principal that consumed it'),
  consumedAt: isoTime.describe('When it was first consumed'),
  replayed: z.boolean().describe('True when this caller had already consumed it'),
});
export type ReceiptConsumption = z.infer<typeof receiptConsumptionSchema>;

/** The answer of `GET /.well-known/jwks.json`: the public keys receipts are signed with. */
export const receiptKeySetSchema = z.object({
  keys: z
    .array(
      z
        .object({
          kty: z.literal('OKP').describe('Key type: octet key pair'),
          crv: z.literal('Ed25519').describe('The curve'),
          x: z.string().describe('The public key, base64url'),
          kid: z.string().describe('The key id a receipt header names'),
          alg: z.literal('EdDSA').describe('The algorithm receipts are signed with'),
          use: z.literal('sig').describe('Signatures only'),
        })
        .describe('One public signing key'),
    )
    .describe(
      'Every signing key, newest first; old ones stay for receipts signed before a rotation',
    ),
});
export type ReceiptKeySet = z.infer<typeof receiptKeySetSchema>;
