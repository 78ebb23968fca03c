const GLOB_PATTERN = /^[A-Za-z0-9_.:/*?-]{1,256}$/;

/** True when `glob` uses only the characters a tool-name glob may contain. */
export function isValidGlob(glob: string): boolean {
  return GLOB_PATTERN.test(glob);
}

/**
 * Compiles tool-name globs into one matcher. `*` matches any run of characters (including none),
 * `?` exactly one; a glob matches the whole name. Callers validate globs with {@link isValidGlob}
 * first, so only `.` needs escaping.
 */
export function compileGlobs(globs: readonly string[]): (toolName: string) => boolean {
  if (globs.includes('*')) return () => true;
  const exact = globs.filter((glob) => !/[*?]/.test(glob));
  const patterns = globs.filter((glob) => /[*?]/.test(glob));
  const names = new Set(exact);
  if (patterns.length === 0) return (toolName) => names.has(toolName);
  const source = patterns
    .map((glob) => glob.replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.'))
    .join('|');
  const regex = new RegExp(`^(?:${source})$`, 's');
  return (toolName) => names.has(toolName) || regex.test(toolName);
}
