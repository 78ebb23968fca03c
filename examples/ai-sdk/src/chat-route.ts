import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  countersignToolApproval,
  type GateLike,
  settleUIMessageApprovals,
} from '@countersign/ai-sdk';
import {
  convertToModelMessages,
  isStepCount,
  type LanguageModel,
  streamText,
  type ToolSet,
  type UIMessage,
} from 'ai';

/** Options for {@link createChatRoute}. */
export interface ChatRouteOptions {
  gate: GateLike;
  model: LanguageModel;
  tools: ToolSet;
  /** How long one request waits for the manager before answering 202 (the client asks again). */
  waitMs: number;
  /** Signs the SDK's approval requests, so a tampered history is refused. At least 32 bytes. */
  approvalSecret: string;
}

/**
 * `POST /api/chat`, the route a `useChat` app talks to. Calls the policy sends to a human become Countersign
 * requests at once (the SDK's `tool-approval-request` says so); on every later request the route waits up to
 * `waitMs` for the decisions, answers 202 while a manager has not decided, and continues the conversation with
 * Countersign's decision once they have. The chat id is the run id, so a restarted route resumes the same requests.
 */
export function createChatRoute(options: ChatRouteOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST' || request.url !== '/api/chat') {
      return sendJson(response, 404, { error: { code: 'not_found', message: 'POST /api/chat' } });
    }
    let body: { id?: unknown; messages?: unknown };
    try {
      body = JSON.parse(await readBody(request)) as typeof body;
    } catch {
      return sendJson(response, 400, {
        error: { code: 'invalid_json', message: 'The body is not JSON' },
      });
    }
    if (typeof body.id !== 'string' || !Array.isArray(body.messages)) {
      return sendJson(response, 400, {
        error: { code: 'validation_failed', message: 'Expected { id, messages }' },
      });
    }
    const runId = body.id;
    const abort = new AbortController();
    response.on('close', () => abort.abort());
    const settled = await settleUIMessageApprovals(body.messages as UIMessage[], {
      gate: options.gate,
      tools: options.tools,
      runId,
      waitTimeoutMs: options.waitMs,
      abortSignal: abort.signal,
    });
    if (settled.status === 'pending') {
      const requests = settled.pending.map((item) => ({
        toolName: item.toolName,
        requestId: item.decision.requestId,
      }));
      return sendJson(response, 202, { status: 'pending', requests });
    }
    const toolApproval = countersignToolApproval({ gate: options.gate, runId, waitTimeoutMs: 0 });
    const result = streamText({
      model: options.model,
      tools: options.tools,
      messages: await convertToModelMessages(settled.messages),
      toolApproval,
      // Reports each approved transfer succeeded or failed, next to the approval on the dashboard.
      onToolExecutionEnd: toolApproval.onToolExecutionEnd,
      experimental_toolApprovalSecret: options.approvalSecret,
      stopWhen: isStepCount(5),
      abortSignal: abort.signal,
    });
    result.pipeUIMessageStreamToResponse(response, { originalMessages: settled.messages });
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}
