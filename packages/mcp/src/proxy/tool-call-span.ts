import { contextFromTraceparent } from '@countersign/core';
import { context, isSpanContextValid, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from '../shared/logger.js';

const tracer = trace.getTracer('@countersign/mcp');

/**
 * Runs one proxied `tools/call` in a server span named as OpenTelemetry's MCP conventions have it
 * (`tools/call <tool>`). Its parent is the `traceparent` the client put in the request's `_meta`
 * (how MCP carries trace context), else the active span; the gate's span, the approval request
 * and the upstream call run inside it, so the whole call is one trace.
 */
export function inToolCallSpan<T>(
  toolName: string,
  meta: Record<string, unknown> | undefined,
  work: () => Promise<T>,
  logger?: Logger,
): Promise<T> {
  const started = performance.now();
  const parent = contextFromTraceparent(meta?.traceparent, context.active()) ?? context.active();
  return tracer.startActiveSpan(
    `tools/call ${toolName}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'mcp.method.name': 'tools/call',
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': toolName,
      },
    },
    parent,
    async (span) => {
      const traceId = span.spanContext().traceId;
      const fields = {
        tool: toolName,
        ...(isSpanContextValid(span.spanContext()) ? { traceId } : {}),
      };
      try {
        const result = await work();
        const isError = (result as { isError?: unknown })?.isError === true;
        if (isError) span.setStatus({ code: SpanStatusCode.ERROR, message: 'tool error' });
        logger?.record?.('tools/call', {
          ...fields,
          isError,
          durationMs: Math.round(performance.now() - started),
        });
        return result;
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
