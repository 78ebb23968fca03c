import {
  type ConditionActivation,
  compileValueExpression,
  type ValueExpression,
} from '../policy/cel-condition.js';
import { unsafeConditionReason } from '../policy/condition-cost.js';
import type { JsonObject } from '../protocol/index.js';
import type { PreviewDescriptor, ResolvedPreview } from '../protocol/preview.js';
import { parsePreviewPath, valueAtPath } from '../protocol/preview-path.js';
import { jsonValue } from './json-value.js';

/** The call a preview is rendered from. */
export interface PreviewCall {
  /** The tool's name, visible to expressions as `tool.name`. */
  toolName: string;
  /** The arguments that will run. */
  args: JsonObject;
  /** The request's context (a file's current text, an account's balance). */
  context?: JsonObject;
}

/** Bounds on what one preview may hold. */
export interface ResolvePreviewOptions {
  /**
   * The expressions come from whoever sent the request, not from the operator: refuse those that
   * could stall the process (regular expressions, nested loops) and those that do not read the
   * call at all, so a preview cannot show a constant instead of what will run. Default true.
   */
  untrusted?: boolean;
  /** The most characters of JSON a part may hold; a larger one is reported, not shown. Default 100 000. */
  maxPartLength?: number;
}

const READS_THE_CALL = /\b(args|context)\b/;
const compiled = new Map<string, ValueExpression | Error>();

function expressionFor(source: string): ValueExpression | Error {
  let entry = compiled.get(source);
  if (entry === undefined) {
    try {
      entry = compileValueExpression(source);
    } catch (error) {
      entry = error instanceof Error ? error : new Error(String(error));
    }
    // A small cache: descriptors repeat per tool, and compiling is the expensive part.
    if (compiled.size >= 500) compiled.delete(compiled.keys().next().value as string);
    compiled.set(source, entry);
  }
  return entry;
}

function partValue(source: string, activation: ConditionActivation, untrusted: boolean): unknown {
  const path = parsePreviewPath(source);
  if (path) {
    const value = valueAtPath(activation[path.root], path.segments);
    if (value === undefined) throw new Error(`${source} is not in the call`);
    return value;
  }
  if (untrusted) {
    const unsafe = unsafeConditionReason(source);
    if (unsafe) throw new Error(`the expression cannot be evaluated here: ${unsafe}`);
    if (!READS_THE_CALL.test(source))
      throw new Error('the expression does not read args or context');
  }
  const expression = expressionFor(source);
  if (expression instanceof Error) throw expression;
  const value = expression(activation);
  if (value instanceof Error) throw value;
  return value;
}

/**
 * Renders a descriptor from the call: each part's value, which parts map to a path (editable in
 * the preview's own terms), and why a part could not be rendered. Never throws for a bad part: the
 * reviewer still sees the others and the raw arguments.
 */
export function resolvePreview(
  descriptor: PreviewDescriptor,
  call: PreviewCall,
  { untrusted = true, maxPartLength = 100_000 }: ResolvePreviewOptions = {},
): ResolvedPreview {
  const activation: ConditionActivation = {
    tool: { name: call.toolName, annotations: {} },
    args: call.args,
    context: call.context ?? {},
    run: {},
  };
  const resolved: ResolvedPreview = { kind: descriptor.kind, parts: {}, paths: {} };
  if (descriptor.title !== undefined) resolved.title = descriptor.title;
  if (descriptor.format !== undefined) resolved.format = descriptor.format;
  const errors: Record<string, string> = {};
  const fields =
    descriptor.kind === 'json' && Object.keys(descriptor.fields).length === 0
      ? { value: 'args' }
      : descriptor.fields;
  for (const [part, source] of Object.entries(fields)) {
    try {
      const value = jsonValue(partValue(source, activation, untrusted));
      const length = JSON.stringify(value)?.length ?? 0;
      if (length > maxPartLength) {
        throw new Error(`it is ${length} characters long, over the ${maxPartLength} shown`);
      }
      resolved.parts[part] = value;
      const path = parsePreviewPath(source);
      if (path) resolved.paths[part] = source.trim();
    } catch (error) {
      errors[part] =
        error instanceof Error ? (error.message.split('\n')[0] ?? 'error') : String(error);
    }
  }
  if (Object.keys(errors).length > 0) resolved.errors = errors;
  return resolved;
}
