import { describe, expect, it } from 'vitest';
import { SlackError } from '../../src/errors.js';
import { signSlackRequest, verifySlackSignature } from '../../src/chat/slack/verify-slack-signature.js';

// The worked example from Slack's "Verifying requests from Slack" guide.
const SLACK_EXAMPLE = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
    '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
    '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const NOW = Number(SLACK_EXAMPLE.timestamp) * 1000;

function verify(overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}): void {
  verifySlackSignature({
    signingSecret: SLACK_EXAMPLE.signingSecret,
    timestamp: SLACK_EXAMPLE.timestamp,
    signature: SLACK_EXAMPLE.signature,
    rawBody: Buffer.from(SLACK_EXAMPLE.body),
    now: NOW,
    ...overrides,
  });
}

function codeOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SlackError);
    return (error as SlackError).code;
  }
}

describe('signSlackRequest', () => {
  it("reproduces the signature of Slack's documented example", () => {
    expect(signSlackRequest({ ...SLACK_EXAMPLE, rawBody: SLACK_EXAMPLE.body })).toBe(SLACK_EXAMPLE.signature);
  });
});

describe('verifySlackSignature', () => {
  it('accepts a valid signature', () => {
    expect(() => verify()).not.toThrow();
  });

  it('rejects a signature made with the wrong secret with SLACK_SIGNATURE_INVALID', () => {
    const forged = signSlackRequest({ signingSecret: 'not-the-secret', timestamp: SLACK_EXAMPLE.timestamp, rawBody: SLACK_EXAMPLE.body });
    expect(codeOf(() => verify({ signature: forged }))).toBe('SLACK_SIGNATURE_INVALID');
  });

  it('rejects a timestamp 301 s old and 301 s ahead with SLACK_SIGNATURE_STALE, and accepts 300 s', () => {
    expect(codeOf(() => verify({ now: NOW + 301_000 }))).toBe('SLACK_SIGNATURE_STALE');
    expect(codeOf(() => verify({ now: NOW - 301_000 }))).toBe('SLACK_SIGNATURE_STALE');
    expect(codeOf(() => verify({ now: NOW + 300_000 }))).toBeUndefined();
    expect(codeOf(() => verify({ now: NOW - 300_000 }))).toBeUndefined();
  });

  it('rejects a stale request even when its signature matches its own timestamp', () => {
    const timestamp = String(Number(SLACK_EXAMPLE.timestamp) - 301);
    const signature = signSlackRequest({ signingSecret: SLACK_EXAMPLE.signingSecret, timestamp, rawBody: SLACK_EXAMPLE.body });
    expect(codeOf(() => verify({ timestamp, signature }))).toBe('SLACK_SIGNATURE_STALE');
  });

  it('rejects a body that was re-serialized (same fields, different bytes)', () => {
    const reserialized = new URLSearchParams(SLACK_EXAMPLE.body);
    reserialized.sort();
    expect(reserialized.toString()).not.toBe(SLACK_EXAMPLE.body);
    expect(codeOf(() => verify({ rawBody: Buffer.from(reserialized.toString()) }))).toBe('SLACK_SIGNATURE_INVALID');
    expect(codeOf(() => verify({ rawBody: Buffer.from(`${SLACK_EXAMPLE.body} `) }))).toBe('SLACK_SIGNATURE_INVALID');
  });

  it('rejects missing or malformed headers with SLACK_SIGNATURE_MISSING', () => {
    expect(codeOf(() => verify({ signature: undefined }))).toBe('SLACK_SIGNATURE_MISSING');
    expect(codeOf(() => verify({ timestamp: undefined }))).toBe('SLACK_SIGNATURE_MISSING');
    expect(codeOf(() => verify({ timestamp: '1531420618.5' }))).toBe('SLACK_SIGNATURE_MISSING');
  });

  it('rejects signatures of the wrong length without throwing a RangeError', () => {
    expect(codeOf(() => verify({ signature: SLACK_EXAMPLE.signature.slice(0, -1) }))).toBe('SLACK_SIGNATURE_INVALID');
    expect(codeOf(() => verify({ signature: `${SLACK_EXAMPLE.signature}0` }))).toBe('SLACK_SIGNATURE_INVALID');
    expect(codeOf(() => verify({ signature: '' }))).toBe('SLACK_SIGNATURE_INVALID');
    // Same length, multi-byte characters: compared as bytes, so the lengths differ and it is still refused.
    expect(codeOf(() => verify({ signature: `v0=${'é'.repeat(64)}` }))).toBe('SLACK_SIGNATURE_INVALID');
  });
});
