import { standingArgs } from '../protocol/approvals.js';
import type { ApprovalRequest } from '../protocol/index.js';
import type { ResolvedPreview } from '../protocol/preview.js';
import { resolvePreview } from './resolve-preview.js';

/**
 * A request's preview rendered from the arguments that stand now: the call's own until a reviewer
 * edits them, the latest edit's after, so every view of it (the dashboard, mail, Slack, the CLI)
 * shows what will run. Undefined when the call carries no preview descriptor.
 */
export function standingPreview(request: ApprovalRequest): ResolvedPreview | undefined {
  const { tool } = request;
  if (!tool?.preview) return undefined;
  return resolvePreview(tool.preview, {
    toolName: tool.name,
    args: standingArgs(request) ?? tool.args,
    context: request.context,
  });
}
