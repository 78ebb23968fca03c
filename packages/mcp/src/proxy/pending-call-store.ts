import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorMessage, StartupError } from '../shared/startup-error.js';
import {
  isExpiredTask,
  type ProxyTaskRecord,
  taskRecordSchema,
} from '../tasks/proxy-task-record.js';

/** The version of the `--state` file layout; a file with another version is refused. */
export const STATE_SCHEMA_VERSION = 1;

/**
 * Where a gated call stands. `pending`: waiting for a human. `executing`: approved and handed to
 * the upstream (never started again, even after a crash). `done`: `result` is what the model got.
 */
export type PendingCallState = 'pending' | 'executing' | 'done';

/** A gated call that went through an approval request, keyed by the request id. */
export interface PendingCallRecord {
  requestId: string;
  /** The tool name the model called (the exposed, possibly prefixed name). */
  toolName: string;
  /** The arguments the model sent. */
  args: Record<string, unknown>;
  /** With `runId`, re-derives the gate's idempotency key so a re-check re-attaches to the request. */
  toolCallId: string;
  runId: string;
  state: PendingCallState;
  result?: CallToolResult;
  createdAt: string;
  updatedAt: string;
}

const recordSchema = z.object({
  requestId: z.string().min(1),
  toolName: z.string().min(1),
  args: z.record(z.string(), z.unknown()),
  toolCallId: z.string().min(1),
  runId: z.string().min(1),
  state: z.enum(['pending', 'executing', 'done']),
  result: z.looseObject({ content: z.array(z.unknown()) }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const stateFileSchema = z.object({
  schemaVersion: z.literal(STATE_SCHEMA_VERSION),
  calls: z.array(recordSchema),
  // Added within version 1: older files have no tasks, and older proxies ignore them.
  tasks: z.array(taskRecordSchema).optional(),
});

/**
 * The proxy's memory of gated calls: in memory, and mirrored to an optional JSON file so a
 * restarted proxy can still complete (or report) a call approved while it was down.
 * State changes happen synchronously in memory, so two concurrent checks cannot both claim a call.
 */
export class PendingCallStore {
  readonly #records = new Map<string, PendingCallRecord>();
  readonly #tasks = new Map<string, ProxyTaskRecord>();
  readonly #file: string | undefined;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string | undefined) {
    this.#file = file;
  }

  /** Opens the store, loading `file` when it exists. A malformed file is a {@link StartupError}. */
  static async open(file?: string): Promise<PendingCallStore> {
    const store = new PendingCallStore(file);
    if (file === undefined) return store;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return store;
      throw new StartupError(
        'validation_failed',
        `Cannot read state ${file}: ${errorMessage(error)}`,
      );
    }
    let parsed: z.infer<typeof stateFileSchema>;
    try {
      parsed = stateFileSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new StartupError(
        'validation_failed',
        `State file ${file} is not a countersign-mcp state (schemaVersion ${STATE_SCHEMA_VERSION}): ${errorMessage(error)}`,
      );
    }
    for (const record of parsed.calls) {
      store.#records.set(record.requestId, record as PendingCallRecord);
    }
    for (const task of parsed.tasks ?? []) {
      if (!isExpiredTask(task as ProxyTaskRecord))
        store.#tasks.set(task.taskId, task as ProxyTaskRecord);
    }
    return store;
  }

  get(requestId: string): PendingCallRecord | undefined {
    return this.#records.get(requestId);
  }

  /** Remembers a new call (or replaces one) and persists. */
  add(record: Omit<PendingCallRecord, 'createdAt' | 'updatedAt'>): Promise<void> {
    const now = new Date().toISOString();
    this.#records.set(record.requestId, { ...record, createdAt: now, updatedAt: now });
    return this.#persist();
  }

  /**
   * Records what a gate decision means for a call: adds it when unknown, or completes a `pending`
   * one when a final `result` is given. Never touches a call already `executing` or `done`.
   */
  remember(record: Omit<PendingCallRecord, 'createdAt' | 'updatedAt'>): Promise<void> {
    const existing = this.#records.get(record.requestId);
    if (!existing) return this.add(record);
    if (record.result && existing.state === 'pending') {
      return this.complete(record.requestId, record.result);
    }
    return Promise.resolve();
  }

  /**
   * Moves a `pending` call to `executing`. Returns false when it is not pending (already claimed
   * or done): the caller must then not run it. The move is synchronous; the returned promise only
   * waits for the file.
   */
  claim(requestId: string): { claimed: boolean; persisted: Promise<void> } {
    const record = this.#records.get(requestId);
    if (record?.state !== 'pending') {
      return { claimed: false, persisted: Promise.resolve() };
    }
    this.#update(record, { state: 'executing' });
    return { claimed: true, persisted: this.#persist() };
  }

  /** Stores the final result the model got for this call. */
  complete(requestId: string, result: CallToolResult): Promise<void> {
    const record = this.#records.get(requestId);
    if (!record) return Promise.resolve();
    this.#update(record, { state: 'done', result });
    return this.#persist();
  }

  /** A task the proxy created, unless it outlived its TTL (then it is forgotten). */
  getTask(taskId: string): ProxyTaskRecord | undefined {
    const task = this.#tasks.get(taskId);
    if (task && isExpiredTask(task)) {
      this.#tasks.delete(taskId);
      return undefined;
    }
    return task;
  }

  /**
   * Adds a task or changes one, in memory at once (so concurrent readers see it) and on disk by
   * the returned promise. Returns the record as it now stands.
   */
  saveTask(
    taskId: string,
    change: Partial<ProxyTaskRecord>,
  ): { task: ProxyTaskRecord; persisted: Promise<void> } {
    const existing = this.#tasks.get(taskId);
    const task = {
      ...existing,
      ...change,
      taskId,
      lastUpdatedAt: new Date().toISOString(),
    } as ProxyTaskRecord;
    this.#tasks.set(taskId, task);
    return { task, persisted: this.#persist() };
  }

  #update(record: PendingCallRecord, change: Partial<PendingCallRecord>): void {
    this.#records.set(record.requestId, {
      ...record,
      ...change,
      updatedAt: new Date().toISOString(),
    });
  }

  #persist(): Promise<void> {
    const file = this.#file;
    if (file === undefined) return Promise.resolve();
    const snapshot = JSON.stringify(
      {
        schemaVersion: STATE_SCHEMA_VERSION,
        calls: [...this.#records.values()],
        tasks: [...this.#tasks.values()],
      },
      null,
      2,
    );
    // Writes are chained so an older snapshot never lands after a newer one.
    this.#writing = this.#writing
      .catch(() => {})
      .then(async () => {
        await mkdir(dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(temporary, snapshot, 'utf8');
        await rename(temporary, file);
      });
    return this.#writing;
  }
}
