import { WebSocket, type RawData } from 'ws';
import { ProtocolError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ConversationTurn } from '../answer-types.js';
import type { Engine } from '../engine-types.js';
import { createDeltaCoalescer } from './delta-coalescer.js';
import type { FrameBudget } from './frame-budget.js';
import type { RateLimiter } from './rate-limiter.js';
import { toWireError } from './to-wire-error.js';
import type { WidgetFeedback } from './widget-feedback.js';
import { parseClientMessage, type AskMessage, type FeedbackMessage, type ServerMessage, type SummarizeMessage } from './ws-protocol.js';

export interface ChatConnectionOptions {
  readonly socket: WebSocket;
  /** Sequence number of the connection, for logs (never the question text). */
  readonly connection: number;
  /** The client's address (the TCP peer, or the client a trusted proxy names), the key of the per-IP rate limit. */
  readonly ip: string;
  /** The engine, or undefined while the index is still loading (asks get `NOT_READY`). */
  readonly getEngine: () => Engine | undefined;
  /** Shared by every connection of the server: questions per IP. */
  readonly ipLimiter: RateLimiter;
  /** Owned by this connection: questions on this socket. */
  readonly connectionLimiter: RateLimiter;
  /** Owned by this connection: every frame it sends, of any kind (see `createFrameBudget`). */
  readonly frameBudget: FrameBudget;
  readonly maxQuestionChars: number;
  /** Passed to `engine.ask`. */
  readonly answerer: 'extractive' | 'llm' | undefined;
  /**
   * While `socket.bufferedAmount` is above this, nothing but final answers is sent: deltas, refusals and
   * reset acknowledgements are dropped, so a client that does not read cannot make the server buffer for it.
   */
  readonly maxBufferedBytes: number;
  /** Questions and resets waiting or in flight on this connection before more are refused with `PROTOCOL_BUSY`. */
  readonly maxQueuedQuestions: number;
  /** Earlier turns kept for follow-ups; 0 keeps none. */
  readonly maxHistoryTurns: number;
  readonly logger: Logger;
  /** Records readers' ratings and logs refusals; without it, `feedback` frames get `FEEDBACK_UNAVAILABLE`. */
  readonly feedback?: WidgetFeedback;
}

/** What a `summarize` frame is answered as in the conversation (and in feedback records). */
const SUMMARY_QUESTION = 'Summarize this story';

export interface ChatConnection {
  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void>;
  /** Refuses new questions with `SERVER_SHUTTING_DOWN`; questions already accepted still get answers. */
  drain(): void;
  /** Aborts answers in flight and drops queued ones (the grace period is over). */
  abort(): void;
}

/**
 * One reader's chat over one WebSocket: parses frames, applies the rate limits, runs questions one at
 * a time in arrival order (so follow-ups see the turn before them), streams deltas, and keeps the
 * conversation, which lasts exactly as long as the connection. A refused frame gets an `error` and the
 * socket stays usable; a failing answer becomes an `INTERNAL` error for that question only.
 *
 * Every frame, pings included, first counts against the connection's frame budget: frames over it are dropped unread (the
 * client is told once per stretch with `PROTOCOL_TOO_MANY_MESSAGES`), and a connection that keeps flooding
 * is closed with 1008. Replies other than final answers are skipped while the client's send buffer is over
 * `maxBufferedBytes` (backpressure), and resets count against the queue cap like questions.
 */
