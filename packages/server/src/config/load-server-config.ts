import { readConfigFile } from './config-file.js';
import { optionLeaves } from './option-tree.js';
import { type ResolvedServerConfig, resolveServerConfig } from './resolve-server-config.js';
import { SERVER_OPTIONS } from './server-options.js';

/** The variable naming the config file when `--config` is not given. */
export const CONFIG_FILE_ENV = 'COUNTERSIGN_CONFIG';

/** `node:util` `parseArgs` options for every option that has a flag (all take text). */
export function optionFlags(): Record<string, { type: 'string' }> {
  return Object.fromEntries(
    optionLeaves(SERVER_OPTIONS).flatMap(({ option }) =>
      option.flag === undefined ? [] : [[option.flag, { type: 'string' as const }]],
    ),
  );
}

/** Inputs of {@link loadServerConfig}. */
export interface LoadServerConfigOptions {
  /** Parsed flags by name without dashes, as `parseArgs` returns them with {@link optionFlags}. */
  flags?: Readonly<Record<string, unknown>>;
  /** The environment to read `COUNTERSIGN_*` variables from (default: none). */
  env?: Readonly<Record<string, string | undefined>>;
  /** A YAML or JSON config file; default `COUNTERSIGN_CONFIG` from `env`, else none. */
  configFile?: string;
}

/**
 * Reads the configuration the way `countersign serve` does: flags over `COUNTERSIGN_*` variables
 * over the config file over the defaults. Throws a `ServerConfigError` (`validation_failed`)
 * naming each bad option and its source.
 */
export async function loadServerConfig(
  options: LoadServerConfigOptions = {},
): Promise<ResolvedServerConfig> {
  const fromEnv = options.env?.[CONFIG_FILE_ENV]?.trim() ? options.env[CONFIG_FILE_ENV] : undefined;
  const path = options.configFile ?? fromEnv;
  const file = path === undefined ? undefined : { name: path, content: await readConfigFile(path) };
  return resolveServerConfig({
    ...(options.flags ? { flags: options.flags } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(file ? { file } : {}),
  });
}
