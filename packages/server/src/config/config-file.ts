import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ServerConfigError } from './server-config-error.js';

function unreadable(path: string, why: string): ServerConfigError {
  return new ServerConfigError([
    { option: 'config', source: path, message: `Cannot read the config file ${path}: ${why}` },
  ]);
}

/**
 * The contents of a config file: JSON when the name ends in `.json`, YAML otherwise (which also
 * reads JSON). An empty file is an empty configuration; anything but a mapping is refused.
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadable(path, code === 'ENOENT' ? 'no such file' : String(error));
  }
  let content: unknown;
  try {
    content = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const why = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw unreadable(path, why.replace(/:$/, ''));
  }
  if (content === null || content === undefined) return {};
  if (typeof content !== 'object' || Array.isArray(content)) {
    throw unreadable(path, 'it must hold a mapping of options (such as "port: 8787")');
  }
  return content as Record<string, unknown>;
}
