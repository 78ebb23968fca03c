import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type ControlState, controlStateSchema } from '../protocol/index.js';

/** The last control state a gate fetched, or undefined when the file is missing or not one. */
export async function readPolicyCache(file: string): Promise<ControlState | undefined> {
  try {
    const parsed = controlStateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `state` in `file`, replaced whole (a crash mid-write never leaves half a copy). */
export async function writePolicyCache(file: string, state: ControlState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(state));
  await rename(temporary, file);
}
