import { LlmError } from './llm-error.js';

/**
 * One model call's time limit joined with the caller's abort signal. `signal` aborts with an
 * `LlmError('LLM_TIMEOUT')` when `timeoutMs` passes, or with the caller's reason when the caller aborts.
 * Always `clear()` it (in a `finally`) so no timer outlives the call.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Whether the time limit (not the caller) ended the call. */
  timedOut(): boolean;
  clear(): void;
}

export function createDeadline(options: { timeoutMs: number; signal?: AbortSignal | undefined; what: string }): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new LlmError('LLM_TIMEOUT', `${options.what} took longer than LLM_TIMEOUT_MS (${options.timeoutMs} ms)`));
  }, options.timeoutMs);
  const onAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted === true) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    clear() {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Settles with `promise`, or rejects with `signal.reason` as soon as `signal` aborts, whichever is first:
 * a provider (or a test double) that ignores its abort signal cannot hold the answer up.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** Iterates `iterable` until it ends or `signal` aborts (then rejects with the reason, without waiting for the producer). */
export async function* iterateUntil<T>(iterable: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const result = await raceSignal(iterator.next(), signal);
      if (result.done === true) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    // A hung producer never answers `return()`; it is told to stop but not waited for.
    if (!finished) void iterator.return?.()?.catch(() => {});
  }
}
