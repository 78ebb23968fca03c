import type { GateDeny, GateRespond, JsonObject } from '@countersign/core';
import { ToolMessage } from '@langchain/core/messages';

/** The identity of the call a message answers. */
export interface CallIdentity {
  id?: string | undefined;
  name: string;
}

/** An error `ToolMessage` carrying the gate's model-facing denial (rejected, expired, …). */
export function denialToolMessage(call: CallIdentity, decision: GateDeny): ToolMessage {
  return new ToolMessage({
    content: decision.message,
    tool_call_id: call.id ?? '',
    name: call.name,
    status: 'error',
    response_metadata: countersignMetadata(decision.requestId, `denied:${decision.reason}`),
  });
}

/** A `ToolMessage` whose content is the human's answer, in place of the tool's result. */
export function responseToolMessage(call: CallIdentity, decision: GateRespond): ToolMessage {
  return new ToolMessage({
    content: responseText(decision.response),
    tool_call_id: call.id ?? '',
    name: call.name,
    status: 'success',
    response_metadata: countersignMetadata(decision.requestId, 'responded'),
  });
}

/** The human's answer as tool-result text: strings as they are, anything else as JSON. */
export function responseText(response: unknown): string {
  if (typeof response === 'string') return response;
  return JSON.stringify(response) ?? String(response);
}

/**
 * A sentence telling the model what a reviewer changed, so it does not assume its own arguments
 * ran: `A reviewer (user:alice) edited the arguments before transfer ran: amount: 500 → 100.`
 */
export function editNote(
  toolName: string,
  original: JsonObject,
  edited: JsonObject,
  approvedBy: readonly string[] | undefined,
): string {
  const changes: string[] = [];
  for (const key of new Set([...Object.keys(original), ...Object.keys(edited)])) {
    const before = original[key];
    const after = edited[key];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    if (!(key in edited)) changes.push(`${key} removed (was ${show(before)})`);
    else if (!(key in original)) changes.push(`${key} added: ${show(after)}`);
    else changes.push(`${key}: ${show(before)} → ${show(after)}`);
  }
  const who =
    approvedBy !== undefined && approvedBy.length > 0 ? ` (${approvedBy.join(', ')})` : '';
  const what = changes.length > 0 ? changes.join('; ') : 'no visible change';
  return `A reviewer${who} edited the arguments before ${toolName} ran: ${what}. The result below is for the edited arguments.`;
}

/** A copy of `message` with `note` in front of its content. */
export function prependNote(message: ToolMessage, note: string): ToolMessage {
  const content = message.content;
  const noted =
    typeof content === 'string'
      ? `${note}\n\n${content}`
      : [{ type: 'text' as const, text: note }, ...content];
  return new ToolMessage({
    content: noted,
    tool_call_id: message.tool_call_id,
    ...(message.name === undefined ? {} : { name: message.name }),
    ...(message.status === undefined ? {} : { status: message.status }),
    artifact: message.artifact,
    response_metadata: { ...message.response_metadata, countersign: { edited: true } },
  });
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function countersignMetadata(requestId: string | undefined, outcome: string): JsonObject {
  return { countersign: { outcome, ...(requestId === undefined ? {} : { requestId }) } };
}
