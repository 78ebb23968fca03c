import { type EditValidator, isJsonObject } from '@countersign/core/adapter';
import { asSchema, type Tool } from 'ai';
import type { JsonObject } from './core-types.js';

const jsonSchemas = new WeakMap<object, Promise<JsonObject | undefined>>();

/**
 * The tool's input JSON Schema, sent with the request so the server can check edited arguments.
 * Computed once per tool; `undefined` when the tool has no schema or it cannot be converted.
 */
export function inputJsonSchema(tool: Tool): Promise<JsonObject | undefined> {
  let cached = jsonSchemas.get(tool);
  if (cached === undefined) {
    cached = (async () => {
      if (tool.inputSchema === undefined) return undefined;
      try {
        const document: unknown = await asSchema(tool.inputSchema).jsonSchema;
        return isJsonObject(document) ? (document as JsonObject) : undefined;
      } catch {
        return undefined;
      }
    })();
    jsonSchemas.set(tool, cached);
  }
  return cached;
}

/**
 * A validator for human-edited arguments: runs them through the tool's own `inputSchema` (the SDK's
 * `asSchema(...).validate`) and throws when it refuses them. It returns the arguments as edited, not the
 * schema's parsed output: what runs is what the human approved (see the core README, "what runs after an
 * edit"). A tool whose schema cannot validate refuses every edit: edited arguments never run unchecked.
 */
export function editedArgsValidator(tool: Tool, toolName: string): EditValidator {
  return async (args: JsonObject) => {
    if (tool.inputSchema === undefined) {
      throw new Error(`Tool "${toolName}" has no input schema to check edited arguments with`);
    }
    const schema = asSchema(tool.inputSchema);
    if (schema.validate === undefined) {
      throw new Error(`The input schema of tool "${toolName}" cannot validate edited arguments`);
    }
    const result = await schema.validate(args);
    if (!result.success) {
      throw new Error(
        `Edited arguments do not match the input schema of "${toolName}": ${result.error.message}`,
      );
    }
    return args;
  };
}
