/** How many lines of context a hunk keeps around each change. */
const CONTEXT = 3;
/** Past this many lines on both sides the diff is summarized, so a push never costs quadratic time. */
const MAX_LINES = 5000;

/**
 * A unified line diff of `before` and `after` (longest common subsequence), in the shape of
 * `diff -u`: `--- a`, `+++ b`, `@@` hunks with three lines of context. Empty when equal.
 */
export function lineDiff(before: string, after: string, labels: [string, string]): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  const header = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
  if (a.length > MAX_LINES || b.length > MAX_LINES) {
    return [...header, `@@ ${a.length} lines replaced by ${b.length} lines @@`].join('\n');
  }
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      const row = lengths[i] as Uint32Array;
      const below = lengths[i + 1] as Uint32Array;
      row[j] =
        a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  type Line = { mark: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number };
  const lines: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ mark: ' ', text: a[i] as string, oldLine: i, newLine: j });
      i += 1;
      j += 1;
    } else if (
      i < a.length &&
      (j === b.length || (lengths[i + 1]?.[j] ?? 0) >= (lengths[i]?.[j + 1] ?? 0))
    ) {
      // Removals before additions, as diff -u prints them.
      lines.push({ mark: '-', text: a[i] as string, oldLine: i, newLine: j });
      i += 1;
    } else {
      lines.push({ mark: '+', text: b[j] as string, oldLine: i, newLine: j });
      j += 1;
    }
  }
  const output = [...header];
  let index = 0;
  while (index < lines.length) {
    const change = lines.findIndex((line, at) => at >= index && line.mark !== ' ');
    if (change === -1) break;
    const start = Math.max(index, change - CONTEXT);
    let end = change;
    // Extend the hunk while the next change is within twice the context.
    for (let at = change; at < lines.length; at += 1) {
      if ((lines[at] as Line).mark !== ' ') end = at;
      else if (at - end > CONTEXT * 2) break;
    }
    const stop = Math.min(lines.length, end + CONTEXT + 1);
    const hunk = lines.slice(start, stop);
    const first = hunk[0] as Line;
    const oldCount = hunk.filter((line) => line.mark !== '+').length;
    const newCount = hunk.filter((line) => line.mark !== '-').length;
    output.push(`@@ -${first.oldLine + 1},${oldCount} +${first.newLine + 1},${newCount} @@`);
    for (const line of hunk) output.push(`${line.mark}${line.text}`);
    index = stop;
  }
  return output.join('\n');
}
