import { CountersignError } from '../errors/index.js';

/** The error every client call rejects with when its `AbortSignal` fires. */
export function abortedError(signal: AbortSignal): CountersignError {
  return new CountersignError('aborted', {
    message: 'The call was aborted',
    cause: signal.reason,
  });
}

/** Throws {@link abortedError} when `signal` has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError(signal);
}

/** Resolves after `ms` milliseconds, or rejects with {@link abortedError} as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
