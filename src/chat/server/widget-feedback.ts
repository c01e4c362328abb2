import { ProtocolError } from '../../errors.js';
import type { FeedbackStore, FeedbackStoreRecord } from '../../feedback/feedback-store.js';
import type { Logger } from '../../logger.js';
import type { Answer } from '../answer-types.js';
import type { Engine } from '../engine-types.js';
import type { FeedbackMessage, FeedbackRating } from './ws-protocol.js';

/**
 * One line of the feedback log written for a reader (see `FeedbackStore`). It never holds an IP address,
 * a cookie or any reader id: only the article, what was cited and the reader's verdict.
 */
export interface WidgetFeedbackRecord extends FeedbackStoreRecord {
  readonly ts: string;
  readonly channel: 'widget';
  /** `helpful` (thumbs up), `unhelpful` (thumbs down), `wrong_paragraph` ("wrong source"), `refused` (logged by the server). */
  readonly kind: 'helpful' | 'unhelpful' | 'wrong_paragraph' | 'refused';
  /**
   * The question as asked. On a rating it is always there (the reader chose to send feedback on it, and the
   * widget says the question goes with it); on a logged refusal only when the page gave the reader's consent.
   */
  readonly question?: string;
  /** The article slug, or null when the question was not tied to one article. */
  readonly article: string | null;
  /** Cited paragraph ids (`p43`); empty for a refusal. */
  readonly cited: readonly string[];
  /** With `wrong_paragraph`: the paragraph the reader picked as the right source. */
  readonly expected?: readonly string[];
  readonly answer: { readonly grounded: boolean; readonly text: string | null };
}

export interface WidgetFeedbackOptions {
  readonly store: FeedbackStore;
  readonly getEngine: () => Engine | undefined;
  readonly logger: Logger;
  /** Connection number, for logs. */
  readonly connection: number;
  /** Answers remembered for feedback, newest kept; default 32. */
  readonly maxRemembered?: number;
  /** Ratings accepted per answer (a reader may change their mind); default 3. */
  readonly maxPerAnswer?: number;
  /** Clock for `ts`; default `Date`. */
  readonly now?: () => Date;
}

export interface AnsweredTurn {
  readonly id: string;
  readonly question: string;
  /** The article the question was restricted to, if any. */
  readonly article: string | undefined;
  readonly answer: Answer;
  /** The reader's consent to keep the text of a refused question. */
  readonly shareQuestion: boolean;
}

/** Feedback on one connection's answers. */
export interface WidgetFeedback {
  /** Remembers an answer so the reader can rate it; logs it right away when it is a refusal. */
  answered(turn: AnsweredTurn): void;
  /**
   * Writes the reader's rating of an earlier answer and resolves once it is on disk. Throws `ProtocolError`
   * `PROTOCOL_UNKNOWN_ANSWER` (no answer with that id on this connection, or it was forgotten),
   * `PROTOCOL_BAD_PARAGRAPH` (the picked ¶ is not in the answer's article), `PROTOCOL_FEEDBACK_LIMIT` (too
   * many ratings of one answer); a failed write rejects with the store's `FeedbackError`.
   */
  record(message: FeedbackMessage): Promise<void>;
}

const KIND_OF: Readonly<Record<FeedbackRating, WidgetFeedbackRecord['kind']>> = {
  up: 'helpful',
  down: 'unhelpful',
  wrong_source: 'wrong_paragraph',
};

interface Remembered {
  readonly turn: AnsweredTurn;
  readonly article: string | undefined;
  ratings: number;
}

/** Per-connection feedback: a bounded memory of recent answers and the writes to the shared store. */
export function createWidgetFeedback(options: WidgetFeedbackOptions): WidgetFeedback {
  const maxRemembered = options.maxRemembered ?? 32;
  const maxPerAnswer = options.maxPerAnswer ?? 3;
  const now = options.now ?? (() => new Date());
  const answers = new Map<string, Remembered>();

  /** The one article an answer is about: the one asked about, else the one every citation names, else the only one. */
  function articleOf(turn: AnsweredTurn): string | undefined {
    if (turn.article !== undefined) return turn.article;
    const cited = new Set(turn.answer.citations.map((c) => c.article));
    if (cited.size === 1) return [...cited][0];
    const articles = options.getEngine()?.articles ?? [];
    return cited.size === 0 && articles.length === 1 ? articles[0]!.slug : undefined;
  }

  function baseRecord(remembered: Remembered, kind: WidgetFeedbackRecord['kind']): WidgetFeedbackRecord {
    const { turn } = remembered;
    return {
      ts: now().toISOString(),
      channel: 'widget',
      kind,
      article: remembered.article ?? null,
      cited: turn.answer.citations.map((c) => c.id),
      answer: { grounded: turn.answer.grounded, text: turn.answer.grounded ? turn.answer.answer : null },
    };
  }

  return {
    answered(turn) {
      const remembered: Remembered = { turn, article: articleOf(turn), ratings: 0 };
      answers.delete(turn.id);
      answers.set(turn.id, remembered);
      while (answers.size > maxRemembered) answers.delete(answers.keys().next().value as string);
      if (turn.answer.grounded) return;
      const record: WidgetFeedbackRecord = {
        ...baseRecord(remembered, 'refused'),
        ...(turn.shareQuestion ? { question: turn.question } : {}),
      };
      options.store.append(record).catch((error: unknown) => {
        options.logger.error('refusal not logged', { connection: options.connection, reason: (error as Error).message });
      });
    },

    async record(message) {
      const remembered = answers.get(message.id);
      if (remembered === undefined) {
        throw new ProtocolError(
          'PROTOCOL_UNKNOWN_ANSWER',
          `No answer "${message.id}" on this connection to give feedback on (only the last ${maxRemembered} answers can be rated)`,
          { id: message.id },
        );
      }
      if (remembered.ratings >= maxPerAnswer) {
        throw new ProtocolError('PROTOCOL_FEEDBACK_LIMIT', `Answer "${message.id}" has already been rated ${maxPerAnswer} times`, { id: message.id });
      }
      let expected: string[] | undefined;
      if (message.paragraph !== undefined) {
        const article = remembered.article === undefined ? undefined : options.getEngine()?.article(remembered.article);
        if (article === undefined || !article.paragraphs.some((p) => p.number === message.paragraph)) {
          throw new ProtocolError(
            'PROTOCOL_BAD_PARAGRAPH',
            article === undefined
              ? 'This answer is not tied to one article, so a paragraph cannot be picked for it'
              : `The article has no ¶${message.paragraph} (it has ${article.paragraphs.length} paragraphs)`,
            { id: message.id },
          );
        }
        expected = [`p${message.paragraph}`];
      }
      remembered.ratings += 1;
      const record: WidgetFeedbackRecord = {
        ...baseRecord(remembered, KIND_OF[message.rating]),
        question: remembered.turn.question,
        ...(expected === undefined ? {} : { expected }),
      };
      try {
        await options.store.append(record);
      } catch (error) {
        remembered.ratings -= 1;
        throw error;
      }
      options.logger.info('widget feedback recorded', { connection: options.connection, id: message.id, kind: record.kind });
    },
  };
}
