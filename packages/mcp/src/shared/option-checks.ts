/** The problems with optional millisecond options, each of which must be a positive number. */
export function millisecondsProblems(options: object, names: readonly string[]): string[] {
  const problems: string[] = [];
  for (const name of names) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined && !(typeof value === 'number' && value > 0 && value < Infinity)) {
      problems.push(`${name} must be a positive number of milliseconds`);
    }
  }
  return problems;
}

/** True when `value` has every one of `methods` as a function (duck typing across copies). */
export function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return methods.every(
    (method) => typeof (value as Record<string, unknown>)?.[method] === 'function',
  );
}

/** True for an absolute `http:` or `https:` URL. */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
