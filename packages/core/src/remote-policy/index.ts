export { remotePolicy } from './remote-policy.js';
export type { RemotePolicy, RemotePolicyOptions } from './remote-policy-options.js';
