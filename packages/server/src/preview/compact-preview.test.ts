import { resolvePreview } from '@countersign/core';
import {
  type ApprovalRequest,
  PREVIEW_KINDS,
  PREVIEW_PARTS,
  previewDescriptorSchema,
} from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import { compactPreview } from './compact-preview.js';

const PAYLOAD =
  '<img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">x</a><img src="http://tracker.invalid/p.png"> ``` <@U123> <!channel>';

function requestWith(kind: (typeof PREVIEW_KINDS)[number], format?: 'text' | 'markdown' | 'html') {
  const parts = PREVIEW_PARTS[kind];
  const args = Object.fromEntries(parts.map((part) => [part, PAYLOAD]));
  const descriptor = previewDescriptorSchema.parse({
    kind,
    ...(format ? { format } : {}),
    fields: Object.fromEntries(parts.map((part) => [part, `args.${part}`])),
  });
  return {
    id: 'req_1',
    preview: resolvePreview(descriptor, { toolName: 't', args }),
  } as unknown as ApprovalRequest;
}

describe('compactPreview', () => {
  it('keeps agent markup inert in every kind, for mail and for Slack', () => {
    const requests = PREVIEW_KINDS.flatMap((kind) =>
      kind === 'email'
        ? (['text', 'markdown', 'html'] as const).map((format) => requestWith(kind, format))
        : [requestWith(kind)],
    );
    for (const request of requests) {
      const compact = compactPreview(request);
      expect(compact).toBeDefined();
      const { html, slack } = compact!;
      // Agent text may still read "onerror" as escaped text; no tag of its own survives.
      expect(html).not.toMatch(/<script|<img|<[^>]*\bon\w+=|href="javascript|src="http/i);
      // Slack: only our own fence, and no live mention or link syntax.
      expect(slack.startsWith('```') && slack.endsWith('```')).toBe(true);
      expect(slack.slice(3, -3)).not.toMatch(/```|<|>/);
    }
  });

  it('keeps the safe structure of an HTML email body and cuts long previews, saying so', () => {
    const descriptor = previewDescriptorSchema.parse({
      kind: 'email',
      format: 'html',
      fields: { subject: 'args.subject', body: 'args.body' },
    });
    const request = {
      preview: resolvePreview(descriptor, {
        toolName: 'send',
        args: {
          subject: 'Hi',
          body: '<p>Hello <strong>board</strong> <a href="https://example.com/r">report</a></p>',
        },
      }),
    } as unknown as ApprovalRequest;
    const compact = compactPreview(request)!;
    expect(compact.html).toContain(
      '<p>Hello <strong>board</strong> <a href="https://example.com/r">report</a></p>',
    );
    expect(compact.text).toBe('Subject: Hi\n\nHello board report');
    expect(compact.truncated).toBe(false);
    const long = compactPreview(
      {
        preview: { ...request.preview!, format: 'text', parts: { body: 'x'.repeat(5000) } },
      } as unknown as ApprovalRequest,
      100,
    )!;
    expect(long.truncated).toBe(true);
    expect(long.text).toHaveLength(100);
  });

  it('has nothing to say for a request without a preview', () => {
    expect(compactPreview({ id: 'req_2' } as ApprovalRequest)).toBeUndefined();
  });
});
