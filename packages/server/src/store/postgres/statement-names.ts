/** At most this many statements get a name: a process's fixed statements, with room to spare. */
const MAX_NAMED = 500;

const names = new Map<string, string>();

/**
 * The name under which each connection prepares `text` once (PostgreSQL then parses and plans it
 * once per connection, not for every call), or undefined to send it unnamed. Named: statements
 * with parameters (those without go as simple queries, which may hold several statements), up to
 * {@link MAX_NAMED} texts in a process (list queries vary; each name costs every connection
 * memory on the server). Not named: `*` selections, whose prepared plans would fail ("cached plan
 * must not change result type") once a newer replica's migration adds a column to the table.
 */
export function statementName(
  text: string,
  values: readonly unknown[] | undefined,
): string | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const known = names.get(text);
  if (known !== undefined) return known;
  if (names.size >= MAX_NAMED || text.includes('*')) return undefined;
  const name = `countersign_${names.size}`;
  names.set(text, name);
  return name;
}
