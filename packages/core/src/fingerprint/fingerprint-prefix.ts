/** The prefix of every fingerprint, naming the hash so it can change without ambiguity. */
export const FINGERPRINT_PREFIX = 'sha256:';
