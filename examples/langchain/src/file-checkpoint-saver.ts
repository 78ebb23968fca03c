import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { MemorySaver } from '@langchain/langgraph';

const FILE_SCHEMA_VERSION = 1;

/**
 * A LangGraph checkpointer kept in one JSON file, so a paused run survives the process: a new process
 * opening the same file can resume the thread. It is MemorySaver's storage written to disk after each
 * change. Fine for a demo and a single process at a time; use a database-backed saver (for example
 * @langchain/langgraph-checkpoint-postgres) in production.
 */
export class FileCheckpointSaver extends MemorySaver {
  private readonly file: string;

  constructor(file: string) {
    super();
    this.file = file;
    if (!existsSync(file)) return;
    const saved = JSON.parse(readFileSync(file, 'utf8'), revive) as {
      schemaVersion: number;
      storage: MemorySaver['storage'];
      writes: MemorySaver['writes'];
    };
    if (saved.schemaVersion !== FILE_SCHEMA_VERSION) {
      throw new Error(`${file}: unsupported checkpoint file version ${saved.schemaVersion}`);
    }
    Object.assign(this.storage, saved.storage);
    Object.assign(this.writes, saved.writes);
  }

  override async put(...args: Parameters<MemorySaver['put']>) {
    const result = await super.put(...args);
    this.save();
    return result;
  }

  override async putWrites(...args: Parameters<MemorySaver['putWrites']>) {
    await super.putWrites(...args);
    this.save();
  }

  override async deleteThread(threadId: string) {
    await super.deleteThread(threadId);
    this.save();
  }

  private save(): void {
    const body = { schemaVersion: FILE_SCHEMA_VERSION, storage: this.storage, writes: this.writes };
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(body, replace));
    renameSync(temporary, this.file);
  }
}

// Checkpoints are serialized to bytes; JSON carries them as base64.
function replace(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value;
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && '$bytes' in value) {
    return new Uint8Array(Buffer.from(String((value as { $bytes: string }).$bytes), 'base64'));
  }
  return value;
}
