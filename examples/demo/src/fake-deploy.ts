import type { JsonObject } from '@countersign/core';

/**
 * The fake deploy the agent runs once a human approved it: prints its steps and returns what it
 * did. Nothing is deployed anywhere.
 */
export async function fakeDeploy(args: JsonObject, say: (line: string) => void): Promise<string> {
  const target = `${args.version} to ${args.env}${args.canary ? ' as a 5% canary' : ''}`;
  for (const step of ['building image', 'pushing', 'rolling out', 'health checks green']) {
    say(`    deploy: ${step}…`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return `Deployed ${target}.`;
}
