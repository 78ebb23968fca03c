// Facts a preview states beside the raw value, so a reviewer does not have to work them out.

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'];

function belowThousand(value: number): string {
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  const words: string[] = [];
  if (hundreds > 0) words.push(`${ONES[hundreds]} hundred`);
  if (rest >= 20)
    words.push(TENS[Math.floor(rest / 10)] + (rest % 10 ? `-${ONES[rest % 10]}` : ''));
  else if (rest > 0 || hundreds === 0) words.push(ONES[rest] as string);
  return words.join(' ');
}

/** A whole number in English words: 1234 is "one thousand two hundred thirty-four". */
export function integerInWords(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) return String(value);
  if (value === 0) return 'zero';
  const groups: string[] = [];
  let rest = value;
  for (let scale = 0; rest > 0; scale++) {
    const group = rest % 1000;
    if (group > 0)
      groups.unshift(`${belowThousand(group)}${SCALES[scale] ? ` ${SCALES[scale]}` : ''}`);
    rest = Math.floor(rest / 1000);
  }
  return groups.join(' ');
}

const CURRENCY_NAMES: Record<string, [string, string]> = {
  USD: ['US dollars', 'cents'],
  EUR: ['euros', 'cents'],
  GBP: ['pounds sterling', 'pence'],
  CHF: ['Swiss francs', 'centimes'],
  JPY: ['yen', ''],
  CAD: ['Canadian dollars', 'cents'],
  AUD: ['Australian dollars', 'cents'],
};

/**
 * An amount written out as on a cheque, so a misplaced decimal point is seen: 12500.5 USD is
 * "twelve thousand five hundred US dollars and fifty cents". Undefined for what is not an amount.
 */
export function amountInWords(amount: unknown, currency?: unknown): string | undefined {
  const value = typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : amount;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
  const [unit, minorUnit] = CURRENCY_NAMES[code] ?? [code, 'hundredths'];
  const negative = value < 0;
  const cents = Math.round(Math.abs(value) * 100);
  const whole = Math.floor(cents / 100);
  const minor = cents % 100;
  let words = integerInWords(whole);
  if (unit) words += ` ${unit}`;
  if (minor > 0) words += minorUnit ? ` and ${integerInWords(minor)} ${minorUnit}` : '';
  return negative ? `minus ${words}` : words;
}

const SQL_NOISE = /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:''|[^'])*'|"(?:""|[^"])*"/g;

/**
 * What a reviewer must notice in SQL: an UPDATE or DELETE without a WHERE changes every row, and
 * DROP or TRUNCATE removes data outright. Comments and string literals are ignored.
 */
export function sqlWarnings(statement: unknown): string[] {
  if (typeof statement !== 'string') return [];
  const code = statement.slice(0, 100_000).replace(SQL_NOISE, "''");
  const warnings: string[] = [];
  for (const part of code.split(';')) {
    const text = part.trim();
    const verb = /^(?:with\b[\s\S]*?\)\s*)?(update|delete|drop|truncate)\b/i.exec(text)?.[1];
    if (!verb) continue;
    const upper = verb.toUpperCase();
    if ((upper === 'UPDATE' || upper === 'DELETE') && !/\bwhere\b/i.test(text)) {
      warnings.push(`${upper} without WHERE: it changes every row of the table`);
    } else if (upper === 'DROP' || upper === 'TRUNCATE') {
      warnings.push(`${upper}: it removes data and cannot be undone by the tool`);
    }
  }
  return warnings;
}

const SECRET_HEADER =
  /authorization|cookie|token|secret|password|passwd|api[-_]?key|signature|session/i;

/** Headers with the values of credentials masked, so a preview never shows a secret. */
export function maskedHeaders(headers: unknown): [string, string][] {
  if (headers === null || typeof headers !== 'object') return [];
  const entries = Array.isArray(headers)
    ? headers.filter(
        (entry): entry is [unknown, unknown] => Array.isArray(entry) && entry.length === 2,
      )
    : Object.entries(headers);
  return entries.slice(0, 200).map(([name, value]) => {
    const key = String(name);
    return [
      key,
      SECRET_HEADER.test(key)
        ? '••••••'
        : typeof value === 'string'
          ? value
          : JSON.stringify(value),
    ];
  });
}
