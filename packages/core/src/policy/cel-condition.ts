import { Environment } from '@marcbachmann/cel-js';

/** The variables a condition sees. */
export interface ConditionActivation {
  tool: { name: string; annotations: Record<string, unknown> };
  args: Record<string, unknown>;
  context: Record<string, unknown>;
  run: { id?: string };
}

/** A compiled condition: true, false, or an evaluation error (missing field, type error). */
export type Condition = (activation: ConditionActivation) => boolean | Error;

// One shared environment: creating one is expensive, parsing against it is cheap.
const environment = new Environment({ enableOptionalTypes: true })
  .registerVariable('tool', 'map', { description: 'The tool: name and annotations' })
  .registerVariable('args', 'map', { description: 'The arguments the model sent' })
  .registerVariable('context', 'map', { description: 'The caller context' })
  .registerVariable('run', 'map', { description: 'The agent run: id' });

/** Thrown by {@link compileCondition}; `summary` is a one-line reason. */
export class ConditionSyntaxError extends Error {
  constructor(readonly summary: string) {
    super(summary);
    this.name = 'ConditionSyntaxError';
  }
}

/**
 * Compiles a CEL expression once. Syntax errors, unknown variables and non-boolean results are
 * refused here, at load, so a typo never reaches a tool call.
 */
export function compileCondition(expression: string): Condition {
  const { program, checked } = parseChecked(expression);
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    throw new ConditionSyntaxError(`must be a boolean condition, but it is ${checked.type}`);
  }
  return (activation) => {
    try {
      const result: unknown = program(activation);
      if (typeof result === 'boolean') return result;
      return new TypeError(`The condition returned ${typeof result}, not a boolean`);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };
}

/** Parses and type-checks once; a syntax error or an unknown variable is a {@link ConditionSyntaxError}. */
function parseChecked(expression: string) {
  let program: ReturnType<Environment['parse']>;
  try {
    program = environment.parse(expression);
  } catch (error) {
    throw new ConditionSyntaxError(summarize(error));
  }
  const checked = program.check();
  if (!checked.valid) throw new ConditionSyntaxError(summarize(checked.error));
  return { program, checked };
}

function summarize(error: unknown): string {
  if (error && typeof error === 'object') {
    const summary = (error as { summary?: unknown }).summary;
    if (typeof summary === 'string' && summary) return summary;
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message.split('\n')[0] ?? message;
  }
  return String(error);
}

/** A compiled expression whose value is shown, not tested: a preview part. */
export type ValueExpression = (activation: ConditionActivation) => unknown;

/**
 * Compiles a CEL expression of any type once, in the same environment as conditions; a syntax
 * error or an unknown variable throws {@link ConditionSyntaxError}. Evaluation errors are returned
 * as an `Error`, never thrown.
 */
export function compileValueExpression(expression: string): ValueExpression {
  const { program } = parseChecked(expression);
  return (activation) => {
    try {
      return program(activation);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };
}
