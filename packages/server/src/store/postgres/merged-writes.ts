/** A statement with its positional parameters (`$1`, `$2`, … in the text). */
export interface Statement {
  text: string;
  values: unknown[];
}

const INSERT = /^\s*INSERT\s+INTO\s+(\w+)/i;

/**
 * The same writes, in the same order, with each run of consecutive INSERTs joined into one
 * statement (all but the last in a WITH clause), so the database receives, plans and answers one
 * message for them. Only INSERTs are joined: the parts of one statement share one snapshot, so an
 * UPDATE or DELETE joined after an INSERT would not see the rows it inserted. And only INSERTs into
 * different tables: the parts run in no promised order, and a table's generated keys must follow
 * the order of its inserts.
 */
export function mergedWrites(writes: readonly Statement[]): Statement[] {
  const merged: Statement[] = [];
  let run: Statement[] = [];
  const tables = new Set<string>();
  const close = () => {
    if (run.length > 0) merged.push(joined(run));
    run = [];
    tables.clear();
  };
  for (const write of writes) {
    const table = INSERT.exec(write.text)?.[1]?.toLowerCase();
    if (table === undefined) {
      close();
      merged.push(write);
      continue;
    }
    if (tables.has(table)) close();
    tables.add(table);
    run.push(write);
  }
  close();
  return merged;
}

function joined(inserts: readonly Statement[]): Statement {
  if (inserts.length === 1) return inserts[0] as Statement;
  const values: unknown[] = [];
  const texts = inserts.map((insert) => {
    const offset = values.length;
    values.push(...insert.values);
    return insert.text.replace(/\$(\d+)/g, (_match, index: string) => `$${Number(index) + offset}`);
  });
  const last = texts.pop() as string;
  return {
    text: `WITH ${texts.map((text, index) => `w${index + 1} AS (${text})`).join(', ')} ${last}`,
    values,
  };
}
