import type { Logger } from '../../logger.js';
import type { Engine } from '../engine-types.js';

export type EngineState = 'starting' | 'ready' | 'failed';

/** The engine as the server sees it while the index may still be building. */
export interface EngineReadiness {
  readonly state: EngineState;
  /** The engine once `state` is `ready`; undefined before and after a failure. */
  readonly engine: Engine | undefined;
}

/**
 * Lets the server listen (and answer `/healthz` with 503) before the engine is ready.
 * An engine passed directly is ready at once. A failed engine promise is logged once and leaves the
 * state at `failed`; the composition root decides whether to exit.
 */
export function trackEngineReadiness(engine: Engine | Promise<Engine>, logger: Logger): EngineReadiness {
  let state: EngineState = 'starting';
  let ready: Engine | undefined;
  if (engine instanceof Promise) {
    engine.then(
      (value) => {
        ready = value;
        state = 'ready';
      },
      (error: unknown) => {
        state = 'failed';
        logger.error('engine failed to start; the server stays unhealthy', {
          reason: error instanceof Error ? error.message : String(error),
        });
      },
    );
  } else {
    state = 'ready';
    ready = engine;
  }
  return {
    get state() {
      return state;
    },
    get engine() {
      return ready;
    },
  };
}
