import type { RequestPage } from '../store/store-types.js';

// The `cursor` of GET /v1/requests: an opaque spelling of the store's position, so clients pass
// it back unchanged and the store stays free to change what a position is.

/** Encodes a list cursor from a page's `nextBefore` position. */
export function encodeCursor(position: number): string {
  return Buffer.from(`s${position}`).toString('base64url');
}

/** Decodes a list cursor, or returns undefined when it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^s(\d{1,15})$/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** A store page as the API sends it: `{ items, nextCursor }`. */
export function pageWithCursor(page: RequestPage) {
  return {
    items: page.items,
    nextCursor: page.nextBefore === null ? null : encodeCursor(page.nextBefore),
  };
}
