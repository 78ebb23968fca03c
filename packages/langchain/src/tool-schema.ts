import type { JsonObject } from '@countersign/core';
import { type EditValidator, isJsonObject } from '@countersign/core/adapter';
import { toJsonSchema, Validator } from '@langchain/core/utils/json_schema';
import { interopParseAsync, isInteropZodSchema } from '@langchain/core/utils/types';

/** The part of a LangChain tool the adapter reads: its name and its input schema. */
export interface SchemaBearingTool {
  name: string;
  /** A zod (v3 or v4) schema or a JSON Schema object. */
  schema?: unknown;
  /** The tool's metadata: `metadata.countersign.preview` is how a reviewer sees its calls. */
  metadata?: Record<string, unknown> | undefined;
}

/**
 * The tool's input schema as JSON Schema, sent with the request so the server can validate edited
 * arguments too. Undefined when the tool has no usable schema.
 */
export function toolInputSchema(tool: SchemaBearingTool | undefined): JsonObject | undefined {
  const schema = tool?.schema;
  if (schema === undefined || schema === null || typeof schema !== 'object') return undefined;
  try {
    const json = toJsonSchema(schema as Parameters<typeof toJsonSchema>[0]);
    return isJsonObject(json) ? json : undefined;
  } catch {
    // A schema that cannot be described is still enforced locally by validateArgs.
    return undefined;
  }
}

/**
 * A validator for human-edited arguments built from the tool's own schema (zod or JSON Schema).
 * What runs is the arguments as edited, not the schema's output (the core's contract: what the
 * human approved is what runs); the tool parses them again itself when it is invoked. Undefined
 * when the tool has no schema.
 */
export function toolArgsValidator(tool: SchemaBearingTool | undefined): EditValidator | undefined {
  const schema = tool?.schema;
  if (schema === undefined || schema === null || typeof schema !== 'object') return undefined;
  if (isInteropZodSchema(schema)) {
    return async (args) => {
      await interopParseAsync(schema, args);
      return args;
    };
  }
  const validator = new Validator(schema as ConstructorParameters<typeof Validator>[0]);
  return async (args) => {
    const result = validator.validate(args);
    if (!result.valid) {
      const problems = result.errors.map((error) => `${error.instanceLocation}: ${error.error}`);
      throw new Error(
        `The edited arguments do not match ${tool?.name}'s schema: ${problems.join('; ')}`,
      );
    }
    return args;
  };
}
