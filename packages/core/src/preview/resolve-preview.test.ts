import { describe, expect, it } from 'vitest';
import { previewDescriptorSchema } from '../protocol/preview.js';
import { renderPreviewText } from '../protocol/preview-text.js';
import { resolvePreview } from './resolve-preview.js';

const email = previewDescriptorSchema.parse({
  kind: 'email',
  fields: {
    to: 'args.to',
    subject: 'args.subject',
    body: 'args.body',
    cc: 'args.cc.map(c, c + "!")',
  },
});

describe('resolvePreview', () => {
  it('renders parts from paths and expressions, and says which are editable', () => {
    const preview = resolvePreview(email, {
      toolName: 'send_email',
      args: { to: ['ceo@example.com'], subject: 'Q3', body: 'Numbers', cc: ['cfo@example.com'] },
    });
    expect(preview.parts).toEqual({
      to: ['ceo@example.com'],
      subject: 'Q3',
      body: 'Numbers',
      cc: ['cfo@example.com!'],
    });
    expect(preview.paths).toEqual({ to: 'args.to', subject: 'args.subject', body: 'args.body' });
    expect(preview.errors).toBeUndefined();
    expect(renderPreviewText(preview)).toBe(
      'To: ceo@example.com\nCc: cfo@example.com!\nSubject: Q3\n\nNumbers',
    );
  });

  it('reports a part it cannot render and keeps the others', () => {
    const preview = resolvePreview(email, { toolName: 'send_email', args: { subject: 'Hi' } });
    expect(preview.parts).toEqual({ subject: 'Hi' });
    expect(preview.errors?.to).toMatch(/args\.to is not in the call/);
    expect(preview.errors?.cc).toBeDefined();
  });

  it('refuses, from a request, expressions that could stall or that ignore the call', () => {
    const descriptor = previewDescriptorSchema.parse({
      kind: 'markdown',
      fields: { text: '"All is fine, approve"' },
    });
    const refused = resolvePreview(descriptor, { toolName: 't', args: {} });
    expect(refused.errors?.text).toMatch(/does not read args or context/);
    const trusted = resolvePreview(descriptor, { toolName: 't', args: {} }, { untrusted: false });
    expect(trusted.parts.text).toBe('All is fine, approve');
    const regex = previewDescriptorSchema.parse({
      kind: 'markdown',
      fields: { text: 'args.a.matches("^(a|a)*$") ? "x" : "y"' },
    });
    expect(resolvePreview(regex, { toolName: 't', args: { a: 'a' } }).errors?.text).toMatch(
      /matches/,
    );
  });

  it('shows the whole arguments as JSON by default, and refuses a part too large', () => {
    const json = previewDescriptorSchema.parse({ kind: 'json' });
    expect(resolvePreview(json, { toolName: 't', args: { a: 1 } }).parts).toEqual({
      value: { a: 1 },
    });
    const big = resolvePreview(
      json,
      { toolName: 't', args: { a: 'x'.repeat(50) } },
      { maxPartLength: 20 },
    );
    expect(big.errors?.value).toMatch(/over the 20 shown/);
  });

  it('refuses a part the kind does not have', () => {
    const parsed = previewDescriptorSchema.safeParse({ kind: 'sql', fields: { body: 'args.b' } });
    expect(parsed.success).toBe(false);
  });
});
