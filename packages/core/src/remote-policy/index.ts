export { type RemotePolicy, type RemotePolicyOptions, remotePolicy } from './remote-policy.js';
