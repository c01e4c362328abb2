import type { Citation, RelatedParagraph } from '../answer-types.js';
import { ProtocolError } from '../../errors.js';

/**
 * The chat WebSocket protocol: JSON text frames, one message per frame. See docs/server.md for the
 * reference other clients are written against.
 */

/** `{"type":"ask","id":"q1","question":"...","article":"slug"?,"shareQuestion":true?}` */
export interface AskMessage {
  readonly type: 'ask';
  readonly id: string;
  readonly question: string;
  readonly article: string | undefined;
  /**
   * The reader's consent (from the embedding page) to keep the question's text if the article cannot answer
   * it: refusals are logged for the newsroom, with the question only when this is `true`.
   */
  readonly shareQuestion: boolean;
}

/** `{"type":"summarize","id":"s1","article":"slug"?}`: "Summarize this story", answered like a question. */
export interface SummarizeMessage {
  readonly type: 'summarize';
  readonly id: string;
  /** Required when the server has more than one article. */
  readonly article: string | undefined;
}

/** The reader's verdict on an answer: thumbs up or down, or "wrong source" (optionally naming the right ¶). */
export type FeedbackRating = 'up' | 'down' | 'wrong_source';

/** `{"type":"feedback","id":"q1","rating":"up"|"down"|"wrong_source","paragraph":12?}` about answer `id`. */
export interface FeedbackMessage {
  readonly type: 'feedback';
  /** The id of an answer this connection received. */
  readonly id: string;
  readonly rating: FeedbackRating;
  /** With `wrong_source`: the ¶ number the reader says answers instead. */
  readonly paragraph: number | undefined;
}

/** `{"type":"reset"}`: forget the conversation held for this connection. */
export interface ResetMessage {
  readonly type: 'reset';
}

export type ClientMessage = AskMessage | SummarizeMessage | FeedbackMessage | ResetMessage;

export interface DeltaMessage {
  readonly type: 'delta';
  readonly id: string;
  readonly text: string;
}

export interface AnswerMessage {
  readonly type: 'answer';
  readonly id: string;
  readonly answer: string;
  readonly grounded: boolean;
  /** The engine's 0..1 estimate that the cited passage answers (see `Answer.confidence`). */
  readonly confidence: number;
  readonly citations: readonly Citation[];
  /** Present only when the engine offered related paragraphs (typically with a refusal). */
  readonly related?: readonly RelatedParagraph[];
}

export interface ErrorMessage {
  readonly type: 'error';
  readonly id: string | null;
  readonly code: string;
  readonly message: string;
}

/** The acknowledgement of `reset`, sent once the conversation has been forgotten. */
export interface ResetAckMessage {
  readonly type: 'reset';
  readonly ok: true;
}

/** The acknowledgement of `feedback`, sent once the record is on disk. */
export interface FeedbackAckMessage {
  readonly type: 'feedback';
  readonly id: string;
  readonly ok: true;
}

export type ServerMessage = DeltaMessage | AnswerMessage | ErrorMessage | ResetAckMessage | FeedbackAckMessage;

export interface ParseLimits {
  /** Questions longer than this (UTF-16 code units, as `String#length`) are refused. */
  readonly maxQuestionChars: number;
}

/** Client-chosen ids are echoed back verbatim, so they are kept short and printable. */
export const MAX_ID_CHARS = 64;
const ID_PATTERN = /^[\x21-\x7e]+$/;
const MAX_SLUG_CHARS = 200;
const RATINGS: readonly FeedbackRating[] = ['up', 'down', 'wrong_source'];
/** No article has more paragraphs than this; a larger pick is refused before any lookup. */
const MAX_PARAGRAPH_NUMBER = 100_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one text frame. Returns a validated message or throws `ProtocolError` with one of
 * `PROTOCOL_NOT_JSON`, `PROTOCOL_NOT_OBJECT`, `PROTOCOL_UNKNOWN_TYPE`, `PROTOCOL_BAD_ID`,
 * `PROTOCOL_BAD_QUESTION`, `PROTOCOL_QUESTION_TOO_LONG`, `PROTOCOL_BAD_ARTICLE`, `PROTOCOL_BAD_RATING`,
 * `PROTOCOL_BAD_PARAGRAPH`. The error carries the
 * frame's `id` when it had a valid one, so the client can tie the refusal to its question.
 * Unknown extra fields are ignored (forward compatibility).
 */
