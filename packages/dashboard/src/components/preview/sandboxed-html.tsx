import DOMPurify from 'dompurify';
import { marked } from 'marked';

// Nothing in the frame may run or fetch: no script, no outside image, font or style sheet.
const FRAME_POLICY =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";

/** Agent HTML with every script, handler, form and frame removed. */
export function sanitizeHtml(html: string): string {
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: [
      'style',
      'form',
      'input',
      'button',
      'textarea',
      'select',
      'iframe',
      'object',
      'embed',
      'base',
      'meta',
      'link',
    ],
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
    ALLOW_DATA_ATTR: false,
  });
}

/** Markdown as sanitized HTML: raw HTML inside it is sanitized like any other. */
export function markdownHtml(text: string): string {
  return sanitizeHtml(marked.parse(text, { async: false, gfm: true }));
}

/**
 * Sanitized HTML shown inside a sandboxed frame with its own content policy: if the sanitizer
 * ever missed something, the frame still cannot run script, reach the dashboard or fetch anything.
 */
export function SandboxedHtml(props: { html: string; title: string }) {
  const document = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_POLICY}"><style>body{font:15px/1.5 system-ui,sans-serif;margin:.75rem;color:#1d2330;overflow-wrap:anywhere}img{max-width:100%}pre{white-space:pre-wrap}</style></head><body>${props.html}</body></html>`;
  return (
    <iframe
      class="preview-frame"
      title={props.title}
      sandbox=""
      referrerpolicy="no-referrer"
      srcdoc={document}
    />
  );
}
