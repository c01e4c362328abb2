import { SLACK_SIGNATURE_TOLERANCE_SECONDS } from './verify-slack-signature.js';
import type { SlackStateStore } from './slack-state-store.js';

export interface ReplayGuardOptions {
  readonly store: SlackStateStore;
  /** The signature window in seconds (a request is accepted while its timestamp is this close to now). Default 300. */
  readonly toleranceSeconds?: number;
  /** At most this many signatures are kept; far above what Slack sends in five minutes. Default 100,000. */
  readonly maxEntries?: number;
}

export interface ReplayGuard {
  /**
   * True the first time a verified request's (timestamp, signature) pair is seen, false for a replay of it. The
   * pair is remembered for as long as its timestamp passes the signature check, so a replay is refused until it
   * would be refused as stale anyway, before or after a restart on the same store.
   */
  claim(timestamp: string, signature: string, nowMs: number): boolean;
}

/**
 * Refuses replays of signed requests. A captured slash command or button click carries a valid signature for five
 * minutes; without this, replaying it within the window runs the command or records the click again.
 */
export function createReplayGuard(options: ReplayGuardOptions): ReplayGuard {
  const tolerance = options.toleranceSeconds ?? SLACK_SIGNATURE_TOLERANCE_SECONDS;
  const maxEntries = options.maxEntries ?? 100_000;
  return {
    claim(timestamp, signature, nowMs) {
      // Accepted while |now - timestamp| <= tolerance, so the pair must be remembered until timestamp + tolerance.
      const expiresAt = Math.max((Number(timestamp) + tolerance) * 1000 + 1000, nowMs + 1000);
      return options.store.claim('request', `${timestamp}:${signature}`, expiresAt, nowMs, maxEntries);
    },
  };
}
