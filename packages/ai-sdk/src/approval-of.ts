import { approvalOf as approvalInOptions, type ToolApprovalInfo } from '@countersign/core/adapter';
import { bridgedApproval } from './bridged-runs.js';

/**
 * What Countersign handed this `execute` about its call's approval (its signed `receipt` among
 * it), read from the execute options. Undefined when no human (or grant) approved the call.
 *
 * `withApproval` puts it in `options.countersign`. For a tool approved only by
 * `countersignToolApproval` (the SDK runs it, and its options carry nothing of ours) it is the
 * approval the bridge gave this call: the same `toolCallId` in the same step.
 *
 * @example
 * execute: async (input, options) => bank.transfer(input, { receipt: approvalOf(options)?.receipt })
 */
export function approvalOf(options: unknown): ToolApprovalInfo | undefined {
  return approvalInOptions(options) ?? bridgedApproval(options);
}
