import { z } from 'zod';

/** How a preview renders a call: the effect as the reviewer will see it happen. */
export const PREVIEW_KINDS = [
  'email',
  'diff',
  'sql',
  'http',
  'money',
  'markdown',
  'table',
  'json',
] as const;
export type PreviewKind = (typeof PREVIEW_KINDS)[number];

/** The parts each kind of preview has; a descriptor maps some of them to the call. */
export const PREVIEW_PARTS = {
  email: ['from', 'to', 'cc', 'bcc', 'subject', 'body'],
  diff: ['path', 'before', 'after', 'patch'],
  sql: ['statement', 'database'],
  http: ['method', 'url', 'headers', 'body'],
  money: ['amount', 'currency', 'from', 'to', 'memo'],
  markdown: ['text'],
  table: ['rows', 'columns'],
  json: ['value'],
} as const satisfies Record<PreviewKind, readonly string[]>;

/** How an email's body (or a markdown part) is written. */
export const PREVIEW_FORMATS = ['text', 'markdown', 'html'] as const;
export type PreviewFormat = (typeof PREVIEW_FORMATS)[number];

/** The longest source expression a descriptor may hold. */
export const PREVIEW_SOURCE_MAX = 1000;

const source = z
  .string()
  .trim()
  .min(1)
  .max(PREVIEW_SOURCE_MAX)
  .describe(
    'Where a part comes from: a path into the call such as "args.subject" or "context.file[0]" (editable in the preview), or a CEL expression over args and context (shown, not editable)',
  );

/**
 * How to render a tool's arguments for the reviewer. It travels with the request (`tool.preview`)
 * and the server renders it from the arguments, so a preview always shows the call that will run.
 */
export const previewDescriptorSchema = z
  .strictObject({
    kind: z.enum(PREVIEW_KINDS).describe('What the call does: its effect is rendered as this kind'),
    title: z.string().trim().min(1).max(200).optional().describe('A heading for the preview'),
    format: z
      .enum(PREVIEW_FORMATS)
      .optional()
      .describe('How the email body is written: text (default), markdown or html (sanitized)'),
    fields: z
      .record(z.string(), source)
      .default({})
      .describe("The preview's parts, each mapped to a path or an expression over the call"),
  })
  .superRefine((descriptor, ctx) => {
    const parts: readonly string[] = PREVIEW_PARTS[descriptor.kind];
    for (const name of Object.keys(descriptor.fields)) {
      if (!parts.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', name],
          message: `A ${descriptor.kind} preview has no part "${name}" (it has ${parts.join(', ')})`,
        });
      }
    }
  })
  .describe('How to render the call for the reviewer instead of a JSON tree');
export type PreviewDescriptor = z.output<typeof previewDescriptorSchema>;
export type PreviewDescriptorInput = z.input<typeof previewDescriptorSchema>;

/** A preview rendered from the arguments by the server: what the dashboard, mail and CLI show. */
export const resolvedPreviewSchema = z
  .object({
    kind: z.enum(PREVIEW_KINDS).describe('The kind of preview'),
    title: z.string().optional().describe('The heading'),
    format: z.enum(PREVIEW_FORMATS).optional().describe('How the body part is written'),
    parts: z.record(z.string(), z.unknown()).describe('Each part with its value from the call'),
    paths: z
      .record(z.string(), z.string())
      .describe('The parts that map to a path of the call, with the path: editable in the preview'),
    errors: z
      .record(z.string(), z.string())
      .optional()
      .describe('Parts that could not be rendered, with why (the raw arguments are still shown)'),
  })
  .describe('The call rendered as its effect, from the arguments that will run');
export type ResolvedPreview = z.infer<typeof resolvedPreviewSchema>;
