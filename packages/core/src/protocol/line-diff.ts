/** One line of a line diff: kept, removed or added. */
export interface DiffLine {
  type: 'same' | 'removed' | 'added';
  text: string;
}

/** Past this many cells the middle of a diff is shown as removed-then-added, not aligned. */
const MAX_CELLS = 1_000_000;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * The lines that differ between two texts, aligned by their longest common subsequence. The
 * common head and tail are trimmed first, so a one-line edit in a long file stays cheap; a middle
 * too large to align is shown whole as removed, then added (still exact, only less compact).
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  const lines: DiffLine[] = a.slice(0, head).map((text) => ({ type: 'same', text }));
  lines.push(...alignMiddle(middleA, middleB));
  lines.push(...a.slice(a.length - tail).map((text): DiffLine => ({ type: 'same', text })));
  return lines;
}

function alignMiddle(a: string[], b: string[]): DiffLine[] {
  const removed = a.map((text): DiffLine => ({ type: 'removed', text }));
  const added = b.map((text): DiffLine => ({ type: 'added', text }));
  if (a.length === 0 || b.length === 0 || (a.length + 1) * (b.length + 1) > MAX_CELLS) {
    return [...removed, ...added];
  }
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] as number) + 1
          : Math.max(lengths[(i + 1) * width + j] as number, lengths[i * width + j + 1] as number);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ type: 'same', text: a[i++] as string });
      j++;
    } else if ((lengths[(i + 1) * width + j] as number) >= (lengths[i * width + j + 1] as number)) {
      lines.push({ type: 'removed', text: a[i++] as string });
    } else lines.push({ type: 'added', text: b[j++] as string });
  }
  while (i < a.length) lines.push({ type: 'removed', text: a[i++] as string });
  while (j < b.length) lines.push({ type: 'added', text: b[j++] as string });
  return lines;
}
