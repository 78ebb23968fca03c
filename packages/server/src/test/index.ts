export { startTestServer, type TestServer, type TestServerOptions } from './start-test-server.js';
export {
  type WaitForListenersOptions,
  waitForListeners,
} from './wait-for-listeners.js';