export function handleChatConnection(options: ChatConnectionOptions): ChatConnection {
  const { socket, logger, connection } = options;
  let history: ConversationTurn[] = [];
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  let draining = false;
  let closed = false;
  let flooded = false;
  let skippedReplies = 0;
  const inFlight = new Set<AbortController>();

  const deltas = createDeltaCoalescer({
    send: (id, text) => send({ type: 'delta', id, text }),
    bufferedBytes: () => socket.bufferedAmount,
    maxBufferedBytes: options.maxBufferedBytes,
  });

  function send(message: ServerMessage): void {
    // Held deltas go first: every other frame follows the text streamed before it. The final answer settles
    // them instead: an answer that came in one burst needs no delta besides itself.
    if (message.type === 'answer') deltas.settle();
    else if (message.type !== 'delta') deltas.flush();
    if (socket.readyState !== WebSocket.OPEN) return;
    // A client that does not read gets nothing more than its answers: everything else would pile up here.
    if (message.type !== 'answer' && socket.bufferedAmount > options.maxBufferedBytes) {
      if (skippedReplies++ === 0) {
        logger.warn('websocket client not reading; replies skipped', { connection, buffered: socket.bufferedAmount });
      }
      return;
    }
    // The callback swallows write errors: a peer that vanished mid-write is handled by 'close'.
    socket.send(JSON.stringify(message), () => {});
  }

  function enqueue(job: () => Promise<void>): void {
    pending += 1;
    queue = queue
      .then(job)
      .catch((error: unknown) => {
        // Jobs report their own failures; this only keeps the queue alive if one slips through.
        send(toWireError(error, { id: null, logger, connection }));
      })
      .finally(() => {
        pending -= 1;
      });
  }

  function checkRateLimits(id: string): void {
    const { connectionLimiter, ipLimiter, ip } = options;
    const wait = Math.max(connectionLimiter.retryAfterMs('connection'), ipLimiter.retryAfterMs(ip));
    if (wait > 0) {
      logger.warn('question rate limited', { connection, ip });
      throw new ProtocolError(
        'PROTOCOL_RATE_LIMITED',
        `Too many questions: wait ${Math.ceil(wait / 1000)} s and ask again`,
        { id },
      );
    }
    connectionLimiter.take('connection');
    ipLimiter.take(ip);
  }

  function checkQueueRoom(id: string | null): void {
    if (pending >= options.maxQueuedQuestions) {
      throw new ProtocolError(
        'PROTOCOL_BUSY',
        `${pending} questions or resets are already waiting on this connection; wait for their answers before sending more`,
        { id },
      );
    }
  }

  function accept(message: AskMessage | SummarizeMessage): void {
    if (draining) {
      throw new ProtocolError(
        'SERVER_SHUTTING_DOWN',
        'The server is restarting and takes no new questions; ask again in a moment',
        { id: message.id },
      );
    }
    checkQueueRoom(message.id);
    checkRateLimits(message.id);
    enqueue(() => answer(message));
  }

  async function answer(message: AskMessage | SummarizeMessage): Promise<void> {
    if (closed) return;
    const engine = options.getEngine();
    if (engine === undefined) {
      send({
        type: 'error',
        id: message.id,
        code: 'NOT_READY',
        message: 'The article index is still loading; ask again in a few seconds',
      });
      return;
    }
    const controller = new AbortController();
    inFlight.add(controller);
    const started = Date.now();
    const question = message.type === 'ask' ? message.question : SUMMARY_QUESTION;
    try {
      deltas.begin(message.id);
      const onDelta = (text: string): void => deltas.push(text);
      const result =
        message.type === 'summarize'
          ? await engine.summarize({ article: summaryArticle(engine, message), signal: controller.signal, onDelta })
          : await engine.ask(message.question, {
              history,
              article: message.article,
              ...(options.answerer === undefined ? {} : { answerer: options.answerer }),
              signal: controller.signal,
              onDelta,
            });
      if (controller.signal.aborted) throw controller.signal.reason;
      send({
        type: 'answer',
        id: message.id,
        answer: result.answer,
        grounded: result.grounded,
        confidence: result.confidence,
        citations: result.citations,
        ...(result.related.length > 0 ? { related: result.related } : {}),
      });
      options.feedback?.answered({
        id: message.id,
        question,
        article: message.article,
        answer: result,
        shareQuestion: message.type === 'ask' && message.shareQuestion,
      });
      if (options.maxHistoryTurns > 0) {
        history = [...history, { question, answer: result }].slice(-options.maxHistoryTurns);
      }
      const streamed = deltas.counts();
      logger.info('answered', {
        connection,
        id: message.id,
        chars: question.length,
        ms: Date.now() - started,
        grounded: result.grounded,
        citations: result.citations.length,
        answerer: result.answerer,
        deltas: streamed.sent,
        ...(streamed.skipped > 0 ? { deltasSkipped: streamed.skipped } : {}),
      });
    } catch (error) {
      if (controller.signal.aborted) {
        logger.info('answer abandoned', { connection, id: message.id, ms: Date.now() - started });
        send({
          type: 'error',
          id: message.id,
          code: 'SERVER_SHUTTING_DOWN',
          message: 'The server is restarting and stopped this answer; ask again in a moment',
        });
        return;
      }
      send(toWireError(error, { id: message.id, logger, connection }));
    } finally {
      inFlight.delete(controller);
    }
  }

  function closeForFlooding(): void {
    flooded = true;
    logger.warn('websocket flooding; closed', { connection, ip: options.ip, dropped: options.frameBudget.dropped });
    socket.close(1008, 'Too many messages');
    // Stop reading at once: what the flooder already sent (up to its buffers' worth) is never even parsed.
    // It need not answer the close frame either; the socket goes after a second, time to deliver ours.
    socket.pause();
    setTimeout(() => socket.terminate(), 1000).unref();
  }

  /** Counts a frame against the budget; true when it may be handled. */
  function withinBudget(): boolean {
    if (flooded) return false;
    const verdict = options.frameBudget.take();
    if (verdict === 'flood') {
      closeForFlooding();
      return false;
    }
    if (verdict === 'first-over') {
      logger.warn('websocket messages over budget; dropping', { connection, ip: options.ip });
      send({
        type: 'error',
        id: null,
        code: 'PROTOCOL_TOO_MANY_MESSAGES',
        message: 'Too many messages: the ones just sent were dropped unread. Slow down, or this connection will be closed',
      });
    }
    return verdict === 'ok';
  }

  function onPing(data: Buffer): void {
    // A ping is a frame like any other: answered within the budget, and only while the client reads.
    if (!withinBudget() || socket.readyState !== WebSocket.OPEN || socket.bufferedAmount > options.maxBufferedBytes) return;
    socket.pong(data, false, () => {});
  }

  function onMessage(data: RawData, isBinary: boolean): void {
    if (!withinBudget()) return;
    let id: string | null = null;
    try {
      if (isBinary) {
        throw new ProtocolError('PROTOCOL_BINARY', 'Binary frames are not accepted; send JSON as a text frame');
      }
      const message = parseClientMessage(rawToString(data), { maxQuestionChars: options.maxQuestionChars });
      if (message.type === 'reset') {
        checkQueueRoom(null);
        enqueue(async () => {
          history = [];
          send({ type: 'reset', ok: true });
        });
        return;
      }
      id = message.id;
      if (message.type === 'feedback') {
        void recordFeedback(message);
        return;
      }
      accept(message);
    } catch (error) {
      send(toWireError(error, { id, logger, connection }));
    }
  }

  async function recordFeedback(message: FeedbackMessage): Promise<void> {
    try {
      if (options.feedback === undefined) {
        throw new ProtocolError('FEEDBACK_UNAVAILABLE', 'This server does not record feedback', { id: message.id });
      }
      await options.feedback.record(message);
      send({ type: 'feedback', id: message.id, ok: true });
    } catch (error) {
      send(toWireError(error, { id: message.id, logger, connection }));
    }
  }

  socket.on('message', onMessage);
  socket.on('ping', onPing);
  socket.on('close', () => {
    closed = true;
    history = [];
    // A reader who left mid-answer needs no answer: stop the work.
    for (const controller of inFlight) controller.abort(new Error('client disconnected'));
  });

  return {
    idle: async () => {
      while (pending > 0) await queue;
    },
    drain: () => {
      draining = true;
    },
    abort: () => {
      closed = true;
      for (const controller of inFlight) controller.abort(new Error('shutdown grace period over'));
    },
  };
}

/** The article a `summarize` frame is about: the one named, else the only one of the corpus. */
function summaryArticle(engine: Engine, message: SummarizeMessage): string {
  if (message.article !== undefined) return message.article;
  if (engine.articles.length === 1) return engine.articles[0]!.slug;
  throw new ProtocolError('PROTOCOL_BAD_ARTICLE', `"article" is required to summarize: this server has ${engine.articles.length} articles`, {
    id: message.id,
  });
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