export function parseClientMessage(raw: string, limits: ParseLimits): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (cause) {
    throw new ProtocolError('PROTOCOL_NOT_JSON', 'The frame is not valid JSON; send one JSON object per text frame', {
      cause,
    });
  }
  if (!isRecord(value)) {
    throw new ProtocolError(
      'PROTOCOL_NOT_OBJECT',
      `The frame is JSON ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}; send a JSON object such as {"type":"ask","id":"q1","question":"..."}`,
    );
  }
  const type = value.type;
  if (type === 'reset') return { type: 'reset' };
  if (type !== 'ask' && type !== 'summarize' && type !== 'feedback') {
    throw new ProtocolError(
      'PROTOCOL_UNKNOWN_TYPE',
      `Unknown message type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : `(${typeof type})`}; expected "ask", "summarize", "feedback" or "reset"`,
      { id: validId(value.id) },
    );
  }
  const id = value.id;
  if (validId(id) === null) {
    throw new ProtocolError(
      'PROTOCOL_BAD_ID',
      `"id" must be a string of 1 to ${MAX_ID_CHARS} printable ASCII characters naming the question (e.g. "q1")`,
    );
  }
  if (type === 'summarize') return { type, id: id as string, article: parseArticle(value.article, id as string) };
  if (type === 'feedback') return parseFeedback(value, id as string);
  const question = value.question;
  if (typeof question !== 'string' || question.trim() === '') {
    throw new ProtocolError(
      'PROTOCOL_BAD_QUESTION',
      question === undefined
        ? '"question" is missing; send the question as a non-empty string'
        : typeof question !== 'string'
          ? `"question" must be a string, got ${question === null ? 'null' : typeof question}`
          : '"question" is empty; type a question about the article',
      { id: id as string },
    );
  }
  if (question.length > limits.maxQuestionChars) {
    throw new ProtocolError(
      'PROTOCOL_QUESTION_TOO_LONG',
      `The question has ${question.length} characters; the limit is ${limits.maxQuestionChars}. Shorten it and ask again`,
      { id: id as string },
    );
  }
  const article = parseArticle(value.article, id as string);
  return { type: 'ask', id: id as string, question, article, shareQuestion: value.shareQuestion === true };
}

function parseArticle(article: unknown, id: string): string | undefined {
  if (article !== undefined && (typeof article !== 'string' || article === '' || article.length > MAX_SLUG_CHARS)) {
    throw new ProtocolError('PROTOCOL_BAD_ARTICLE', '"article" must be an article slug string when present', { id });
  }
  return article;
}

function parseFeedback(value: Record<string, unknown>, id: string): FeedbackMessage {
  const rating = value.rating;
  if (typeof rating !== 'string' || !(RATINGS as readonly string[]).includes(rating)) {
    throw new ProtocolError('PROTOCOL_BAD_RATING', `"rating" must be one of ${RATINGS.map((r) => `"${r}"`).join(', ')}`, { id });
  }
  const paragraph = value.paragraph;
  if (paragraph !== undefined && paragraph !== null) {
    if (rating !== 'wrong_source' || typeof paragraph !== 'number' || !Number.isInteger(paragraph) || paragraph < 1 || paragraph > MAX_PARAGRAPH_NUMBER) {
      throw new ProtocolError(
        'PROTOCOL_BAD_PARAGRAPH',
        rating !== 'wrong_source'
          ? '"paragraph" goes only with "rating": "wrong_source"'
          : '"paragraph" must be the number of a paragraph of the article (a whole number from 1)',
        { id },
      );
    }
  }
  return { type: 'feedback', id, rating: rating as FeedbackRating, paragraph: typeof paragraph === 'number' ? paragraph : undefined };
}

function validId(id: unknown): string | null {
  return typeof id === 'string' && id.length <= MAX_ID_CHARS && ID_PATTERN.test(id) ? id : null;
}
