import { readFile } from 'node:fs/promises';
import type { Policy } from '@countersign/core';
import { parse } from 'yaml';

/** The non-tool requests a rule can name (see the proxy's read gate). */
const OTHER_KINDS = ['resources/read', 'prompts/get'];

/**
 * Warnings for the rules of a policy file whose `tools` globs match none of the upstream tools
 * (nor `resources/read` or `prompts/get`): usually a typo or a server that changed its tool names.
 * Matching is the policy's own (`scopeFor`); the file is read again only for the rule names.
 */
export async function unmatchedRuleWarnings(
  file: string,
  policy: Policy,
  toolNames: readonly string[],
): Promise<string[]> {
  if (!policy.scopeFor) return [];
  let rules: unknown;
  try {
    rules = (parse(await readFile(file, 'utf8')) as { rules?: unknown })?.rules;
  } catch {
    return [];
  }
  if (!Array.isArray(rules)) return [];
  const matched = new Set<string>();
  for (const name of [...toolNames, ...OTHER_KINDS]) {
    for (const rule of policy.scopeFor(name).rules) matched.add(rule.name);
  }
  return rules.flatMap((rule: { name?: unknown; tools?: unknown }, index) => {
    const name = typeof rule?.name === 'string' ? rule.name : `#${index + 1}`;
    if (rule?.tools === undefined || matched.has(name)) return [];
    return [
      `policy rule "${name}" (${file}) matches no upstream tool: tools ${JSON.stringify(rule.tools)}`,
    ];
  });
}
