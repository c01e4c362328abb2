/**
 * The value carried by a feedback button: enough to rebuild a labelled eval case without the bot keeping
 * any state (the button may be clicked days later, after a restart). Encoded as compact JSON that fits
 * Slack's 2,000-character limit on button values; a long question is shortened to fit.
 */
export interface FeedbackCase {
  readonly question: string;
  /** The article slug the answer was drawn from. */
  readonly article: string;
  /** Cited paragraph ids (`p43`), in answer order; empty for a refusal. */
  readonly cited: readonly string[];
  /** False when the bot answered "the article doesn't say". */
  readonly grounded: boolean;
}

/** Slack's maximum length of a button `value`. */
export const SLACK_BUTTON_VALUE_MAX_CHARS = 2000;

interface WireValue {
  q: string;
  a: string;
  c: string[];
  g: 0 | 1;
}

/** Encodes a case into at most {@link SLACK_BUTTON_VALUE_MAX_CHARS} characters, shortening the question if needed. */
export function encodeFeedbackValue(value: FeedbackCase): string {
  const wire: WireValue = { q: value.question, a: value.article, c: [...value.cited], g: value.grounded ? 1 : 0 };
  let encoded = JSON.stringify(wire);
  while (encoded.length > SLACK_BUTTON_VALUE_MAX_CHARS && wire.q.length > 0) {
    // JSON escaping can expand characters, so cut by the overshoot and re-measure.
    const overshoot = encoded.length - SLACK_BUTTON_VALUE_MAX_CHARS;
    wire.q = `${[...wire.q].slice(0, Math.max(0, [...wire.q].length - overshoot - 1)).join('')}…`;
    if (wire.q === '…') wire.q = '';
    encoded = JSON.stringify(wire);
  }
  return encoded;
}

/** Decodes a button value; undefined when it is not one this bot produced. */
export function decodeFeedbackValue(raw: string): FeedbackCase | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { q, a, c, g } = parsed as Record<string, unknown>;
  if (typeof q !== 'string' || typeof a !== 'string' || (g !== 0 && g !== 1)) return undefined;
  if (!Array.isArray(c) || !c.every((id) => typeof id === 'string' && /^p\d+$/.test(id))) return undefined;
  return { question: q, article: a, cited: c as string[], grounded: g === 1 };
}
