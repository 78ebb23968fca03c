import type { DialectPart } from './sql-template.js';

/** Column types that differ between the databases (the schema is otherwise written once). */
export interface ColumnTypes {
  /** A 64-bit key the database numbers itself. */
  generatedKey: string;
  /** The events key: numbered by the store under the log lock, so ids commit in order. */
  eventKey: string;
  /** A 64-bit integer (ids, millisecond times). */
  bigint: string;
  /** A JSON array the list filters search. */
  jsonArray: string;
  /** A true/false column. */
  boolean: string;
  /** The literal false, as a column default. */
  false: string;
  /** Sorts text byte by byte, so ISO times compare as times. */
  bytewise: string;
}

/** Everything SQLite and PostgreSQL spell differently; the queries are written once around it. */
export interface Dialect {
  /** The placeholder of the parameter at `index` (from 1). */
  placeholder(index: number): string;
  /** A list as its database binds it (for {@link inList} and {@link jsonArrayHasAny}). */
  encodeList(values: readonly unknown[]): unknown;
  /** A boolean as its database binds it (for {@link booleanParameter}). */
  encodeBoolean(value: boolean): unknown;
  /** `expression IN list`, the list being one bound parameter. */
  inList(expression: string, list: string): string;
  /** Whether the JSON array `column` holds the text `value`. */
  jsonArrayHas(column: string, value: string): string;
  /** Whether the JSON array `column` holds any text of `list`. */
  jsonArrayHasAny(column: string, list: string): string;
  /** Whether the JSON array `column` is empty. */
  jsonArrayIsEmpty(column: string): string;
  /** The id of the next event, taken under the log lock so ids commit in order. */
  readonly nextEventId: string;
  /** Locks the selected rows until commit. */
  readonly forUpdate: string;
  /** Locks the selected rows, skipping those another transaction holds. */
  readonly skipLocked: string;
  /** The column types of the schema. */
  readonly columns: ColumnTypes;
}

/**
 * SQLite runs one transaction at a time on one connection, so it needs no row locks; lists and
 * booleans are bound as JSON text and 0/1 (node:sqlite binds neither arrays nor booleans).
 */
export const SQLITE: Dialect = {
  placeholder: (index) => `?${index}`,
  encodeList: (values) => JSON.stringify(values),
  encodeBoolean: (value) => (value ? 1 : 0),
  inList: (expression, list) => `${expression} IN (SELECT value FROM json_each(${list}))`,
  jsonArrayHas: (column, value) =>
    `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ${value})`,
  jsonArrayHasAny: (column, list) =>
    `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value IN (SELECT value FROM json_each(${list})))`,
  jsonArrayIsEmpty: (column) => `${column} = '[]'`,
  // AUTOINCREMENT's record of the highest id ever used (an explicit id moves it forward), so an id
  // is never reused: clients resume streams from the last id they saw.
  nextEventId: `COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) + 1`,
  forUpdate: '',
  skipLocked: '',
  columns: {
    generatedKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    eventKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    bigint: 'INTEGER',
    jsonArray: 'TEXT',
    boolean: 'INTEGER',
    false: '0',
    bytewise: '',
  },
};

/** PostgreSQL: replicas share the tables, so claims lock rows and skip the ones others hold. */
export const POSTGRES: Dialect = {
  placeholder: (index) => `$${index}`,
  encodeList: (values) => values,
  encodeBoolean: (value) => value,
  inList: (expression, list) => `${expression} = ANY(${list})`,
  jsonArrayHas: (column, value) => `${column} ? ${value}`,
  jsonArrayHasAny: (column, list) => `${column} ?| ${list}::text[]`,
  jsonArrayIsEmpty: (column) => `${column} = '[]'::jsonb`,
  // Not a sequence: replicas would commit its ids out of order. The log lock orders them instead.
  nextEventId: 'COALESCE((SELECT MAX(id) FROM events), 0) + 1',
  forUpdate: ' FOR UPDATE',
  skipLocked: ' FOR UPDATE SKIP LOCKED',
  columns: {
    generatedKey: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
    eventKey: 'BIGINT PRIMARY KEY',
    bigint: 'BIGINT',
    jsonArray: 'JSONB',
    boolean: 'BOOLEAN',
    false: 'false',
    bytewise: ' COLLATE "C"',
  },
};

/** A column type of the current database. */
export const columnType =
  (type: keyof ColumnTypes): DialectPart =>
  (dialect) =>
    dialect.columns[type];

/** The next event id, as a select list. */
export const nextEventId: DialectPart = (dialect) => dialect.nextEventId;

/** ` FOR UPDATE` where rows can be locked. */
export const forUpdate: DialectPart = (dialect) => dialect.forUpdate;

/** ` FOR UPDATE SKIP LOCKED` where rows can be locked. */
export const skipLocked: DialectPart = (dialect) => dialect.skipLocked;

/** `expression IN :list`, with the list bound as one parameter. */
export const inList =
  (expression: string, list: string): DialectPart =>
  (dialect, bind) =>
    dialect.inList(expression, bind(list, 'list'));

/** A boolean parameter. */
export const booleanParameter =
  (name: string): DialectPart =>
  (_dialect, bind) =>
    bind(name, 'boolean');

/** Whether the JSON array `column` holds the parameter `value`. */
export const jsonArrayHas =
  (column: string, value: string): DialectPart =>
  (dialect, bind) =>
    dialect.jsonArrayHas(column, bind(value));

/** Whether the JSON array `column` holds any text of the list parameter `list`. */
export const jsonArrayHasAny =
  (column: string, list: string): DialectPart =>
  (dialect, bind) =>
    dialect.jsonArrayHasAny(column, bind(list, 'list'));

/** Whether the JSON array `column` is empty. */
export const jsonArrayIsEmpty =
  (column: string): DialectPart =>
  (dialect) =>
    dialect.jsonArrayIsEmpty(column);
