import { createHmac, timingSafeEqual } from 'node:crypto';
import { SlackError } from '../../errors.js';

/** Slack refuses to replay requests older than five minutes; we apply the same window in both directions. */
export const SLACK_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface VerifySlackSignatureOptions {
  readonly signingSecret: string;
  /** The `X-Slack-Request-Timestamp` header (Unix seconds), undefined when absent. */
  readonly timestamp: string | undefined;
  /** The `X-Slack-Signature` header (`v0=<64 hex>`), undefined when absent. */
  readonly signature: string | undefined;
  /** The body exactly as received: a re-serialized body does not verify. */
  readonly rawBody: Buffer;
  /** Current time in milliseconds. */
  readonly now: number;
  /** Default {@link SLACK_SIGNATURE_TOLERANCE_SECONDS}. */
  readonly toleranceSeconds?: number;
}

export interface SignSlackRequestOptions {
  readonly signingSecret: string;
  readonly timestamp: string;
  readonly rawBody: Buffer | string;
}

/** Computes Slack's v0 signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`. */
export function signSlackRequest(options: SignSlackRequestOptions): string {
  const hmac = createHmac('sha256', options.signingSecret);
  hmac.update(`v0:${options.timestamp}:`);
  hmac.update(options.rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * Verifies Slack's v0 request signature. Returns normally when the request is authentic; throws
 * `SlackError` with `SLACK_SIGNATURE_MISSING` (a header absent or malformed), `SLACK_SIGNATURE_STALE`
 * (timestamp more than `toleranceSeconds` from `now`, past or future) or `SLACK_SIGNATURE_INVALID`.
 * The comparison is constant-time; a signature of the wrong length is rejected before comparing.
 */
export function verifySlackSignature(options: VerifySlackSignatureOptions): void {
  const { timestamp, signature } = options;
  const tolerance = options.toleranceSeconds ?? SLACK_SIGNATURE_TOLERANCE_SECONDS;
  if (timestamp === undefined || signature === undefined) {
    throw new SlackError(
      'SLACK_SIGNATURE_MISSING',
      'Request lacks the X-Slack-Request-Timestamp or X-Slack-Signature header',
    );
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new SlackError('SLACK_SIGNATURE_MISSING', 'X-Slack-Request-Timestamp must be Unix seconds');
  }
  const skewSeconds = Math.abs(options.now / 1000 - Number(timestamp));
  if (skewSeconds > tolerance) {
    throw new SlackError(
      'SLACK_SIGNATURE_STALE',
      `Request timestamp is ${Math.round(skewSeconds)} s from now; at most ${tolerance} s allowed`,
    );
  }
  const expected = Buffer.from(signSlackRequest({ ...options, timestamp }), 'utf8');
  const received = Buffer.from(signature, 'utf8');
  // timingSafeEqual throws on unequal lengths; the length of a valid signature is public anyway.
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new SlackError('SLACK_SIGNATURE_INVALID', 'X-Slack-Signature does not match the request body');
  }
}
