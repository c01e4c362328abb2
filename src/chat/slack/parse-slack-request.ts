import { SlackError } from '../../errors.js';
import { checkResponseUrl } from './check-response-url.js';
import {
  decodeModalMetadata,
  RIGHT_PARAGRAPH_ACTION_ID,
  RIGHT_PARAGRAPH_BLOCK_ID,
  WRONG_PARAGRAPH_CALLBACK_ID,
  type WrongParagraphContext,
} from './feedback-modal.js';
import { decodeFeedbackValue, type FeedbackCase } from './feedback-value.js';
import { SHARE_ACTION_ID } from './format-slack-answer.js';

/** What a verified Slack request asks the bot to do. */
export type SlackRequest =
  | { readonly kind: 'url_verification'; readonly challenge: string }
  | SlackMessageRequest
  | { readonly kind: 'ignored_event'; readonly eventId: string; readonly reason: string }
  | SlackCommandRequest
  | SlackFeedbackRequest
  | SlackShareRequest
  | SlackFeedbackSubmission
  | { readonly kind: 'ignored_interaction'; readonly reason: string };

/** An `app_mention` in a channel or a direct message (`message.im`) from a person. */
export interface SlackMessageRequest {
  readonly kind: 'message';
  readonly eventId: string;
  readonly source: 'app_mention' | 'im';
  readonly channel: string;
  readonly user: string;
  /** The question: bot mentions removed, Slack's `<...>` markup and `&amp;` entities decoded. */
  readonly text: string;
  /** The thread the reply belongs in: the event's `thread_ts`, or its own `ts` when it starts a thread. */
  readonly threadTs: string;
  /** The message's own `ts` (what a reaction is added to). */
  readonly ts: string;
}

export interface SlackCommandRequest {
  readonly kind: 'command';
  /** `/ask`, as configured in Slack. */
  readonly command: string;
  readonly text: string;
  readonly user: string;
  readonly channel: string;
  /** Checked against SLACK_RESPONSE_URL_HOSTS. */
  readonly responseUrl: string | undefined;
  readonly triggerId: string | undefined;
}

export type FeedbackKind = 'helpful' | 'wrong_paragraph' | 'not_in_article';

/** Action ids of the feedback buttons, and the label each records. */
export const FEEDBACK_ACTIONS: Readonly<Record<string, FeedbackKind>> = {
  feedback_helpful: 'helpful',
  feedback_wrong_paragraph: 'wrong_paragraph',
  feedback_not_in_article: 'not_in_article',
};

export interface SlackFeedbackRequest {
  readonly kind: 'feedback';
  readonly user: string;
  readonly feedback: FeedbackKind;
  readonly case: FeedbackCase;
  /** The message's plain-text fallback (the answer), when Slack includes the message. */
  readonly answerText: string | undefined;
  /** Checked against SLACK_RESPONSE_URL_HOSTS. */
  readonly responseUrl: string | undefined;
  /** Lets the bot open the "which paragraph?" modal within 3 s of the click. */
  readonly triggerId: string | undefined;
}

/** A click on "Share with channel" under an answer only the asker sees. */
export interface SlackShareRequest {
  readonly kind: 'share';
  readonly user: string;
  /** The kept answer's id (the button's value), not yet checked. */
  readonly shareId: string;
  readonly responseUrl: string | undefined;
}

/** The "Wrong paragraph" modal submitted. */
export interface SlackFeedbackSubmission {
  readonly kind: 'feedback_submission';
  readonly user: string;
  readonly context: WrongParagraphContext;
  /** The paragraph picked as the right one (`p12`), undefined when none was; not yet checked against the article. */
  readonly correct: string | undefined;
}

export interface ParseSlackRequestOptions {
  /** The `Content-Type` header. */
  readonly contentType: string | undefined;
  /** The verified raw body. */
  readonly rawBody: Buffer;
  /** SLACK_RESPONSE_URL_HOSTS: a `response_url` elsewhere is refused with `SLACK_BAD_RESPONSE_URL`. */
  readonly responseUrlHosts: readonly string[];
}

