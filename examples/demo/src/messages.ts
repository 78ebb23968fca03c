import { type ApprovalRequest, formatDuration } from '@countersign/core';
import type { ModelChoice } from './model-choice.ts';

/** Says which model drives the agent, and why. */
export function modelNotice(choice: ModelChoice): string {
  if (choice.kind === 'real') {
    const where = choice.baseUrl === undefined ? '' : ` at ${choice.baseUrl}`;
    return `  Model:        ${choice.provider} ${choice.modelId}${where} (${choice.keyVariable} is set; --scripted for the scripted model)`;
  }
  if (choice.reason === 'forced') {
    return '  Model:        scripted (--scripted, although a model API key is set): it always wants the same deploy.';
  }
  return '  Model:        scripted (no OPENAI_API_KEY or ANTHROPIC_API_KEY needed): it always wants the same deploy.';
}

function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Where and how to decide a paused call: the dashboard, or the exact CLI lines. */
export function decisionHelp(options: {
  request: ApprovalRequest;
  url: string;
  reviewerKey: string;
  auto: number | undefined;
}): string {
  const { request, url, reviewerKey, auto } = options;
  const env = `COUNTERSIGN_URL=${url} COUNTERSIGN_API_KEY=${reviewerKey}`;
  const tool = request.tool
    ? `${request.tool.name}(${JSON.stringify(request.tool.args)})`
    : request.action;
  const lines = [
    `\n⏸  The agent paused before ${tool}`,
    `   Request ${request.id}, assigned to ${request.assignees.join(', ') || 'anyone'}, deadline ${request.deadline ?? 'none'}`,
    `   Decide in the dashboard: ${url}/ (sign in with the reviewer key above)`,
    '   or from the repository root:',
    `     ${env} npx -y pnpm@10 countersign approve ${request.id} --comment ${quote('Ship it')}`,
    `     ${env} npx -y pnpm@10 countersign reject ${request.id} --reason ${quote('Not during the freeze')}`,
  ];
  if (auto !== undefined)
    lines.push(`   (non-interactive mode: the demo decides by itself in ${formatDuration(auto)})`);
  return lines.join('\n');
}
