import { Worker } from 'node:worker_threads';
import { workerFileBeside } from '../worker-file.js';
import { fail } from './failures.js';
import type { SchemaAnswer, SchemaTask } from './schema-worker.js';

/** Options for {@link SchemaChecker}. */
export interface SchemaCheckerOptions {
  /** Longest one check may run, in milliseconds, before the worker is stopped (default 1000). */
  timeoutMs?: number;
  /** Most subschemas a schema may expand to with its `$ref`s followed (default 10 000). */
  maxExpansion?: number;
}

type Task = {
  [K in SchemaTask['task']]: Omit<Extract<SchemaTask, { task: K }>, 'id'>;
}[SchemaTask['task']];

interface Pending {
  task: SchemaTask;
  resolve: (answer: SchemaAnswer | 'timeout' | 'crashed') => void;
}

// A worker's own heap is capped too: a schema check cannot take the server's memory.
const WORKER_HEAP_MB = 128;

/**
 * Runs agent-supplied JSON Schemas on one worker thread, one check at a time, each within a time
 * budget: a check past it stops the thread (a new one starts for the next check) and the input is
 * refused. The event loop never runs a schema or a pattern, whatever the client sent.
 */
export class SchemaChecker {
  readonly #timeoutMs: number;
  readonly #maxExpansion: number;
  readonly #queue: Pending[] = [];
  #worker: Worker | undefined;
  #ready = false;
  #current: { pending: Pending; timer: NodeJS.Timeout } | undefined;
  #nextId = 1;

  constructor(options: SchemaCheckerOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#maxExpansion = options.maxExpansion ?? 10_000;
    if (!Number.isSafeInteger(this.#timeoutMs) || this.#timeoutMs < 10) {
      throw fail('validation_failed', 'timeoutMs must be a whole number of at least 10');
    }
    if (!Number.isSafeInteger(this.#maxExpansion) || this.#maxExpansion < 1) {
      throw fail('validation_failed', 'maxExpansion must be a positive whole number');
    }
  }

  /**
   * Refuses, with a 400 `validation_failed` naming `path`, a schema that cannot be compiled, has a
   * pattern RE2 cannot run, expands past the budget, or takes longer than the time budget to check.
   */
  async assertUsable(schema: Record<string, unknown>, what: string, path: string): Promise<void> {
    const answer = await this.#run({ task: 'inspect', schema, maxExpansion: this.#maxExpansion });
    if (typeof answer === 'string') throw this.#notChecked(answer, 'validation_failed', what, path);
    if (answer.ok) return;
    if (answer.problem === 'unusable') {
      throw fail('validation_failed', `The ${what} is not a usable JSON Schema`, {
        cause: answer.message,
        path,
      });
    }
    throw fail('validation_failed', `The ${what} cannot be accepted: ${answer.message}`, {
      name: answer.problem === 'expansion' ? 'maxSchemaExpansion' : 'pattern',
      ...(answer.problem === 'expansion' ? { limit: this.#maxExpansion, value: answer.value } : {}),
      path: answer.path === undefined ? path : `${path}${answer.path}`,
    });
  }

  /** Refuses `value` with a 422 `unprocessable` when it does not match, or cannot be checked in time. */
  async assertMatches(
    schema: Record<string, unknown>,
    value: unknown,
    what: string,
  ): Promise<void> {
    const answer = await this.#run({ task: 'validate', schema, value });
    if (typeof answer === 'string') throw this.#notChecked(answer, 'unprocessable', what);
    if (!answer.ok) {
      throw fail('unprocessable', `The JSON Schema for ${what} cannot be used`, {
        cause: answer.message,
      });
    }
    if (answer.issues.length > 0) {
      throw fail('unprocessable', `The ${what} do not match the JSON Schema`, {
        issues: answer.issues,
      });
    }
  }

  /** Stops the worker; checks still queued are refused. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (this.#current) {
      clearTimeout(this.#current.timer);
      this.#current.pending.resolve('crashed');
      this.#current = undefined;
    }
    for (const pending of this.#queue.splice(0)) pending.resolve('crashed');
    // Referenced until it has stopped, so the process cannot end with this close unsettled.
    worker?.ref();
    await worker?.terminate();
  }

  // Fails closed: what could not be checked in time, or at all, is refused.
  #notChecked(
    why: 'timeout' | 'crashed',
    code: 'validation_failed' | 'unprocessable',
    what: string,
    path?: string,
  ) {
    const at = path === undefined ? {} : { path };
    if (why === 'crashed') {
      return fail(code, `The ${what} could not be checked (the check stopped); it is refused`, at);
    }
    return fail(
      code,
      `Checking the ${what} took longer than ${this.#timeoutMs} ms; it is refused`,
      {
        name: 'schemaCheckTimeoutMs',
        limit: this.#timeoutMs,
        ...at,
      },
    );
  }

  #run(task: Task): Promise<SchemaAnswer | 'timeout' | 'crashed'> {
    return new Promise((resolve) => {
      this.#queue.push({ task: { ...task, id: this.#nextId++ } as SchemaTask, resolve });
      this.#startNext();
    });
  }

  #startNext(): void {
    if (this.#current || this.#queue.length === 0) return;
    const worker = this.#ensureWorker();
    if (!this.#ready) return;
    const pending = this.#queue.shift() as Pending;
    const timer = setTimeout(() => {
      this.#finish('timeout');
      this.#discard(worker);
    }, this.#timeoutMs);
    this.#current = { pending, timer };
    worker.postMessage(pending.task);
  }

  #finish(answer: SchemaAnswer | 'timeout' | 'crashed'): void {
    const current = this.#current;
    if (!current) return;
    if (typeof answer !== 'string' && answer.id !== current.pending.task.id) return;
    clearTimeout(current.timer);
    this.#current = undefined;
    current.pending.resolve(answer);
    this.#startNext();
  }

  #discard(worker: Worker): void {
    if (this.#worker === worker) this.#worker = undefined;
    void worker.terminate();
  }

  // A worker that failed (out of its heap, or could not start) fails the check it ran, or the
  // first one waiting when it never started, so a broken worker cannot wedge the queue.
  #lost(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    if (this.#current) this.#finish('crashed');
    else this.#queue.shift()?.resolve('crashed');
    this.#startNext();
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(workerFileBeside(import.meta.url, 'schema-worker'), {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    // An idle checker must not keep the process alive.
    worker.unref();
    worker.on('message', (answer: SchemaAnswer | { ready: true }) => {
      if (!('ready' in answer)) {
        this.#finish(answer);
      } else if (this.#worker === worker) {
        this.#ready = true;
        this.#startNext();
      }
    });
    worker.on('error', () => this.#lost(worker));
    worker.on('exit', () => this.#lost(worker));
    this.#worker = worker;
    this.#ready = false;
    return worker;
  }
}

let shared: SchemaChecker | undefined;

/** The checker of a context, or one shared default (offline CLI, contexts built by hand). */
export function schemaCheckerOf(context: { schemas?: SchemaChecker }): SchemaChecker {
  if (context.schemas) return context.schemas;
  shared ??= new SchemaChecker();
  return shared;
}
