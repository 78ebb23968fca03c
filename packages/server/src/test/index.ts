export {
  buttonClick,
  type ModalInput,
  modalSubmission,
  type SignedInteraction,
  signBody,
  signInteraction,
} from './slack-interactions.js';
export { type SlackCall, type SlackFailure, SlackStandIn } from './slack-stand-in.js';
export { startTestServer, type TestServer, type TestServerOptions } from './start-test-server.js';
export {
  type WaitForListenersOptions,
  waitForListeners,
} from './wait-for-listeners.js';
