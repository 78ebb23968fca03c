import type { LanguageModel } from 'ai';

/** The OpenAI model the demo uses when `OPENAI_MODEL` is not set. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
/** The Anthropic model the demo uses when `ANTHROPIC_MODEL` is not set. */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-4-5';

/** Which model drives the demo agent: the scripted one, or a real one from a provider. */
export type ModelChoice =
  | {
      kind: 'scripted';
      /** Why: no key in the environment, or `--scripted` although a key is set. */
      reason: 'no-key' | 'forced';
    }
  | {
      kind: 'real';
      provider: 'openai' | 'anthropic';
      /** The environment variable holding the key (the key itself is never printed). */
      keyVariable: 'OPENAI_API_KEY' | 'ANTHROPIC_API_KEY';
      /** The model id sent to the provider. */
      modelId: string;
      /** A base URL from `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL`; the provider's own otherwise. */
      baseUrl?: string;
    };

function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Picks the model from the environment: `OPENAI_API_KEY` first, then `ANTHROPIC_API_KEY`, else the
 * scripted model. `scripted: true` (the `--scripted` option) keeps the scripted model regardless.
 */
export function chooseModel(
  env: NodeJS.ProcessEnv,
  options: { scripted?: boolean } = {},
): ModelChoice {
  const openai = setting(env, 'OPENAI_API_KEY');
  const anthropic = setting(env, 'ANTHROPIC_API_KEY');
  if (openai === undefined && anthropic === undefined)
    return { kind: 'scripted', reason: 'no-key' };
  if (options.scripted) return { kind: 'scripted', reason: 'forced' };
  const provider = openai !== undefined ? 'openai' : 'anthropic';
  const prefix = provider === 'openai' ? 'OPENAI' : 'ANTHROPIC';
  const baseUrl = setting(env, `${prefix}_BASE_URL`);
  return {
    kind: 'real',
    provider,
    keyVariable: `${prefix}_API_KEY`,
    modelId:
      setting(env, `${prefix}_MODEL`) ??
      (provider === 'openai' ? DEFAULT_OPENAI_MODEL : DEFAULT_ANTHROPIC_MODEL),
    ...(baseUrl === undefined ? {} : { baseUrl }),
  };
}

/** Settings the provider packages read from the environment when they are imported. */
const PROVIDER_SETTINGS = ['OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL'] as const;

/**
 * Makes the AI SDK model for a real choice. OpenAI goes through its default `openai(model)`, the
 * Responses API. The provider packages are imported only here, so the scripted path loads neither.
 */
export async function createLanguageModel(
  choice: Extract<ModelChoice, { kind: 'real' }>,
  env: NodeJS.ProcessEnv,
): Promise<LanguageModel> {
  // Each package builds a default provider on import from these variables and throws on a blank
  // one; blank means unset here, as in `chooseModel`.
  for (const name of PROVIDER_SETTINGS) {
    if (process.env[name] !== undefined && setting(process.env, name) === undefined) {
      delete process.env[name];
    }
  }
  const baseURL = choice.baseUrl === undefined ? {} : { baseURL: choice.baseUrl };
  if (choice.provider === 'openai') {
    const { createOpenAI } = await import('@ai-sdk/openai');
    return createOpenAI({ apiKey: setting(env, 'OPENAI_API_KEY'), ...baseURL })(choice.modelId);
  }
  const { createAnthropic } = await import('@ai-sdk/anthropic');
  return createAnthropic({ apiKey: setting(env, 'ANTHROPIC_API_KEY'), ...baseURL })(choice.modelId);
}
