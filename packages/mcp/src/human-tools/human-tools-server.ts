import type { CreateRequestInput } from '@countersign/core';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { z } from 'zod';
import {
  APPROVAL_CARD_URI,
  approvalCardResource,
  CARD_TOOL_META,
  readApprovalCard,
} from '../card/approval-card.js';
import { ApprovalPageOffer } from '../shared/approval-page.js';
import { type HandlerExtra, startProgressHeartbeat } from '../shared/progress-heartbeat.js';
import { errorMessage } from '../shared/startup-error.js';
import { HumanTasks } from '../tasks/human-tasks.js';
import { serveHumanTasks } from './human-tool-calls.js';
import { assertHumanToolsOptions, type HumanToolsOptions } from './human-tools-options.js';
import { reportRequest } from './request-report.js';

const common = {
  context: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Anything the human should see to decide (JSON object).'),
  assignees: z
    .array(z.string())
    .max(50)
    .optional()
    .describe('Who should answer, e.g. ["user:alice", "group:ops"]. Default: any reviewer.'),
  timeout: z.string().optional().describe('How long the human has, e.g. "30m", "48h".'),
};

function failure(what: string, error: unknown): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${what} failed, nobody was asked: ${errorMessage(error)}` }],
  };
}

/**
 * Builds the `serve` mode: an MCP server whose tools let the model involve a human through
 * Countersign (`request_approval`, `ask_human`, `collect_input`, `check_request`).
 */
export function createHumanToolsServerFactory(options: HumanToolsOptions): () => Server {
  assertHumanToolsOptions(options);
  const { service } = options;
  const maxWaitMs = options.maxWaitMs ?? 50_000;
  const intervalMs = options.progressIntervalMs ?? 10_000;
  const schemas = new AjvJsonSchemaValidator();

  const pages = new ApprovalPageOffer(options.publicUrl, options.logger);

  async function waitAndReport(
    id: string,
    extra: HandlerExtra,
    server: Server,
  ): Promise<CallToolResult> {
    const stop = startProgressHeartbeat(extra, {
      intervalMs,
      message: `Waiting for a human (request ${id})`,
    });
    try {
      const request = await service.wait(id, { timeoutMs: maxWaitMs, signal: extra.signal });
      if (request.status !== 'pending') pages.complete(server, id);
      return reportRequest(request, options.publicUrl);
    } catch (error) {
      return {
        isError: true,
        content: [
          {
            type: 'text',
            text: `Could not get the decision on request ${id}: ${errorMessage(error)}. Treat it as not approved; check_request may work later.`,
          },
        ],
      };
    } finally {
      stop();
    }
  }

  async function ask(
    body: CreateRequestInput,
    extra: HandlerExtra,
    server: Server,
  ): Promise<CallToolResult> {
    let id: string;
    try {
      id = (await service.create(body, { signal: extra.signal })).id;
    } catch (error) {
      return failure('Creating the request', error);
    }
    pages.offer(server, id, `"${body.action}"`);
    return waitAndReport(id, extra, server);
  }

  /** The request each asking tool creates, or the reason it cannot (then nobody is asked). */
  const bodies: Record<
    string,
    (input: Record<string, unknown>) => CreateRequestInput | CallToolResult
  > = {
    request_approval: (input) => ({
      kind: 'approval',
      action: input.action as string,
      ...shared(input),
    }),
    ask_human: (input) => ({
      kind: 'clarification',
      action: `Question: ${input.question as string}`.slice(0, 2000),
      question: input.question as string,
      ...shared(input),
    }),
    collect_input: (input) => {
      try {
        schemas.getValidator(input.schema as never);
      } catch (error) {
        return failure('Reading the form schema', error);
      }
      return {
        kind: 'form',
        action: input.title as string,
        responseSchema: input.schema as Record<string, unknown>,
        ...shared(input),
      };
    },
  };
  const tasks = new HumanTasks(service, pages, options.publicUrl);

  return () => {
    const mcp = new McpServer(
      { name: 'countersign-human-tools', version: '0.1.0' },
      {
        capabilities: { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
        instructions:
          'Use these tools to involve a human. A result that says "still waiting" carries a request id: ' +
          'call check_request with it later rather than asking again.',
      },
    );
    const registered = new Map<string, RegisteredTool>();
    const askTool = (name: keyof typeof bodies, config: AskToolConfig) => {
      const tool = mcp.registerTool(name, { ...config, _meta: CARD_TOOL_META }, (input, extra) => {
        const body = bodies[name]!(input as Record<string, unknown>);
        return 'content' in body ? body : ask(body, extra, mcp.server);
      });
      // Listed as task-capable; the tools/call handler below answers task requests.
      tool.execution = { taskSupport: 'optional' };
      registered.set(name, tool);
    };
    askTool('request_approval', {
      title: 'Ask a human to approve an action',
      description:
        'Asks a human to approve an action before you take it, waits for the decision and returns it (with any comment or changed values).',
      inputSchema: {
        action: z.string().min(1).max(2000).describe('What you want to do, in plain words.'),
        ...common,
      },
    });
    askTool('ask_human', {
      title: 'Ask a human a question',
      description: 'Asks a human a clarification question and returns their answer.',
      inputSchema: { question: z.string().min(1).max(4000).describe('The question.'), ...common },
    });
    askTool('collect_input', {
      title: 'Ask a human to fill in a form',
      description:
        'Asks a human to fill in a form described by a JSON Schema and returns the validated data.',
      inputSchema: {
        title: z.string().min(1).max(2000).describe('What the form is for.'),
        schema: z.record(z.string(), z.unknown()).describe('The JSON Schema of the answer.'),
        ...common,
      },
    });
    const check = mcp.registerTool(
      'check_request',
      {
        title: 'Check an earlier request',
        description:
          'Returns the status of an earlier request; if still pending, waits a little longer for it.',
        inputSchema: {
          request_id: z.string().min(1).describe('The request id from an earlier result.'),
        },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      async (input, extra) => {
        try {
          const request = await service.get(input.request_id, { signal: extra.signal });
          if (request.status !== 'pending') return reportRequest(request, options.publicUrl);
        } catch (error) {
          return failure(`Looking up request ${input.request_id}`, error);
        }
        pages.offer(mcp.server, input.request_id, `request ${input.request_id}`);
        return waitAndReport(input.request_id, extra, mcp.server);
      },
    );
    registered.set('check_request', check);
    mcp.registerResource(
      approvalCardResource.name,
      APPROVAL_CARD_URI,
      { ...approvalCardResource },
      () => readApprovalCard(),
    );
    serveHumanTasks(mcp.server, { registered, bodies, tasks });
    return mcp.server;
  };
}

function shared(input: Record<string, unknown>) {
  return {
    context: input.context as Record<string, unknown> | undefined,
    assignees: input.assignees as string[] | undefined,
    timeout: input.timeout as string | undefined,
  };
}

type AskToolConfig = {
  title: string;
  description: string;
  inputSchema: Record<string, z.ZodType>;
};
