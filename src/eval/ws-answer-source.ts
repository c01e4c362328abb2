import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket, type RawData } from 'ws';
import { EvalError } from '../errors.js';
import type { AnswerSource, AskOutcome, Conversation } from './answer-source.js';
import type { EvalAnswer, EvalCitation } from './score.js';

export interface WsAnswerSourceOptions {
  /** `ws://host:port/ws` of a running chat server. */
  readonly url: string;
  /** How long one answer may take; default 60 s. A timeout is recorded as the turn's error. */
  readonly answerTimeoutMs?: number;
  /** How long connecting may take; default 10 s. Failing to connect aborts the run (`EVAL_WS_CONNECT`). */
  readonly connectTimeoutMs?: number;
  /**
   * How long to keep retrying a question the server rate-limited (`PROTOCOL_RATE_LIMITED`), waiting as long as
   * the server asks; default 120 s. Raise `WS_RATE_LIMIT_PER_MINUTE` on the server to make eval runs faster.
   */
  readonly rateLimitBudgetMs?: number;
}

const DEFAULTS = { answerTimeoutMs: 60_000, connectTimeoutMs: 10_000, rateLimitBudgetMs: 120_000 };

/**
 * Answers through a live server's WebSocket protocol (issue 3): one connection per case, so a conversation's
 * turns share the server-side history and cases never leak into each other. The streamed deltas must add up to
 * the final answer; when they do not, the turn records an `EVAL_DELTA_MISMATCH` error.
 */
export function createWsAnswerSource(options: WsAnswerSourceOptions): AnswerSource {
  const settings = { ...DEFAULTS, ...options };
  return {
    name: settings.url,
    async openConversation(): Promise<Conversation> {
      const socket = await connect(settings.url, settings.connectTimeoutMs);
      let counter = 0;
      let closedWith: string | undefined;
      socket.on('close', (code, reason) => {
        closedWith = `the server closed the connection (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`;
      });
      socket.on('error', () => {
        // Surfaced through 'close'; an unhandled 'error' would crash the runner.
      });

      const askOnce = (question: string, article: string | undefined): Promise<AskOutcome> => {
        counter += 1;
        const id = `eval-${counter}`;
        const started = performance.now();
        return new Promise<AskOutcome>((resolve) => {
          let streamed = '';
          const finish = (outcome: AskOutcome): void => {
            clearTimeout(timer);
            socket.off('message', onMessage);
            socket.off('close', onClose);
            resolve(outcome);
          };
          const fail = (error: string): void => {
            finish({ answer: null, error, latencyMs: performance.now() - started, answerer: undefined });
          };
          const timer = setTimeout(() => fail(`EVAL_WS_TIMEOUT: no answer within ${settings.answerTimeoutMs} ms`), settings.answerTimeoutMs);
          const onClose = (): void => fail(`EVAL_WS_CLOSED: ${closedWith ?? 'the connection closed'}`);
          const onMessage = (data: RawData, isBinary: boolean): void => {
            if (isBinary) return;
            let frame: unknown;
            try {
              frame = JSON.parse(data.toString());
            } catch {
              fail('EVAL_WS_BAD_FRAME: the server sent a frame that is not JSON');
              return;
            }
            if (!isObject(frame) || (frame.id !== id && !(frame.type === 'error' && frame.id === null))) return;
            if (frame.type === 'delta' && typeof frame.text === 'string') {
              streamed += frame.text;
            } else if (frame.type === 'error') {
              fail(`${String(frame.code)}: ${String(frame.message)}`);
            } else if (frame.type === 'answer') {
              const answer = toEvalAnswer(frame);
              if (answer === undefined) {
                fail('EVAL_WS_BAD_FRAME: the answer frame lacks "answer", "grounded" or well-formed "citations"');
              } else if (streamed !== '' && streamed !== answer.answer) {
                fail('EVAL_DELTA_MISMATCH: the streamed deltas do not add up to the final answer');
              } else {
                const answerer = typeof frame.answerer === 'string' ? frame.answerer : undefined;
                finish({ answer, error: null, latencyMs: performance.now() - started, answerer });
              }
            }
          };
          if (closedWith !== undefined) {
            clearTimeout(timer);
            resolve({ answer: null, error: `EVAL_WS_CLOSED: ${closedWith}`, latencyMs: 0, answerer: undefined });
            return;
          }
          socket.on('message', onMessage);
          socket.on('close', onClose);
          socket.send(JSON.stringify({ type: 'ask', id, question, ...(article === undefined ? {} : { article }) }));
        });
      };

      return {
        async ask(question, article) {
          const deadline = performance.now() + settings.rateLimitBudgetMs;
          for (;;) {
            const outcome = await askOnce(question, article);
            if (outcome.error === null || !outcome.error.startsWith('PROTOCOL_RATE_LIMITED')) return outcome;
            const waitMs = (Number(/wait (\d+) s/.exec(outcome.error)?.[1] ?? 2) || 2) * 1000;
            if (performance.now() + waitMs > deadline) return outcome;
            await sleep(waitMs);
          }
        },
        async close() {
          if (socket.readyState === WebSocket.CLOSED) return;
          await new Promise<void>((resolve) => {
            socket.once('close', () => resolve());
            socket.close(1000, 'eval case done');
          });
        },
      };
    },
  };
}

function connect(url: string, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, { perMessageDeflate: false });
    } catch (cause) {
      reject(new EvalError('EVAL_WS_CONNECT', `cannot connect to ${url}: ${(cause as Error).message}`, { cause }));
      return;
    }
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new EvalError('EVAL_WS_CONNECT', `cannot connect to ${url}: no handshake within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (cause) => {
      clearTimeout(timer);
      reject(new EvalError('EVAL_WS_CONNECT', `cannot connect to ${url}: ${cause.message}`, { cause }));
    });
  });
}

function toEvalAnswer(frame: Record<string, unknown>): EvalAnswer | undefined {
  if (typeof frame.answer !== 'string' || typeof frame.grounded !== 'boolean' || !Array.isArray(frame.citations)) return undefined;
  const citations: EvalCitation[] = [];
  for (const c of frame.citations as unknown[]) {
    if (!isObject(c) || typeof c.paragraph !== 'number' || typeof c.text !== 'string') return undefined;
    citations.push({
      article: typeof c.article === 'string' ? c.article : '',
      paragraph: c.paragraph,
      text: c.text,
      quote: typeof c.quote === 'string' ? c.quote : '',
    });
  }
  return { answer: frame.answer, grounded: frame.grounded, citations };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
