import { CountersignError, ERROR_HTTP_STATUS, isWireErrorCode } from '@countersign/core/protocol';
import type { Context } from 'hono';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * A refused sign-in as a small page the person can read (the browser arrives here from the
 * provider, not from a script): what went wrong and a way back. Unexpected errors say less.
 */
export function refusalPage(c: Context, error: unknown): Response {
  const known =
    CountersignError.isInstance(error) && isWireErrorCode(error.code) && error.code !== 'internal';
  const message = known
    ? error.message
    : 'The sign-in could not be completed because of a problem on the server. Try again.';
  const status = known && isWireErrorCode(error.code) ? ERROR_HTTP_STATUS[error.code] : 503;
  c.header('cache-control', 'no-store');
  return c.html(
    `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in refused · Countersign</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<main>
<h1>Sign-in refused</h1>
<p role="alert">${escapeHtml(message)}</p>
<p>Nothing was changed. <a href="/">Back to Countersign</a></p>
</main>
</body>
</html>
`,
    status as 400,
  );
}
