import type { Paragraph } from '../index/article.js';

/**
 * The answer contract shared by the CLI, the WebSocket server, the Slack bot and the eval runner.
 * Invariants (checked by `tests/unit/extractive-answerer.test.ts`): every `[¶N]` marker in `answer`
 * has a citation, and every citation is marked in `answer`. A refusal has `grounded: false` and no citations.
 */
export interface Citation {
  /** `p12`: the paragraph's anchor id on the article page. */
  readonly id: string;
  /** The article's slug. */
  readonly article: string;
  /** 12: shown to readers as ¶12. */
  readonly paragraph: number;
  /** The whole paragraph. */
  readonly text: string;
  /** The supporting sentence, word for word from `text`. */
  readonly quote: string;
}

/** A paragraph offered next to an answer (e.g. with a refusal), never presented as a source. */
export interface RelatedParagraph {
  readonly id: string;
  readonly article: string;
  readonly paragraph: number;
  readonly text: string;
}

export interface Answer {
  /** Text with `[¶N]` markers after the sentences they support. */
  readonly answer: string;
  /** False when the article does not answer the question. */
  readonly grounded: boolean;
  /**
   * The engine's estimate, from 0 to 1, that the article answers the question with the passage it cites (on a
   * refusal: with the nearest passage it found, which is why it refused). Callers that must not be wrong, such as
   * starter questions, keep only answers above a threshold of their own.
   */
  readonly confidence: number;
  readonly citations: readonly Citation[];
  readonly related: readonly RelatedParagraph[];
  /** Which answerer produced it: `extractive` (default) or `llm`. */
  readonly answerer: string;
  /** What verification changed or why a fallback was used; empty when nothing happened. */
  readonly notes: readonly string[];
}

export interface ConversationTurn {
  readonly question: string;
  readonly answer: Answer;
}

export type RetrieverMode = 'dense' | 'bm25' | 'hybrid';

export interface RetrievedParagraph {
  readonly paragraph: Paragraph;
  /** Fused score; higher is better. Comparable only within one result list. */
  readonly score: number;
  /** Meaning similarity of query and paragraph (mean of the paragraph's and its best sentence's cosine), when dense retrieval ran. */
  readonly dense: number | undefined;
  /** BM25 score, when the lexical retriever saw it. */
  readonly bm25: number | undefined;
}