type Json = Record<string, unknown>;

function badPayload(message: string, cause?: unknown): SlackError {
  return new SlackError('SLACK_BAD_PAYLOAD', message, cause === undefined ? undefined : { cause });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseJson(text: string, what: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badPayload(`${what} is not valid JSON`, error);
  }
  if (!isObject(parsed)) throw badPayload(`${what} must be a JSON object`);
  return parsed;
}

/**
 * Turns Slack's markup back into the words a person typed: drops mentions of the bot (and, for
 * mentions, the leading `<@U…>` that addressed it), renders other mentions, channels and links as their
 * labels, then decodes `&amp; &lt; &gt;`.
 */
export function slackTextToPlain(text: string, botUserId: string | undefined, stripLeadingMention: boolean): string {
  const withoutLeading = stripLeadingMention ? text.replace(/^\s*(<@[A-Z0-9]+(\|[^>]*)?>\s*)+/i, '') : text;
  const rendered = withoutLeading.replace(/<([^>]*)>/g, (_match, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@')) return target.slice(1) === botUserId ? '' : `@${label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) return label ?? '';
    return label ?? target;
  });
  return rendered
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function parseEventEnvelope(body: Json): SlackRequest {
  if (body.type === 'url_verification') {
    const challenge = str(body.challenge);
    if (challenge === undefined) throw badPayload('url_verification lacks a challenge');
    return { kind: 'url_verification', challenge };
  }
  if (body.type !== 'event_callback') {
    // e.g. `app_rate_limited`: acknowledged, nothing to answer.
    return { kind: 'ignored_event', eventId: str(body.event_id) ?? '', reason: `envelope type ${String(body.type)}` };
  }
  const eventId = str(body.event_id);
  const event = body.event;
  if (eventId === undefined || !isObject(event)) throw badPayload('event_callback lacks event_id or event');
  const ignore = (reason: string): SlackRequest => ({ kind: 'ignored_event', eventId, reason });
  const authorizations = Array.isArray(body.authorizations) ? body.authorizations : [];
  const botUserId = isObject(authorizations[0]) ? str(authorizations[0].user_id) : undefined;

  let source: SlackMessageRequest['source'];
  if (event.type === 'app_mention') source = 'app_mention';
  else if (event.type === 'message' && event.channel_type === 'im') source = 'im';
  else return ignore(`event type ${String(event.type)}`);
  // Replying to bots (ourselves included) or to edits and joins would loop or answer twice.
  if (event.bot_id !== undefined || event.subtype !== undefined) return ignore('bot message or message subtype');
  const user = str(event.user);
  if (user === undefined || user === botUserId) return ignore('no human author');
  const channel = str(event.channel);
  const ts = str(event.ts);
  if (channel === undefined || ts === undefined) throw badPayload(`${source} event lacks channel or ts`);
  return {
    kind: 'message',
    eventId,
    source,
    channel,
    user,
    text: slackTextToPlain(typeof event.text === 'string' ? event.text : '', botUserId, source === 'app_mention'),
    threadTs: str(event.thread_ts) ?? ts,
    ts,
  };
}

function responseUrlOf(value: unknown, hosts: readonly string[]): string | undefined {
  const raw = str(value);
  return raw === undefined ? undefined : checkResponseUrl(raw, hosts);
}

function parseViewSubmission(payload: Json, user: string): SlackRequest {
  const view = isObject(payload.view) ? payload.view : undefined;
  if (view === undefined || view.callback_id !== WRONG_PARAGRAPH_CALLBACK_ID) {
    return { kind: 'ignored_interaction', reason: `view ${String(view?.callback_id)}` };
  }
  const context = decodeModalMetadata(typeof view.private_metadata === 'string' ? view.private_metadata : '');
  if (context === undefined) throw badPayload('Feedback modal metadata is not what this bot produced');
  const values = isObject(view.state) && isObject(view.state.values) ? view.state.values : {};
  const block = isObject(values[RIGHT_PARAGRAPH_BLOCK_ID]) ? (values[RIGHT_PARAGRAPH_BLOCK_ID] as Json) : {};
  const element = isObject(block[RIGHT_PARAGRAPH_ACTION_ID]) ? (block[RIGHT_PARAGRAPH_ACTION_ID] as Json) : {};
  // A select sends {selected_option: {value: "p12"}}, a number field {value: "12"}; neither when left empty.
  const picked = isObject(element.selected_option) ? str(element.selected_option.value) : str(element.value);
  const correct = picked === undefined ? undefined : /^\d+$/.test(picked) ? `p${Number(picked)}` : picked;
  return { kind: 'feedback_submission', user, context, correct };
}

function parseInteraction(payloadText: string, hosts: readonly string[]): SlackRequest {
  const payload = parseJson(payloadText, 'Interactivity payload');
  const user = isObject(payload.user) ? str(payload.user.id) : undefined;
  if (payload.type === 'view_submission') {
    if (user === undefined) throw badPayload('view_submission lacks user');
    return parseViewSubmission(payload, user);
  }
  if (payload.type !== 'block_actions') return { kind: 'ignored_interaction', reason: `type ${String(payload.type)}` };
  const action = Array.isArray(payload.actions) ? payload.actions[0] : undefined;
  if (user === undefined || !isObject(action)) throw badPayload('block_actions lacks user or actions');
  const responseUrl = responseUrlOf(payload.response_url, hosts);
  if (action.action_id === SHARE_ACTION_ID) {
    return { kind: 'share', user, shareId: typeof action.value === 'string' ? action.value : '', responseUrl };
  }
  const feedback = FEEDBACK_ACTIONS[String(action.action_id)];
  if (feedback === undefined) return { kind: 'ignored_interaction', reason: `action ${String(action.action_id)}` };
  const feedbackCase = decodeFeedbackValue(typeof action.value === 'string' ? action.value : '');
  if (feedbackCase === undefined) throw badPayload('Feedback button value is not one this bot produced');
  const message = isObject(payload.message) ? payload.message : undefined;
  return {
    kind: 'feedback',
    user,
    feedback,
    case: feedbackCase,
    answerText: message === undefined ? undefined : str(message.text),
    responseUrl,
    triggerId: str(payload.trigger_id),
  };
}

/**
 * Parses a verified Slack request: Events API envelopes (JSON), slash commands and interactivity
 * payloads (form-encoded). Events the bot does not answer come back as `ignored_*`, not errors.
 * Throws `SlackError` `SLACK_BAD_PAYLOAD` for bodies that are not Slack payloads, and `SLACK_BAD_RESPONSE_URL` for
 * a `response_url` outside `responseUrlHosts`.
 */
export function parseSlackRequest(options: ParseSlackRequestOptions): SlackRequest {
  const mediaType = (options.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const text = options.rawBody.toString('utf8');
  if (mediaType === 'application/json') return parseEventEnvelope(parseJson(text, 'Events API body'));
  if (mediaType !== 'application/x-www-form-urlencoded') {
    throw badPayload(`Unsupported Content-Type "${options.contentType ?? ''}"`);
  }
  const form = new URLSearchParams(text);
  if (form.get('ssl_check') !== null) return { kind: 'ignored_interaction', reason: 'ssl_check' };
  const payload = form.get('payload');
  if (payload !== null) return parseInteraction(payload, options.responseUrlHosts);
  const command = form.get('command');
  const user = form.get('user_id');
  const channel = form.get('channel_id');
  if (command === null || user === null || channel === null) {
    throw badPayload('Form body is neither a slash command nor an interactivity payload');
  }
  return {
    kind: 'command',
    command,
    text: slackTextToPlain(form.get('text') ?? '', undefined, false),
    user,
    channel,
    responseUrl: responseUrlOf(form.get('response_url'), options.responseUrlHosts),
    triggerId: form.get('trigger_id') ?? undefined,
  };
}
