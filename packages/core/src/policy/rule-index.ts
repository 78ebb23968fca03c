import { compileGlobs } from './glob.js';

/** How many distinct tool names keep their candidate list; past it, names are looked up each time. */
const MEMO_LIMIT = 1024;

/**
 * Indexes rules by their tool-name globs, so a call only looks at the rules that can match its
 * tool. Exact names go in a map and globs in one matcher each; the candidates for a name keep the
 * rules' file order, so first-match-wins is unchanged. Candidate lists are remembered per tool name
 * (a program calls a handful of tools), up to a bound so arbitrary names cannot grow memory.
 */
export function createRuleIndex<Rule>(
  rules: readonly Rule[],
  globsOf: (rule: Rule) => readonly string[],
): (toolName: string) => readonly Rule[] {
  const byExactName = new Map<string, number[]>();
  const byPattern: Array<{ index: number; matches: (toolName: string) => boolean }> = [];
  rules.forEach((rule, index) => {
    const globs = globsOf(rule);
    const patterns = globs.filter((glob) => /[*?]/.test(glob));
    if (patterns.length > 0) byPattern.push({ index, matches: compileGlobs(patterns) });
    for (const glob of globs) {
      if (/[*?]/.test(glob)) continue;
      const indexes = byExactName.get(glob) ?? [];
      if (indexes.at(-1) !== index) indexes.push(index);
      byExactName.set(glob, indexes);
    }
  });
  const memo = new Map<string, readonly Rule[]>();
  const lookUp = (toolName: string): readonly Rule[] => {
    const indexes = new Set(byExactName.get(toolName));
    for (const pattern of byPattern) if (pattern.matches(toolName)) indexes.add(pattern.index);
    return Object.freeze(
      [...indexes].sort((left, right) => left - right).map((index) => rules[index] as Rule),
    );
  };
  return (toolName) => {
    const known = memo.get(toolName);
    if (known !== undefined) return known;
    const candidates = lookUp(toolName);
    if (memo.size < MEMO_LIMIT) memo.set(toolName, candidates);
    return candidates;
  };
}
