export {
  createFakeApprovalService,
  type FakeApprovalService,
  type FakeApprovalServiceOptions,
  type FakeCall,
  type FakeDecideOptions,
} from './fake-approval-service.js';
