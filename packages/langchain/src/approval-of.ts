import { approvalOf as approvalInConfig, type ToolApprovalInfo } from '@countersign/core/adapter';
import { handlerRunApproval } from './handler-runs.js';

/**
 * What Countersign handed this tool run about its approval (its signed `receipt` among it); read
 * it in the tool from its `config`. Undefined when no human (or grant) approved the call.
 *
 * The middleware and `withApproval` put it in the tool's `config.countersign`. A
 * `CountersignCallbackHandler` cannot change the config, so there it is the approval of the tool
 * run the config's `callbacks` belong to; in a `StructuredTool` subclass pass `_call`'s
 * `runManager` instead of the config.
 *
 * @example
 * tool(async (args, config) => bank.transfer(args, { receipt: approvalOf(config)?.receipt }), { name, schema })
 */
export function approvalOf(config: unknown): ToolApprovalInfo | undefined {
  return approvalInConfig(config) ?? handlerRunApproval(config);
}
