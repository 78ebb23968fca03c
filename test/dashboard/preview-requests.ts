import type { CreateRequestInput, PreviewKind } from '@countersign/core';

/** One request per preview kind, each part mapped to an argument of the same name. */
export function previewRequest(
  kind: PreviewKind,
  args: Record<string, unknown>,
  extra: { format?: 'text' | 'markdown' | 'html'; title?: string } = {},
): CreateRequestInput {
  const fields = Object.fromEntries(Object.keys(args).map((name) => [name, `args.${name}`]));
  return {
    action: `Run the ${kind} tool`,
    tool: { name: `${kind}_tool`, args, preview: { kind, fields, ...extra } },
  };
}

/** The arguments each kind is shown with in the rendering test. */
export const SAMPLE_ARGS: Record<PreviewKind, Record<string, unknown>> = {
  email: {
    from: 'reports@example.com',
    to: ['ceo@example.com', 'cfo@example.com'],
    subject: 'Q3 board report',
    body: 'Dear board,\nthe numbers are attached.',
  },
  diff: {
    path: 'src/config.ts',
    before: 'const a = 1;\nconst b = 2;\n',
    after: 'const a = 1;\nconst b = 3;\n',
  },
  sql: { statement: 'DELETE FROM customers', database: 'production' },
  http: {
    method: 'post',
    url: 'https://api.example.com/v1/charges',
    headers: { Authorization: 'Bearer secret-token-123', 'Content-Type': 'application/json' },
    body: { amount: 500 },
  },
  money: {
    amount: 12500.5,
    currency: 'USD',
    from: 'Operating account',
    to: 'ACME Ltd',
    memo: 'Invoice 42',
  },
  markdown: { text: '# Plan\n\n- step **one**\n- step two' },
  table: {
    rows: [
      { name: 'alice', role: 'admin' },
      { name: 'bob', role: 'viewer' },
    ],
  },
  json: { value: { nested: { deep: true } } },
};

/** Script, handlers, outside fetches and javascript: links, in every form a field could carry. */
export const XSS_PAYLOAD = [
  '<img src=x onerror="top.__xss=1">',
  '<script>top.__xss=2</script>',
  '<svg onload="top.__xss=3"></svg>',
  '<a href="javascript:top.__xss=4">click</a>',
  '<iframe src="javascript:top.__xss=5"></iframe>',
  '<img src="http://tracker.invalid/pixel.png">',
  '<div style="background:url(http://tracker.invalid/bg.png)">styled</div>',
  '"><img src=x onerror=top.__xss=6>',
  '[md link](javascript:top.__xss=7) ![md image](http://tracker.invalid/md.png)',
  '<link rel="stylesheet" href="http://tracker.invalid/s.css"><form action="http://tracker.invalid/f"><button>go</button></form>',
].join('\n');

/** A title is short: the markup that fits in one. */
export const XSS_TITLE = '<img src=x onerror="top.__xss=8"><script>top.__xss=9</script>';
