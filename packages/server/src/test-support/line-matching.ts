/**
 * Resolves with the first line of `lines` (still being written, such as a CLI's output) matching
 * `pattern`; rejects after about ten seconds. Wait for this instead of sleeping.
 */
export async function lineMatching(lines: string[], pattern: RegExp): Promise<RegExpExecArray> {
  for (let tries = 0; tries < 500; tries++) {
    for (const line of lines) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`No line matching ${pattern} in: ${lines.join(' | ')}`);
}
