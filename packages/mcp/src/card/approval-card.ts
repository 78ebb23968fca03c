import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReadResourceResult, Resource } from '@modelcontextprotocol/sdk/types.js';
import { CARD_SCRIPT } from './card-script.js';

/** The approval card's resource, as MCP Apps hosts fetch it (`_meta.ui.resourceUri` of a tool). */
export const APPROVAL_CARD_URI = 'ui://countersign/approval-card';
/** The MCP Apps HTML profile. */
export const MCP_APP_MIME_TYPE = 'text/html;profile=mcp-app';

/** A tool's `_meta` asking MCP Apps hosts to show the card with its results. */
export const CARD_TOOL_META = { ui: { resourceUri: APPROVAL_CARD_URI } };

/** The card's listing in `resources/list`. */
export const approvalCardResource: Resource = {
  uri: APPROVAL_CARD_URI,
  name: 'countersign-approval-card',
  title: 'Countersign approval',
  description:
    'The approval behind a tool call: the request, its arguments, status, countdown, quorum and who may decide.',
  mimeType: MCP_APP_MIME_TYPE,
};

const STYLE = `
body { font: 14px/1.4 var(--font-sans, system-ui, sans-serif); margin: 0; color: var(--color-text-primary, #1b1b1f); }
main { border: 1px solid var(--color-border-primary, #d0d0d7); border-radius: 10px; padding: 12px 14px; }
h1 { font-size: 15px; margin: 0 0 2px; }
#request, #who, #quorum, #countdown { color: var(--color-text-secondary, #55555f); margin: 2px 0; }
#status { display: inline-block; padding: 1px 8px; border-radius: 999px; background: #eef; font-weight: 600; }
#status[data-status="approved"] { background: #e3f6e8; } #status[data-status="rejected"] { background: #fde7e7; }
pre { background: var(--color-background-secondary, #f5f5f8); padding: 8px; border-radius: 6px; overflow: auto; max-height: 12em; }
`;

let cached: string | undefined;

/**
 * The MCP Apps browser bundle (ext-apps with its dependencies inside): the copy the build put
 * beside this file, or, running from the sources (tests), the dev dependency itself.
 */
function extAppsBundle(): string {
  const vendored = fileURLToPath(new URL('./vendor/ext-apps-app-with-deps.js', import.meta.url));
  if (existsSync(vendored)) return vendored;
  return fileURLToPath(import.meta.resolve('@modelcontextprotocol/ext-apps/app-with-deps'));
}

/**
 * The card: one self-contained HTML page (the ext-apps library is inlined; no outside network,
 * and its Content-Security-Policy forbids any). Built once per process.
 */
export function approvalCardHtml(): string {
  if (cached) return cached;
  const library = readFileSync(extAppsBundle(), 'utf8');
  // The bundle ends in one `export{local as Name,…}`: keep its names in an object instead.
  const exported = /export\s*\{([^}]*)\};?\s*$/.exec(library);
  if (!exported) throw new Error('unexpected @modelcontextprotocol/ext-apps bundle layout');
  const names = exported[1]!
    .split(',')
    .map((entry) => entry.trim().split(/\s+as\s+/))
    .map(([local, name]) => `${name ?? local}:${local}`)
    .join(',');
  const bundle = `${library.slice(0, exported.index)}const ext={${names}};`;
  cached = `<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>Countersign approval</title><style>${STYLE}</style></head>
<body><main>
<h1 id="title">Waiting for the call</h1>
<p id="request" hidden></p>
<span id="status" hidden></span>
<pre id="args" hidden></pre>
<p id="quorum" hidden></p>
<p id="who" hidden></p>
<p id="countdown" hidden></p>
<a id="dashboard" href="#" hidden>Open in the Countersign dashboard</a>
<form id="decide" hidden>
<input id="reason" placeholder="Reason (optional)" maxlength="500">
<button id="approve" type="button">Approve</button> <button id="reject" type="button">Reject</button>
</form>
<p id="note" hidden></p>
</main>
<script type="module">${bundle.replaceAll('</script', '<\\/script')}
${CARD_SCRIPT}</script>
</body></html>`;
  return cached;
}

/** `resources/read` of the card. */
export function readApprovalCard(): ReadResourceResult {
  return {
    contents: [{ uri: APPROVAL_CARD_URI, mimeType: MCP_APP_MIME_TYPE, text: approvalCardHtml() }],
  };
}
