export interface FrameBudgetOptions {
  /** Frames per second a connection may send, sustained. */
  readonly perSecond: number;
  /** Frames it may send at once after a quiet spell; default twice `perSecond`. */
  readonly burst?: number;
  /**
   * Frames over the budget, in one stretch of flooding, after which the connection is to be closed;
   * default five seconds' worth (`5 x perSecond`). The stretch ends once the budget has refilled.
   */
  readonly closeAfterExcess?: number;
  /** Clock in ms, default `performance.now`; tests pass their own. */
  readonly now?: () => number;
}

/**
 * `ok`: handle the frame. `over`: drop it unread (the first of a stretch is `first-over`, so the client can
 * be told once). `flood`: the connection kept flooding; close it.
 */
export type FrameVerdict = 'ok' | 'first-over' | 'over' | 'flood';

export interface FrameBudget {
  /** Counts one frame, whatever it holds, and says what to do with it. */
  take(): FrameVerdict;
  /** Frames dropped over the budget so far. */
  readonly dropped: number;
}

/**
 * A per-connection token bucket over every frame a client sends (questions, resets, garbage, binary):
 * without it a client could make the server parse and answer a million refused frames a second. Frames
 * over the budget are dropped without a reply (a reply to each would let the flood fill the server's send
 * buffers), and a connection that stays over it for `closeAfterExcess` frames is to be closed.
 */
export function createFrameBudget(options: FrameBudgetOptions): FrameBudget {
  const { perSecond, now = () => performance.now() } = options;
  if (!(perSecond > 0)) throw new RangeError(`perSecond must be positive, got ${perSecond}`);
  const burst = options.burst ?? 2 * perSecond;
  const closeAfterExcess = options.closeAfterExcess ?? 5 * perSecond;
  if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`);
  let tokens = burst;
  let refilledAt = now();
  let excess = 0;
  let dropped = 0;
  return {
    take() {
      const at = now();
      tokens = Math.min(burst, tokens + ((at - refilledAt) / 1000) * perSecond);
      refilledAt = at;
      if (tokens >= burst) excess = 0; // quiet long enough: a new stretch starts
      if (tokens >= 1) {
        tokens -= 1;
        return 'ok';
      }
      excess += 1;
      dropped += 1;
      if (excess > closeAfterExcess) return 'flood';
      return excess === 1 ? 'first-over' : 'over';
    },
    get dropped() {
      return dropped;
    },
  };
}
