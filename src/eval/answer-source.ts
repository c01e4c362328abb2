import type { EvalAnswer, RankedParagraph } from './score.js';

/**
 * Where the runner gets answers: the engine in this process (`createEngineAnswerSource`) or a live server over
 * the WebSocket protocol (`createWsAnswerSource`). One `Conversation` per case; its turns share history.
 */
export interface AnswerSource {
  /** `in-process` or the WebSocket URL; recorded in the report. */
  readonly name: string;
  openConversation(): Promise<Conversation>;
}

/** What one ask produced: an answer, or the error the engine or server returned instead. */
export type AskOutcome =
  | { readonly answer: EvalAnswer; readonly error: null; readonly latencyMs: number; readonly answerer: string | undefined }
  | { readonly answer: null; readonly error: string; readonly latencyMs: number; readonly answerer: undefined };

export interface RankedRetrieval {
  /** The query retrieval used. */
  readonly query: string;
  readonly ranked: readonly RankedParagraph[];
}

export interface Conversation {
  /** Asks the next question of this conversation. Never throws for a refused question: see `AskOutcome`. */
  ask(question: string, article: string | undefined): Promise<AskOutcome>;
  /**
   * The ranking retrieval produced for the question just asked (`ask` first, so the timed ask runs cold and
   * `rank` sees the history as it stood before that question). Absent when the source cannot see retrieval
   * (a live server): retrieval metrics are then not measured.
   */
  rank?(question: string, article: string | undefined): Promise<RankedRetrieval>;
  close(): Promise<void>;
}
