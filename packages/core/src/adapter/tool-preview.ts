import { CountersignError } from '../errors/index.js';
import { type PreviewDescriptor, previewDescriptorSchema } from '../protocol/preview.js';

/** The key of a tool's preview in MCP `_meta`, next to the other `countersign/` keys. */
export const PREVIEW_META_KEY = 'countersign/preview';

/**
 * The preview a tool declares where its framework keeps tool metadata: `metadata.countersign.preview`
 * (AI SDK and LangChain tools) or `_meta["countersign/preview"]` (MCP tools). A malformed one is a
 * `validation_failed` error naming the tool, so the call is denied rather than shown wrongly.
 */
export function toolPreview(
  toolName: string,
  metadata: unknown,
  meta?: unknown,
): PreviewDescriptor | undefined {
  const declared =
    field(meta, PREVIEW_META_KEY) ?? field(field(metadata, 'countersign'), 'preview');
  if (declared === undefined) return undefined;
  const parsed = previewDescriptorSchema.safeParse(declared);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    [issue.path.join('.'), issue.message].filter(Boolean).join(': '),
  );
  throw new CountersignError('validation_failed', {
    message: `The preview of tool "${toolName}" is not valid: ${problems.join('; ')}`,
    details: { tool: toolName, problems },
  });
}

function field(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}
