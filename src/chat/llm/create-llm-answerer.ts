import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { LlmConfig } from '../../config.js';
import { isAppError } from '../../errors.js';
import type { Paragraph } from '../../index/article.js';
import type { Answer, Citation, RetrievedParagraph } from '../answer-types.js';
import { composeRefusal } from '../compose-answer.js';
import type { AnswererDependencies } from '../create-engine.js';
import type { AnswerInput, Answerer, CondenseInput } from '../engine-types.js';
import { onlyAddressesAssistant } from '../addresses-assistant.js';
import { buildCondenseMessages, parseCondensed } from './condense-prompt.js';
import { createChatModel } from './create-chat-model.js';
import { createDeadline, iterateUntil, raceSignal } from './deadline.js';
import { buildGroundedMessages } from './grounded-prompt.js';
import { LlmError } from './llm-error.js';
import { createMarkerStream } from './marker-stream.js';
import { createSentenceGate, type GatedSentence } from './sentence-gate.js';
import { createThinkFilter, stripThinking } from './think-filter.js';
import { createSentenceVerifier, type SupportThresholds, type VerifiedSentence } from './verify-sentence.js';

/**
 * The optional LLM answerer (`answerer: 'llm'`): a chat model writes the answer from the retrieved
 * paragraphs, and every sentence is verified before the reader sees it.
 *
 * - Follow-ups: `condense` asks the model to rewrite the question with the conversation before retrieval;
 *   if that fails or times out, the rule-based `standaloneQuestion` is used.
 * - Streaming: model tokens pass through a think-block filter, then the marker stream (no half markers),
 *   then the sentence gate. Each complete sentence is verified (`createSentenceVerifier`) and, if kept,
 *   sent through `onDelta` in the pieces it arrived in (as one piece when verification changed it).
 *   A reader therefore sees text one sentence behind the model, and never a sentence that was removed:
 *   the concatenated deltas always equal the final `answer`.
 * - Refusals: a model answer that only says the article doesn't say yields the shared refusal
 *   (`grounded: false`, no citations). A model answer with no supported sentence falls back to the
 *   extractive answer.
 * - Failures: a timeout (`timeoutMs`, per model call) or provider error before any sentence was sent
 *   falls back to the extractive answer; after some were sent, the answer ends with its last verified
 *   sentence. Either way `notes` says so and the reader gets no error.
 * - `signal`: aborting it stops the model and rejects with the signal's reason.
 */
export interface LlmAnswererOptions {
  /** Any LangChain chat model: `createChatModel(config)` in production, a scripted model in tests. */
  readonly chatModel: BaseChatModel;
  readonly dependencies: AnswererDependencies;
  /** Time limit for each model call (condensing, answering); LLM_TIMEOUT_MS. */
  readonly timeoutMs: number;
  /** How many retrieved paragraphs the model sees; default 6. */
  readonly maxParagraphs?: number;
  /** A condensed question longer than this is ignored; default 1000. */
  readonly maxQuestionChars?: number;
  readonly thresholds?: Partial<SupportThresholds>;
}

