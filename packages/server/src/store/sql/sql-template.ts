import type { Dialect } from './dialect.js';

/** How a parameter's value is sent: as it is, as a list (`inList`) or as a boolean. */
export type Encoding = 'value' | 'list' | 'boolean';

/** Returns the placeholder of a named parameter in the text being rendered. */
export type Bind = (name: string, encoding?: Encoding) => string;

/** SQL text that depends on the database: a column type, a lock clause, a JSON operator. */
export type DialectPart = (dialect: Dialect, bind: Bind) => string;

/** Named parameter values; a query reads the ones it names. */
export type Parameters = Readonly<Record<string, unknown>>;

/** A query written once for every database, with `:name` parameters and dialect parts. */
export class Query {
  readonly texts: readonly string[];
  readonly parts: readonly (DialectPart | Query)[];

  constructor(texts: readonly string[], parts: readonly (DialectPart | Query)[]) {
    this.texts = texts;
    this.parts = parts;
  }
}

/** A query as one database runs it: its text and, in order, the parameters it binds. */
export interface RenderedQuery {
  text: string;
  slots: readonly { name: string; encoding: Encoding }[];
}

/** Writes a query once: `:name` in the text is a parameter, `${part}` is database-specific text. */
export function sql(texts: TemplateStringsArray, ...parts: (DialectPart | Query)[]): Query {
  return new Query([...texts], parts);
}

/** Joins conditions with AND; `TRUE` when there are none. */
export function allOf(conditions: readonly Query[]): Query {
  if (conditions.length === 0) return sql`TRUE`;
  return new Query(['', ...conditions.slice(1).map(() => ' AND '), ''], conditions);
}

/** Joins conditions with OR, in parentheses; `FALSE` when there are none. */
export function anyOf(conditions: readonly Query[]): Query {
  if (conditions.length === 0) return sql`FALSE`;
  return new Query(['(', ...conditions.slice(1).map(() => ' OR '), ')'], conditions);
}

// `:name`, but not the second colon of a PostgreSQL cast such as `'[]'::jsonb`.
const PARAMETER = /(?<![:\w]):([a-zA-Z]\w*)/g;

const cache = new WeakMap<Dialect, WeakMap<Query, RenderedQuery>>();

/** The text of `query` for `dialect`, with numbered placeholders; rendered once per query. */
export function render(query: Query, dialect: Dialect): RenderedQuery {
  let rendered = cache.get(dialect);
  if (!rendered) {
    rendered = new WeakMap();
    cache.set(dialect, rendered);
  }
  const known = rendered.get(query);
  if (known) return known;
  const slots: { name: string; encoding: Encoding }[] = [];
  const bind: Bind = (name, encoding = 'value') => {
    let index = slots.findIndex((slot) => slot.name === name);
    if (index === -1) index = slots.push({ name, encoding }) - 1;
    else if (slots[index]?.encoding !== encoding) {
      throw new Error(
        `Parameter :${name} is bound as both ${slots[index]?.encoding} and ${encoding}`,
      );
    }
    return dialect.placeholder(index + 1);
  };
  const write = (part: Query): string =>
    part.texts
      .map((text, index) => {
        const head = text.replace(PARAMETER, (_match, name: string) => bind(name));
        const next = part.parts[index];
        if (next === undefined) return head;
        return head + (next instanceof Query ? write(next) : next(dialect, bind));
      })
      .join('');
  const result = { text: write(query), slots };
  rendered.set(query, result);
  return result;
}

/** The positional values of a rendered query, encoded for its database. */
export function bindValues(
  query: RenderedQuery,
  dialect: Dialect,
  parameters: Parameters,
): unknown[] {
  return query.slots.map(({ name, encoding }) => {
    const value = parameters[name];
    if (value === undefined) throw new Error(`Missing SQL parameter :${name}`);
    if (encoding === 'list') return dialect.encodeList(value as readonly unknown[]);
    if (encoding === 'boolean') return dialect.encodeBoolean(value as boolean);
    return value;
  });
}
