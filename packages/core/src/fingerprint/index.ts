export { canonicalJson } from './canonical-json.js';
export { assertFingerprint, FINGERPRINT_PREFIX, fingerprint } from './fingerprint.js';
export { standingFingerprint } from './standing-fingerprint.js';
