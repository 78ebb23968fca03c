// Grant conditions prefilled from a request and the words for a grant's approval: plain string
// building (no CEL engine, no zod), so the dashboard uses them without bundling either. The
// server compiles and checks whatever condition comes back.

/** The longest grant condition: room for the exact arguments of an ordinary call. */
export const GRANT_CONDITION_MAX_LENGTH = 8000;

/** The words for a grant's approval, as the dashboard, the CLI and the audit show them. */
export function describeGrantApproval(grant: {
  id: string;
  grantedBy: string;
  grantedAt: string;
}): string {
  return `approved by grant ${grant.id} (granted by ${grant.grantedBy} at ${grant.grantedAt})`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// CEL's keywords and reserved words cannot follow a dot.
const RESERVED = new Set(
  'as break const continue else false for function if import in let loop namespace null package return true var void while'.split(
    ' ',
  ),
);

/** A JSON value as a CEL literal; `dyn()` lets one map or list hold values of several types. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => `dyn(${literal(item)})`).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => `${JSON.stringify(key)}: dyn(${literal(item)})`,
    );
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value ?? null);
}

function field(key: string): string {
  return IDENTIFIER.test(key) && !RESERVED.has(key)
    ? `args.${key}`
    : `args[${JSON.stringify(key)}]`;
}

/** A CEL condition true for exactly these arguments and no others. */
export function exactArgsCondition(args: Record<string, unknown>): string {
  return `args == ${literal(args)}`;
}

/**
 * A CEL condition that bounds every numeric argument from above by its value and keeps the
 * others exact (`args.amount <= 500 && args.to == "bob"`), with the same set of keys. Undefined
 * when no argument is a number (the exact condition is then the only prefill).
 */
export function boundedArgsCondition(args: Record<string, unknown>): string | undefined {
  const entries = Object.entries(args);
  if (!entries.some(([, value]) => typeof value === 'number')) return undefined;
  const parts = entries.map(([key, value]) =>
    typeof value === 'number'
      ? `${field(key)} <= ${JSON.stringify(value)}`
      : `${field(key)} == ${literal(value)}`,
  );
  return [...parts, `args.size() == ${entries.length}`].join(' && ');
}
