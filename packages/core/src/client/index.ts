export type { CountersignClientOptions, RetryOptions } from './client-options.js';
export type {
  ApprovalService,
  CallOptions,
  CreateOptions,
  ListFilters,
  WaitOptions,
} from './client-types.js';
export { CountersignClient, type HealthReport } from './countersign-client.js';
