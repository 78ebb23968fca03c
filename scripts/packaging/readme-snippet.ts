/** The marker a README puts on the line before the snippet the packaging test runs. */
export const SNIPPET_MARKER = '<!-- packaging-test: runs this snippet -->';

/** One fenced code block of a README. */
export interface Snippet {
  /** The fence's language: `ts`, `js` or `json`. */
  language: string;
  code: string;
  /** Whether the README marked it with {@link SNIPPET_MARKER}. */
  marked: boolean;
}

const FENCE = /^```(\w*)\s*$/;

/** Every fenced block, in order, with whether the line before it is the marker. */
function blocks(readme: string): Snippet[] {
  const lines = readme.split('\n');
  const found: Snippet[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index] as string);
    if (!open) continue;
    const end = lines.findIndex((line, at) => at > index && line.trim() === '```');
    if (end < 0) break;
    let before = index - 1;
    while (before >= 0 && (lines[before] as string).trim() === '') before--;
    found.push({
      language: open[1] ?? '',
      code: lines.slice(index + 1, end).join('\n'),
      marked: before >= 0 && (lines[before] as string).trim() === SNIPPET_MARKER,
    });
    index = end;
  }
  return found;
}

/**
 * The snippet a README promises users can run: the one marked with {@link SNIPPET_MARKER}, else
 * its first TypeScript or JavaScript block, else its first JSON block (an MCP client config).
 */
export function readmeSnippet(readme: string): Snippet | undefined {
  const all = blocks(readme);
  return (
    all.find((block) => block.marked) ??
    all.find((block) => ['ts', 'typescript', 'js', 'javascript'].includes(block.language)) ??
    all.find((block) => block.language === 'json')
  );
}
