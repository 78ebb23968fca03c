/** Macros that loop over a list or map: nesting them multiplies their cost. */
const COMPREHENSION = /\.\s*(?:all|exists_one|exists|map|filter)\s*\(/g;
/** `matches()` runs a regular expression the condition's author chose. */
const REGULAR_EXPRESSION = /\bmatches\s*\(/;
/** String literals (single, double, triple-quoted, raw) with their escapes. */
const STRING_LITERAL =
  /[rR]?(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')/g;

/** Most loop macros a condition may hold for its cost to stay linear in the call's arguments. */
export const MAX_COMPREHENSIONS = 1;

/**
 * Why a CEL condition written by someone else cannot be evaluated safely in a shared process, or
 * undefined when it can. The engine has no evaluation budget, so a condition is run there only
 * when its cost is at most linear in the size of the arguments: no regular expression (the
 * engine's `matches()` backtracks, so `^(a|a)*$` stalls on a short string) and at most one loop
 * macro (two nested over a 10 000-item list are 10^8 steps). Policies a team writes for its own
 * gates are not limited: this is for conditions that arrive over the wire.
 */
export function unsafeConditionReason(expression: string): string | undefined {
  const code = expression.replace(STRING_LITERAL, '""');
  if (REGULAR_EXPRESSION.test(code)) return 'it uses matches(), a regular expression';
  const loops = code.match(COMPREHENSION)?.length ?? 0;
  if (loops > MAX_COMPREHENSIONS) {
    return `it has ${loops} loop macros (all, exists, exists_one, map, filter); at most ${MAX_COMPREHENSIONS} can be evaluated here`;
  }
  return undefined;
}
