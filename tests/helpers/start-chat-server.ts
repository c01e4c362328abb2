import { WebSocket } from 'ws';
import { loadConfig, type ServerConfig } from '../../src/config.js';
import type { Answer } from '../../src/chat/answer-types.js';
import type { Engine } from '../../src/chat/engine-types.js';
import { createChatServer, type ChatServer } from '../../src/chat/server/create-chat-server.js';
import type { HttpRoute } from '../../src/chat/server/http-route.js';
import type { FeedbackStore } from '../../src/feedback/feedback-store.js';
import type { ServerMessage } from '../../src/chat/server/ws-protocol.js';
import { createMemoryLogger, type Logger } from '../../src/logger.js';

export interface StartChatServerOptions {
  readonly engine: Engine | Promise<Engine>;
  /** Overrides of the default server config (host is always 127.0.0.1; port defaults to 0). */
  readonly config?: Partial<ServerConfig>;
  readonly routes?: readonly HttpRoute[];
  readonly maxQuestionChars?: number;
  /** Where readers' feedback goes; default: none (feedback frames get FEEDBACK_UNAVAILABLE). */
  readonly feedback?: FeedbackStore;
  /** Passed to the article page route. */
  readonly defaultArticle?: string;
}

export interface TestChatServer extends ChatServer {
  readonly logger: Logger & { lines: string[] };
}

/** The real chat server on an ephemeral loopback port, with the default limits and a memory logger. */
export async function startChatServer(options: StartChatServerOptions): Promise<TestChatServer> {
  const logger = createMemoryLogger();
  const config: ServerConfig = {
    ...loadConfig({}).server,
    ...options.config,
    host: '127.0.0.1',
    port: options.config?.port ?? 0,
  };
  const server = await createChatServer({
    engine: options.engine,
    config,
    logger,
    ...(options.routes === undefined ? {} : { routes: options.routes }),
    ...(options.maxQuestionChars === undefined ? {} : { maxQuestionChars: options.maxQuestionChars }),
    ...(options.feedback === undefined ? {} : { feedback: options.feedback }),
    ...(options.defaultArticle === undefined ? {} : { defaultArticle: options.defaultArticle }),
  });
  return {
    url: server.url,
    wsUrl: server.wsUrl,
    port: server.port,
    get health() {
      return server.health;
    },
    close: () => server.close(),
    logger,
  };
}

/** A real `ws` client that records every message and lets a test await the next matching one. */
export interface TestClient {
  readonly socket: WebSocket;
  readonly messages: ServerMessage[];
  send(value: unknown): void;
  /** Resolves with the first message (already received or future) matching `predicate`. */
  waitFor<T extends ServerMessage>(predicate: (message: ServerMessage) => message is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (message: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  /** Resolves with the close code once the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export async function connectClient(
  url: string,
  options: { readonly origin?: string; readonly timeoutMs?: number; readonly headers?: Record<string, string> } = {},
): Promise<TestClient> {
  const socket = new WebSocket(url, {
    ...(options.origin === undefined ? {} : { origin: options.origin }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
  const messages: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as ServerMessage);
    for (const wake of [...waiters]) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`connecting to ${url} timed out`)), options.timeoutMs ?? 5000);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return {
    socket,
    messages,
    closed,
    send(value) {
      socket.send(typeof value === 'string' ? value : JSON.stringify(value));
    },
    waitFor(predicate: (message: ServerMessage) => boolean, timeoutMs = 20_000): Promise<ServerMessage> {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = messages.find(predicate);
          if (found === undefined) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close() {
      socket.close();
    },
  };
}

export interface SlowEngine extends Engine {
  readonly aborted: string[];
}

/**
 * The real engine's answers, streamed slowly: the real deltas replayed one every `delayMs` (a stand-in
 * for a slow LLM), honouring the abort signal. Lets tests act while an answer is in flight.
 */
export function slowEngine(engine: Engine, delayMs: number): SlowEngine {
  const aborted: string[] = [];
  /** Replays the real answer's deltas one every `delayMs`, honouring the abort signal. */
  const replay = async (label: string, run: (onDelta: (text: string) => void) => Promise<Answer>, options: { onDelta?: (text: string) => void; signal?: AbortSignal }): Promise<Answer> => {
    const deltas: string[] = [];
    const answer = await run((text) => deltas.push(text));
    for (const delta of deltas) {
      await sleep(delayMs);
      if (options.signal?.aborted) {
        aborted.push(label);
        throw options.signal.reason;
      }
      options.onDelta?.(delta);
    }
    return answer;
  };
  return {
    aborted,
    articles: engine.articles,
    article: (slug) => engine.article(slug),
    retrieve: (query, options) => engine.retrieve(query, options),
    standaloneQuestion: (question, history) => engine.standaloneQuestion(question, history),
    suggestQuestions: (article) => engine.suggestQuestions(article),
    close: async () => {},
    ask: (question, options = {}) => replay(question, (onDelta) => engine.ask(question, { ...options, onDelta }), options),
    summarize: (options) => replay(`summary of ${options.article}`, (onDelta) => engine.summarize({ ...options, onDelta }), options),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
