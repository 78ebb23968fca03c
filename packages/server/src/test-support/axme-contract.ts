import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The folder of the AXME JSON Schemas: `../shared/axme/schemas` beside the repository (where CI
 * puts it), or `COUNTERSIGN_AXME_SCHEMAS` for a checkout elsewhere. Missing is an error, not a skip.
 */
export function axmeSchemaDirectory(): string {
  const directory =
    process.env.COUNTERSIGN_AXME_SCHEMAS ?? join(REPO_ROOT, '..', 'shared', 'axme', 'schemas');
  if (!existsSync(join(directory, 'api.intents.create.request.v1.json'))) {
    throw new Error(`The AXME schemas are missing from ${directory}`);
  }
  return directory;
}

/** Validates values against the AXME schemas by file name (without `.json`). */
export class AxmeContract {
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(directory = axmeSchemaDirectory()) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.json'))) {
      const schema = JSON.parse(readFileSync(join(directory, file), 'utf8')) as Record<
        string,
        unknown
      >;
      const name = file.replace(/\.json$/, '');
      // The event list's status enum leaves out TIMED_OUT, which the event and lifecycle schemas
      // (and the intent read) have; Countersign follows those, so the list is checked with it added.
      if (name === 'api.intents.events.list.response.v1') addTimedOut(schema);
      delete schema.$id;
      this.#validators.set(name, ajv.compile(schema));
    }
  }

  /** Throws with ajv's errors unless `value` matches the named schema. */
  assert(name: string, value: unknown): void {
    const validate = this.#validators.get(name);
    if (!validate) throw new Error(`No AXME schema ${name}`);
    if (!validate(value)) {
      throw new Error(`${name}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(value)}`);
    }
  }
}

function addTimedOut(schema: Record<string, unknown>): void {
  const events = (
    schema.properties as Record<
      string,
      { items: { properties: Record<string, { enum: string[] }> } }
    >
  ).events;
  const status = events?.items.properties.status;
  if (status && !status.enum.includes('TIMED_OUT')) status.enum.push('TIMED_OUT');
}
