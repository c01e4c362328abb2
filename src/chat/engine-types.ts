import type { Article } from '../index/article.js';
import type { Answer, ConversationTurn, RetrievedParagraph, RetrieverMode } from './answer-types.js';

/**
 * The question-answering engine: one per process, built by `createEngine` (src/chat/create-engine.ts)
 * in the composition root and passed to the CLI, the servers and the eval runner.
 */
export interface Engine {
  /** Every article of the corpus, in corpus order. */
  readonly articles: readonly Article[];
  /** The article with this slug; without a slug, the first article. */
  article(slug?: string): Article | undefined;
  /**
   * Answers one question from the corpus. Throws `QuestionError` (codes `QUESTION_EMPTY`,
   * `QUESTION_TOO_LONG`, `QUESTION_NOT_STRING`, `QUESTION_UNKNOWN_ARTICLE`) before doing any work
   * when the question is refused. `onDelta` receives the answer text in order as it is produced;
   * the concatenation of all deltas equals the final `answer`.
   */
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /**
   * "Summarize this story": three to five of the article's own sentences that cover its main facts (LexRank
   * centrality over the stored sentence vectors, with MMR redundancy control; src/chat/summarize-article.ts),
   * in article order, each followed by its `[¶N]` marker, each citation's `quote` the verbatim sentence.
   * `grounded` is true and `answerer` is `summary`. Throws `QuestionError` `QUESTION_UNKNOWN_ARTICLE` for an
   * unknown slug. `ask` routes typed summary requests ("What are the key points?") here too (see
   * `isSummaryRequest`).
   */
  summarize(options: SummarizeOptions): Promise<Answer>;
  /**
   * A follow-up made standalone with the conversation, as `ask` does without an LLM ("What happened to the
   * soldier he wounded?" -> "... the soldier Bulat wounded?"); the eval runner measures retrieval on it.
   */
  standaloneQuestion(question: string, history: readonly ConversationTurn[]): string;
  /**
   * Questions the article can answer, for starters: "Who is <name>?" for the people it names most (from its name
   * registry), then short questions generated from its sentences (generate-questions.ts). Candidates only: the
   * caller asks them and keeps the ones answered with confidence.
   */
  suggestQuestions(article: string): string[];
  /** The ranked paragraphs a question retrieves (for evals and debugging). */
  retrieve(query: string, options?: RetrieveOptions): Promise<RetrievedParagraph[]>;
  /** Releases worker threads and timers. */
  close(): Promise<void>;
}

export interface AskOptions {
  /** Earlier turns of this conversation, oldest first. Follow-ups are resolved against them. */
  readonly history?: readonly ConversationTurn[];
  /** Restrict retrieval to one article; default: the whole corpus. */
  readonly article?: string;
  /** Default `hybrid`. */
  readonly retriever?: RetrieverMode;
  /** Default `extractive`; `llm` needs a configured provider (falls back to extractive). */
  readonly answerer?: 'extractive' | 'llm';
  readonly onDelta?: (text: string) => void;
  readonly signal?: AbortSignal;
}

export interface SummarizeOptions {
  /** The article's slug. */
  readonly article: string;
  readonly onDelta?: (text: string) => void;
  readonly signal?: AbortSignal;
}

export interface RetrieveOptions {
  /** How many paragraphs; default 8. */
  readonly k?: number;
  readonly article?: string;
  readonly retriever?: RetrieverMode;
}

/**
 * Turns retrieved paragraphs into an answer. The extractive answerer is the default; an LLM answerer
 * (optional) implements the same interface.
 */
export interface Answerer {
  readonly name: string;
  /**
   * Optional: makes a follow-up standalone with the conversation before retrieval (the LLM answerer asks its
   * model). The engine calls it only when there is history; without it the engine uses the rule-based
   * `standaloneQuestion`. Implementations fall back on their own and reject only when `signal` aborts.
   */
  condense?(input: CondenseInput): Promise<string>;
  answer(input: AnswerInput): Promise<Answer>;
}

export interface CondenseInput {
  /** The reader's question as asked. */
  readonly question: string;
  /** Earlier turns, oldest first; never empty. */
  readonly history: readonly ConversationTurn[];
  readonly signal?: AbortSignal;
}

export interface AnswerInput {
  /** The reader's question as asked. */
  readonly question: string;
  /** The question made standalone with the conversation (what retrieval used). */
  readonly standaloneQuestion: string;
  readonly history: readonly ConversationTurn[];
  /** Retrieved paragraphs, best first (the extractive answerer ranks the article's sentences itself). */
  readonly candidates: readonly RetrievedParagraph[];
  /** The article the question is scoped to; undefined: the whole corpus (the answerer picks the article). */
  readonly article?: string;
  readonly onDelta?: (text: string) => void;
  readonly signal?: AbortSignal;
}
