import { WebSocket, type RawData } from 'ws';
import { summarize, type LatencySummary } from './stats.js';

export interface WsLoadOptions {
  readonly wsUrl: string;
  /** Concurrent readers, each on its own connection, each with one question in flight at a time. */
  readonly clients: number;
  /** The next distinct question; called once per question sent. */
  readonly nextQuestion: () => string;
  /** Stop sending new questions after this long (then wait for the answers in flight)... */
  readonly durationMs?: number;
  /** ...or after each client has asked this many. One of the two is required. */
  readonly questionsPerClient?: number;
  /** A question still unanswered this long after it was sent counts as dropped; default 30 s. */
  readonly answerTimeoutMs?: number;
  /**
   * Paced readers: questions per second across all clients (each client asks every clients/rate
   * seconds, or as soon as its previous answer arrives if that is later). Default: closed loop, every
   * client asks again the moment its answer arrives (the saturation throughput).
   */
  readonly ratePerSecond?: number;
  /** Send `reset` before every question, so each is answered without conversation history; default false. */
  readonly resetBeforeAsk?: boolean;
  /** Called with each answer (for identity checks); default none. */
  readonly onAnswer?: (question: string, answer: { answer: string; citations: ReadonlyArray<{ id: string }> }) => void;
}

export interface WsLoadResult {
  readonly clients: number;
  readonly sent: number;
  readonly answered: number;
  /** `error` replies by code (rate limits, busy, internal...). */
  readonly errors: Record<string, number>;
  /** Sent but neither answered nor refused before the timeout or the connection's end. */
  readonly dropped: number;
  /** Connections that could not be opened. */
  readonly failedConnections: number;
  readonly elapsedMs: number;
  readonly answersPerSecond: number;
  readonly latency: LatencySummary;
}

/** `{"type":"delta"` as bytes: deltas are most frames and are skipped without parsing. */
const DELTA_PREFIX = Buffer.from('{"type":"delta"');

/**
 * Closed-loop WebSocket load on the chat server: every client connects, then asks, waits for its
 * answer, asks the next question, until the duration or question budget runs out. Latency is from
 * send to the final `answer` frame. Connections open in parallel; all traffic stays on loopback.
 */
export async function runWsLoad(options: WsLoadOptions): Promise<WsLoadResult> {
  if (options.durationMs === undefined && options.questionsPerClient === undefined) {
    throw new TypeError('runWsLoad needs durationMs or questionsPerClient');
  }
  const answerTimeoutMs = options.answerTimeoutMs ?? 30_000;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let sent = 0;
  let answered = 0;
  let dropped = 0;
  let failedConnections = 0;

  const sockets = await Promise.all(
    Array.from({ length: options.clients }, () =>
      connect(options.wsUrl).catch(() => {
        failedConnections += 1;
        return undefined;
      }),
    ),
  );
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Number.POSITIVE_INFINITY : started + options.durationMs;
  let lastAnswerAt = started;

  await Promise.all(
    sockets.map(async (socket, client) => {
      if (socket === undefined) return;
      let asked = 0;
      const periodMs = options.ratePerSecond === undefined ? 0 : (options.clients / options.ratePerSecond) * 1000;
      let nextAt = started + (periodMs * client) / options.clients;
      while (performance.now() < deadline && (options.questionsPerClient === undefined || asked < options.questionsPerClient)) {
        if (periodMs > 0) {
          const wait = nextAt - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          // A reader who waited longer than the period asks now, not in a burst of missed turns.
          nextAt = Math.max(nextAt, performance.now()) + periodMs;
          if (performance.now() >= deadline) break;
        }
        const question = options.nextQuestion();
        const id = `c${client}q${asked}`;
        asked += 1;
        sent += 1;
        const sentAt = performance.now();
        if (options.resetBeforeAsk === true) socket.send(JSON.stringify({ type: 'reset' }));
        const reply = await ask(socket, id, question, answerTimeoutMs);
        if (reply.kind === 'answer') {
          answered += 1;
          lastAnswerAt = performance.now();
          latencies.push(lastAnswerAt - sentAt);
          options.onAnswer?.(question, reply.message);
        } else if (reply.kind === 'error') {
          errors[reply.code] = (errors[reply.code] ?? 0) + 1;
        } else {
          dropped += 1;
          if (reply.kind === 'closed') return;
        }
      }
    }),
  );
  for (const socket of sockets) socket?.terminate();
  const elapsedMs = lastAnswerAt - started;
  return {
    clients: options.clients,
    sent,
    answered,
    errors,
    dropped,
    failedConnections,
    elapsedMs: Math.round(elapsedMs),
    answersPerSecond: Math.round((answered / Math.max(1, elapsedMs)) * 10_000) / 10,
    latency: summarize(latencies),
  };
}

type Reply =
  | { kind: 'answer'; message: { answer: string; citations: ReadonlyArray<{ id: string }> } }
  | { kind: 'error'; code: string }
  | { kind: 'timeout' }
  | { kind: 'closed' };

/** Opens one connection; rejects after 20 s. */
export function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('connect timed out'));
    }, 20_000);
    socket.once('open', () => {
      clearTimeout(timer);
      // After open, failures (resets, EPIPE) surface as 'close'; an unheard 'error' would crash the bench.
      socket.on('error', () => {});
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function ask(socket: WebSocket, id: string, question: string, timeoutMs: number): Promise<Reply> {
  return new Promise((resolve) => {
    const finish = (reply: Reply): void => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      resolve(reply);
    };
    const onMessage = (data: RawData): void => {
      const buffer = data as Buffer;
      if (buffer.subarray(0, DELTA_PREFIX.length).equals(DELTA_PREFIX)) return;
      const message = JSON.parse(buffer.toString('utf8')) as { type: string; id?: string; code?: string; answer: string; citations: Array<{ id: string }> };
      if (message.id !== id) return;
      if (message.type === 'answer') finish({ kind: 'answer', message });
      else if (message.type === 'error') finish({ kind: 'error', code: message.code ?? 'UNKNOWN' });
    };
    const onClose = (): void => finish({ kind: 'closed' });
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    socket.on('message', onMessage);
    socket.once('close', onClose);
    if (socket.readyState !== WebSocket.OPEN) {
      finish({ kind: 'closed' });
      return;
    }
    socket.send(JSON.stringify({ type: 'ask', id, question }));
  });
}
