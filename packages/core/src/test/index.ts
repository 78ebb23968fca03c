export { createFakeApprovalService } from './fake-approval-service.js';
export type {
  FakeApprovalService,
  FakeApprovalServiceOptions,
  FakeCall,
  FakeDecideOptions,
} from './fake-types.js';
export { startingLate } from './late-start-service.js';
