import type { GateCheckInput } from '@countersign/core';
import { toolPreview } from '@countersign/core/adapter';
import type { Logger } from '../shared/logger.js';
import type { ProxiedTool } from '../upstream/upstream-set.js';

/**
 * The preview an upstream declares in the tool's `_meta["countersign/preview"]`. A malformed one
 * is logged and left out: the reviewer then sees the arguments as JSON, and a tool we do not own
 * keeps working (a policy rule's `approval.preview` can supply a correct one).
 */
export function upstreamPreview(
  tool: ProxiedTool,
  logger: Logger,
): Pick<GateCheckInput, 'preview'> {
  try {
    const preview = toolPreview(tool.exposedName, undefined, tool.tool._meta);
    return preview === undefined ? {} : { preview };
  } catch (error) {
    logger.warn((error as Error).message);
    return {};
  }
}