export function createLlmAnswerer(options: LlmAnswererOptions): Answerer {
  const { chatModel, timeoutMs } = options;
  const { extractive, retriever, embedQuery, standaloneQuestion, logger } = options.dependencies;
  const maxParagraphs = options.maxParagraphs ?? 6;
  const maxQuestionChars = options.maxQuestionChars ?? 1000;

  const describe = (error: unknown): { code: string; reason: string } => ({
    code: isAppError(error) ? error.code : 'LLM_PROVIDER_ERROR',
    reason: error instanceof Error ? error.message : String(error),
  });

  return {
    name: 'llm',

    async condense(input: CondenseInput): Promise<string> {
      const deadline = createDeadline({ timeoutMs, signal: input.signal, what: 'condensing the question' });
      try {
        const messages = await buildCondenseMessages(input);
        const reply = await raceSignal(chatModel.invoke(messages, { signal: deadline.signal }), deadline.signal);
        const condensed = parseCondensed(stripThinking(reply.text), maxQuestionChars);
        if (condensed !== undefined) return condensed;
        logger.warn('llm condense returned nothing usable; using the rule-based rewrite', { chars: reply.text.length });
      } catch (error) {
        if (input.signal?.aborted === true) throw input.signal.reason;
        logger.warn('llm condense failed; using the rule-based rewrite', describe(error));
      } finally {
        deadline.clear();
      }
      return standaloneQuestion(input.question, input.history);
    },

    async answer(input: AnswerInput): Promise<Answer> {
      const related = input.candidates.slice(0, 3).map((c) => c.paragraph);
      if (input.candidates.length === 0) return emitWhole(composeRefusal(related, 'llm'), input);
      const paragraphs = pickParagraphs(input.candidates, maxParagraphs);
      const verify = createSentenceVerifier({
        retriever,
        embedQuery,
        paragraphs,
        ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
      });

      const notes: string[] = [];
      const said: VerifiedSentence[] = [];
      const heldNoClaims: Array<{ verdict: VerifiedSentence; gated: GatedSentence }> = [];
      let removedClaims = 0;
      let modelText = '';
      const send = (verdict: VerifiedSentence, gated: GatedSentence): void => {
        const lead = said.length === 0 ? '' : ' ';
        said.push(verdict);
        if (input.onDelta === undefined) return;
        if (verdict.text === gated.text && gated.pieces.length > 0) {
          gated.pieces.forEach((piece, i) => input.onDelta!(i === 0 ? lead + piece : piece));
        } else {
          input.onDelta(lead + verdict.text);
        }
      };
      const settle = async (gated: GatedSentence): Promise<void> => {
        const verdict = await verify(gated.text);
        notes.push(...verdict.notes);
        if (verdict.kind === 'removed') {
          removedClaims += 1;
        } else if (verdict.kind === 'no-claim' && said.length === 0) {
          heldNoClaims.push({ verdict, gated });
        } else {
          for (const held of heldNoClaims.splice(0)) send(held.verdict, held.gated);
          send(verdict, gated);
        }
      };

      const deadline = createDeadline({ timeoutMs, signal: input.signal, what: 'the answer' });
      try {
        const messages = await buildGroundedMessages({ paragraphs, question: input.standaloneQuestion });
        const think = createThinkFilter();
        const markers = createMarkerStream();
        const gate = createSentenceGate();
        const stream = await raceSignal(chatModel.stream(messages, { signal: deadline.signal }), deadline.signal);
        for await (const chunk of iterateUntil(stream, deadline.signal)) {
          const token = chunk.text;
          modelText += token;
          for (const sentence of gate.push(markers.push(think.push(token)))) await settle(sentence);
        }
        for (const sentence of gate.push(markers.push(think.flush()))) await settle(sentence);
        for (const sentence of gate.push(markers.flush())) await settle(sentence);
        for (const sentence of gate.flush()) await settle(sentence);
      } catch (error) {
        if (input.signal?.aborted === true) throw input.signal.reason;
        const failure = deadline.timedOut()
          ? (deadline.signal.reason as LlmError)
          : new LlmError('LLM_PROVIDER_ERROR', `the language model failed: ${describe(error).reason}`, { cause: error });
        logger.warn('llm answer failed', { code: failure.code, reason: failure.message, sentencesSent: said.length });
        const what = failure.code === 'LLM_TIMEOUT' ? `did not finish within ${timeoutMs} ms` : 'returned an error';
        if (said.length === 0) {
          return fallback(input, [`The language model ${what}; this is the extractive answer.`, ...notes]);
        }
        notes.push(`The language model ${what}; the answer ends with its last verified sentence.`);
      } finally {
        deadline.clear();
      }

      if (said.length === 0) {
        if (heldNoClaims.length > 0 && removedClaims === 0) {
          return emitWhole(composeRefusal(related, 'llm', notes), input);
        }
        const why =
          modelText.trim() === ''
            ? 'The language model returned no answer; this is the extractive answer.'
            : 'No sentence of the language model answer was supported by the paragraph it cited; this is the extractive answer.';
        return fallback(input, [why, ...notes]);
      }
      return {
        answer: said.map((s) => s.text).join(' '),
        grounded: true,
        // The weakest verified sentence bounds how far the whole answer can be trusted.
        confidence: Math.min(...said.map((s) => s.support ?? 0)),
        citations: collectCitations(said),
        related: [],
        answerer: 'llm',
        notes,
      };
    },
  };

  async function fallback(input: AnswerInput, notes: readonly string[]): Promise<Answer> {
    // A paragraph that only speaks to an AI (an injection) would be quoted back by the extractive answerer.
    const candidates = input.candidates.filter((c) => !onlyAddressesAssistant(c.paragraph.text));
    const answer = await extractive.answer({ ...input, candidates });
    return { ...answer, notes: [...notes, ...answer.notes] };
  }
}

/**
 * The factory `createEngine({ llmAnswerer })` expects. Builds the chat model from `config` unless one is
 * given (tests pass a scripted model); no network call happens until the first question.
 */
export function createLlmAnswererFactory(
  config: LlmConfig,
  options: { chatModel?: BaseChatModel; maxParagraphs?: number; thresholds?: Partial<SupportThresholds> } = {},
): (dependencies: AnswererDependencies) => Answerer {
  const chatModel = options.chatModel ?? createChatModel(config);
  return (dependencies) =>
    createLlmAnswerer({
      chatModel,
      dependencies,
      timeoutMs: config.timeoutMs,
      ...(options.maxParagraphs === undefined ? {} : { maxParagraphs: options.maxParagraphs }),
      ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
    });
}

/**
 * The best `max` retrieved paragraphs, one per ¶ number: markers name a number, so two articles'
 * ¶12 in one prompt would be ambiguous (the better-ranked one is kept).
 */
function pickParagraphs(candidates: readonly RetrievedParagraph[], max: number): Paragraph[] {
  const picked: Paragraph[] = [];
  for (const { paragraph } of candidates) {
    if (picked.length >= max) break;
    if (!picked.some((p) => p.number === paragraph.number)) picked.push(paragraph);
  }
  return picked;
}

/** One citation per paragraph, in order of first marker; its quote is the best-supporting sentence. */
function collectCitations(said: readonly VerifiedSentence[]): Citation[] {
  const best = new Map<string, { citation: Citation; support: number }>();
  for (const sentence of said) {
    for (const c of sentence.citations) {
      const current = best.get(c.paragraph.ref);
      if (current !== undefined && current.support >= c.support) continue;
      best.set(c.paragraph.ref, {
        support: c.support,
        citation: {
          id: c.paragraph.id,
          article: c.paragraph.article,
          paragraph: c.paragraph.number,
          text: c.paragraph.text,
          quote: c.quote,
        },
      });
    }
  }
  return [...best.values()].map((b) => b.citation);
}

/** Streams a whole answer word by word (refusals), then returns it. */
function emitWhole(answer: Answer, input: AnswerInput): Answer {
  if (input.onDelta !== undefined) {
    for (const piece of answer.answer.match(/[^\s]+\s*/g) ?? []) input.onDelta(piece);
  }
  return answer;
}
