export {
  APPROVAL_CARD_URI,
  approvalCardHtml,
  approvalCardResource,
  MCP_APP_MIME_TYPE,
} from './card/approval-card.js';
export { CARD_META_KEY, type CardData, cardData } from './card/card-data.js';
export type { HumanToolsOptions } from './human-tools/human-tools-options.js';
export { createHumanToolsServerFactory } from './human-tools/human-tools-server.js';
export { type GateMetrics, gateMetrics } from './metrics/gate-metrics.js';
export { RECEIPT_META_KEY, receiptFromMeta } from './proxy/approved-call-executor.js';
export {
  type ApprovalChannel,
  type ElicitApprovalOptions,
  type ElicitOutcome,
  elicitApproval,
} from './proxy/elicit-approval.js';
export {
  type PendingCallRecord,
  type PendingCallState,
  PendingCallStore,
  STATE_SCHEMA_VERSION,
} from './proxy/pending-call-store.js';
export type { ProxyOptions, ToolGate } from './proxy/proxy-options.js';
export {
  CHECK_REQUEST_TOOL,
  checkRequestTool,
  createProxyServerFactory,
  type ProxyServerFactory,
} from './proxy/proxy-server.js';
export { ApprovalPageOffer, approvalPageUrl } from './shared/approval-page.js';
export { createStderrLogger, type Logger, silentLogger } from './shared/logger.js';
export { StartupError } from './shared/startup-error.js';
export { type ServeMcpOptions, type ServingMcp, serveMcp } from './transport/serve-mcp.js';
export {
  type HttpUpstreamSpec,
  loadUpstreamConfig,
  type StdioUpstreamSpec,
  type UpstreamSpec,
} from './upstream/upstream-config.js';
export {
  type ConnectUpstreamOptions,
  connectUpstream,
  type UpstreamConnection,
  upstreamFromClient,
} from './upstream/upstream-connection.js';
export { type ProxiedTool, TOOL_NAME_SEPARATOR, UpstreamSet } from './upstream/upstream-set.js';
