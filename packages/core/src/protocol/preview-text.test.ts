import { describe, expect, it } from 'vitest';
import type { ResolvedPreview } from './preview.js';
import { htmlToText, renderPreviewText } from './preview-text.js';

const preview = (kind: ResolvedPreview['kind'], parts: Record<string, unknown>, extra = {}) =>
  ({ kind, parts, paths: {}, ...extra }) as ResolvedPreview;

describe('renderPreviewText', () => {
  it('renders each kind as a terminal or a plain-text email shows it', () => {
    expect(
      renderPreviewText(preview('diff', { path: 'a.txt', before: 'x\ny', after: 'x\nz' })),
    ).toBe('File: a.txt\n  x\n- y\n+ z');
    expect(renderPreviewText(preview('sql', { statement: 'DELETE FROM t' }))).toBe(
      'DELETE FROM t\nWARNING: DELETE without WHERE: it changes every row of the table',
    );
    expect(
      renderPreviewText(
        preview('http', {
          method: 'POST',
          url: 'https://x.test/a',
          headers: { Authorization: 'b' },
          body: { a: 1 },
        }),
      ),
    ).toBe('POST https://x.test/a\nAuthorization: ••••••\n\n{\n  "a": 1\n}');
    expect(renderPreviewText(preview('money', { amount: 500, currency: 'USD', to: 'ACME' }))).toBe(
      'Amount: 500 USD\nIn words: five hundred US dollars\nTo: ACME',
    );
    expect(renderPreviewText(preview('table', { rows: [{ a: 1, b: 2 }, { a: 3 }] }))).toBe(
      'a | b\n1 | 2\n3 |',
    );
    expect(
      renderPreviewText(
        preview(
          'email',
          { subject: 'Hi', body: '<p>Hello<script>x()</script></p>' },
          { format: 'html' },
        ),
      ),
    ).toBe('Subject: Hi\n\nHello');
  });

  it('cuts a long rendering with an ellipsis', () => {
    const text = renderPreviewText(preview('markdown', { text: 'x'.repeat(100) }), 10);
    expect(text).toBe(`${'x'.repeat(9)}…`);
  });

  it('strips every tag from HTML', () => {
    expect(htmlToText('<img src=x onerror=alert(1)>a<br>b &lt;c&gt;')).toBe('a\nb <c>');
  });
});
