import type { Article } from '../../index/article.js';
import { decodeFeedbackValue, encodeFeedbackValue, type FeedbackCase } from './feedback-value.js';
import { escapeMrkdwn } from './format-slack-answer.js';

/** `callback_id` of the "Wrong paragraph" modal; its `view_submission` records the feedback. */
export const WRONG_PARAGRAPH_CALLBACK_ID = 'feedback_wrong_paragraph';
/** Where the modal's paragraph picker sits in `view.state.values`. */
export const RIGHT_PARAGRAPH_BLOCK_ID = 'right_paragraph';
export const RIGHT_PARAGRAPH_ACTION_ID = 'paragraph';

/** Slack's limits: `private_metadata` 3,000 characters, a static select 100 options, option text 75. */
const MAX_METADATA_CHARS = 3000;
const MAX_SELECT_OPTIONS = 100;
const MAX_OPTION_CHARS = 75;

/** What the modal carries from the click to the submission (no server state: a submit after a restart still works). */
export interface WrongParagraphContext {
  readonly case: FeedbackCase;
  /** The answer's plain text, shortened to fit. */
  readonly answerText: string | undefined;
}

export function encodeModalMetadata(context: WrongParagraphContext): string {
  const value = encodeFeedbackValue(context.case);
  let text = context.answerText;
  let encoded = JSON.stringify({ v: value, ...(text === undefined ? {} : { t: text }) });
  while (encoded.length > MAX_METADATA_CHARS && text !== undefined) {
    text = text.length > 20 ? `${text.slice(0, Math.max(0, text.length - (encoded.length - MAX_METADATA_CHARS) - 2))}…` : undefined;
    encoded = JSON.stringify({ v: value, ...(text === undefined ? {} : { t: text }) });
  }
  return encoded;
}

/** Undefined when the metadata is not what {@link encodeModalMetadata} wrote. */
export function decodeModalMetadata(raw: string): WrongParagraphContext | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { v, t } = parsed as Record<string, unknown>;
  const feedbackCase = typeof v === 'string' ? decodeFeedbackValue(v) : undefined;
  if (feedbackCase === undefined || (t !== undefined && typeof t !== 'string')) return undefined;
  return { case: feedbackCase, answerText: t };
}

function optionText(number: number, text: string): string {
  const label = `¶${number} ${text.replace(/\s+/g, ' ')}`;
  return label.length <= MAX_OPTION_CHARS ? label : `${label.slice(0, MAX_OPTION_CHARS - 1)}…`;
}

/**
 * The modal a "Wrong paragraph cited" click opens: the question, what was cited, and an optional picker for the
 * paragraph that does answer (a select of every ¶ with its opening words; a number field when the article has more
 * paragraphs than a select can hold). Submitting records the feedback, with the right ¶ when one was picked.
 */
export function buildWrongParagraphModal(context: WrongParagraphContext, article: Article): Record<string, unknown> {
  const cited = context.case.cited.map((id) => `¶${id.slice(1)}`).join(', ') || 'nothing (the bot refused)';
  const picker =
    article.paragraphs.length <= MAX_SELECT_OPTIONS
      ? {
          type: 'static_select',
          action_id: RIGHT_PARAGRAPH_ACTION_ID,
          placeholder: { type: 'plain_text', text: 'Pick a paragraph' },
          options: article.paragraphs.map((p) => ({ text: { type: 'plain_text', text: optionText(p.number, p.text) }, value: p.id })),
        }
      : {
          type: 'number_input',
          action_id: RIGHT_PARAGRAPH_ACTION_ID,
          is_decimal_allowed: false,
          min_value: '1',
          max_value: String(article.paragraphs.length),
          placeholder: { type: 'plain_text', text: `1 to ${article.paragraphs.length}` },
        };
  return {
    type: 'modal',
    callback_id: WRONG_PARAGRAPH_CALLBACK_ID,
    private_metadata: encodeModalMetadata(context),
    title: { type: 'plain_text', text: 'Wrong paragraph' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*Q:* ${escapeMrkdwn(context.case.question.slice(0, 2500))}\n*Cited:* ${cited} of _${escapeMrkdwn(article.headline.slice(0, 200))}_`,
        },
      },
      {
        type: 'input',
        block_id: RIGHT_PARAGRAPH_BLOCK_ID,
        optional: true,
        label: { type: 'plain_text', text: 'Which paragraph answers it? (optional)' },
        element: picker,
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Leave it empty if you are not sure; the team reviews every report.' }] },
    ],
  };
}

/** The "thanks" view that replaces the modal after a submission. */
export function feedbackThanksView(text: string): Record<string, unknown> {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Thanks' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(text) } }],
  };
}
