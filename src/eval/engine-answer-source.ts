import { performance } from 'node:perf_hooks';
import type { Answer, ConversationTurn, RetrieverMode } from '../chat/answer-types.js';
import type { Engine } from '../chat/engine-types.js';
import { isAppError } from '../errors.js';
import type { AnswerSource, AskOutcome, Conversation, RankedRetrieval } from './answer-source.js';

/** How deep the retrieval ranking goes for MRR: a correct paragraph below this rank counts as not found. */
export const RANK_DEPTH = 20;

export interface EngineAnswerSourceOptions {
  readonly engine: Engine;
  /** Passed to `engine.ask` and `engine.retrieve`; default: the engine's own default (hybrid). */
  readonly retriever?: RetrieverMode;
  /** Passed to `engine.ask`; default: the engine's own default (extractive). */
  readonly answerer?: 'extractive' | 'llm';
}

/**
 * Answers in-process with the same engine the server uses. Each conversation keeps its own history.
 * `rank` makes the question standalone exactly as `engine.ask` does (`engine.standaloneQuestion` with the history before
 * that question) and retrieves the top `RANK_DEPTH`, so retrieval metrics measure the query the answer was built from.
 */
export function createEngineAnswerSource(options: EngineAnswerSourceOptions): AnswerSource {
  const { engine } = options;
  return {
    name: 'in-process',
    async openConversation(): Promise<Conversation> {
      const history: ConversationTurn[] = [];
      let historyBeforeLastAsk: readonly ConversationTurn[] = [];
      return {
        async ask(question, article): Promise<AskOutcome> {
          historyBeforeLastAsk = [...history];
          const started = performance.now();
          let answer: Answer;
          try {
            answer = await engine.ask(question, {
              history: [...history],
              ...(article === undefined ? {} : { article }),
              ...(options.retriever === undefined ? {} : { retriever: options.retriever }),
              ...(options.answerer === undefined ? {} : { answerer: options.answerer }),
            });
          } catch (error) {
            const latencyMs = performance.now() - started;
            const described = isAppError(error) ? `${error.code}: ${error.message}` : `INTERNAL: ${String(error)}`;
            return { answer: null, error: described, latencyMs, answerer: undefined };
          }
          const latencyMs = performance.now() - started;
          history.push({ question, answer });
          return { answer, error: null, latencyMs, answerer: answer.answerer };
        },
        async rank(question, article): Promise<RankedRetrieval> {
          const query = engine.standaloneQuestion(question.replace(/\s+/g, ' ').trim(), historyBeforeLastAsk);
          const retrieved = await engine.retrieve(query, {
            k: RANK_DEPTH,
            ...(article === undefined ? {} : { article }),
            ...(options.retriever === undefined ? {} : { retriever: options.retriever }),
          });
          return {
            query,
            ranked: retrieved.map((r) => ({ article: r.paragraph.article, paragraph: r.paragraph.number, text: r.paragraph.text })),
          };
        },
        async close() {},
      };
    },
  };
}
