import { overLimit, type ResolvedInputLimits } from '../service/input-limits.js';

/** One open container while scanning: where its current child sits. */
interface Frame {
  array: boolean;
  index: number;
  /** The current key as it appears in the text (with quotes and escapes). */
  rawKey: string;
}

const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Refuses text nested deeper than `maxJsonDepth` before it is parsed, in one pass over the text,
 * so an over-deep body costs neither a parse nor a recursion. Malformed text is left to the parser.
 */
export function assertDepthWithinLimit(text: string, maxJsonDepth: number): void {
  const frames: Frame[] = [];
  let inString = false;
  let stringStart = 0;
  let expectKey = false;
  let keyPending = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) {
        inString = false;
        const top = frames.at(-1);
        if (keyPending && top) top.rawKey = text.slice(stringStart, i + 1);
      }
      continue;
    }
    if (code === QUOTE) {
      inString = true;
      stringStart = i;
      keyPending = expectKey;
      expectKey = false;
    } else if (code === 123 || code === 91) {
      if (frames.length >= maxJsonDepth) {
        throw overLimit('maxJsonDepth', maxJsonDepth, maxJsonDepth + 1, pointer(frames), 'Nesting');
      }
      frames.push({ array: code === 91, index: 0, rawKey: '""' });
      expectKey = code === 123;
    } else if (code === 125 || code === 93) {
      frames.pop();
      expectKey = false;
    } else if (code === 44) {
      const top = frames.at(-1);
      if (top?.array) top.index++;
      else if (top) expectKey = true;
    }
  }
}

function pointer(frames: Frame[]): string {
  return frames
    .map((frame) => `/${frame.array ? frame.index : escapeSegment(decodeKey(frame.rawKey))}`)
    .join('');
}

function decodeKey(raw: string): string {
  try {
    return String(JSON.parse(raw));
  } catch {
    return raw.slice(1, -1);
  }
}

function escapeSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Refuses a parsed body with more keys and items than `maxJsonEntries` or a string (value or key)
 * longer than `maxStringLength`, naming the JSON Pointer of the first offender. Iterative: the
 * depth was bounded before parsing, but the walk does not rely on it.
 */
export function assertSizeWithinLimits(value: unknown, limits: ResolvedInputLimits): void {
  const { maxJsonEntries, maxStringLength } = limits;
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  let entries = 0;
  const checkString = (text: string, path: string) => {
    if (text.length > maxStringLength) {
      throw overLimit('maxStringLength', maxStringLength, text.length, path, 'A string');
    }
  };
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const current = item.value;
    if (typeof current === 'string') checkString(current, item.path);
    if (typeof current !== 'object' || current === null) continue;
    const isArray = Array.isArray(current);
    const keys = isArray ? undefined : Object.keys(current);
    const count = keys ? keys.length : (current as unknown[]).length;
    for (let index = 0; index < count; index++) {
      const key = keys ? (keys[index] as string) : String(index);
      const path = `${item.path}/${escapeSegment(key)}`;
      entries++;
      if (entries > maxJsonEntries) {
        throw overLimit('maxJsonEntries', maxJsonEntries, entries, path, 'An entry');
      }
      if (keys) checkString(key, path);
      stack.push({ value: (current as Record<string, unknown>)[key], path });
    }
  }
}
