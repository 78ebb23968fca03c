import type { ModelMessage, Tool } from 'ai';
import type { ToolCallInfo } from './gate-options.js';

/**
 * True when the tool's own `needsApproval` asks for approval of this call (static `true`, or a function
 * returning `true` for this input). Such calls are decided on Countersign (`requireApproval` in the gate), so a
 * tool never gets less protection than it asked for. Fails closed: a `needsApproval` function that throws counts
 * as asking.
 */
export async function toolNeedsApproval(
  tool: Tool | undefined,
  call: ToolCallInfo,
  messages: readonly ModelMessage[],
): Promise<boolean> {
  const rule = tool?.needsApproval;
  if (rule === undefined) return false;
  if (typeof rule !== 'function') return rule === true;
  try {
    return (
      (await rule(call.input as never, {
        toolCallId: call.toolCallId,
        messages: [...messages],
        context: call.toolContext as never,
      })) === true
    );
  } catch {
    return true;
  }
}
