/** Milliseconds per duration unit, largest first (formatting picks the largest exact one). */
const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;

/**
 * Milliseconds from a duration such as `250ms`, `15s`, `5m`, `36h` or `7d` (a whole number and one
 * unit), or undefined when the text is not one.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const unit = UNITS.find(([name]) => name === match[2]);
  return Number(match[1]) * (unit?.[1] ?? Number.NaN);
}

/** The shortest exact spelling of `ms` that {@link parseDuration} reads back: `604800000` → `7d`. */
export function formatDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms <= 0) return `${ms}ms`;
  const [name, size] = UNITS.find(([, size]) => ms % size === 0) ?? ['ms', 1];
  return `${ms / size}${name}`;
}
