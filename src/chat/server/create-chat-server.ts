import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerConfig } from '../../config.js';
import type { FeedbackStore } from '../../feedback/feedback-store.js';
import type { Logger } from '../../logger.js';
import type { Engine } from '../engine-types.js';
import { createApiRoutes } from './api-routes.js';
import { createArticlePageRoute } from './article-page-route.js';
import { buildWidgetScript } from './build-widget-script.js';
import { handleChatConnection, type ChatConnection } from './chat-connection.js';
import { resolveClientAddress } from './client-address.js';
import { trackEngineReadiness } from './engine-readiness.js';
import { createHealthRoute, type ServerHealth } from './health-route.js';
import type { HttpRoute } from './http-route.js';
import { requestPath, sendText } from './http-responses.js';
import { isOriginAllowed } from './origin-policy.js';
import { createFrameBudget } from './frame-budget.js';
import { createRateLimiter } from './rate-limiter.js';
import { rejectUpgrade } from './reject-upgrade.js';
import { startHeartbeat } from './start-heartbeat.js';
import { createWidgetFeedback } from './widget-feedback.js';
import { createTrustedProxies } from './trusted-proxies.js';
import { createWidgetRoute } from './widget-route.js';

export interface ChatServerOptions {
  /** The engine, or a promise of it: the server listens (and `/healthz` answers 503) while it loads. */
  readonly engine: Engine | Promise<Engine>;
  /** Host, port (0 picks a free one) and every limit; see `ServerConfig` for the defaults. */
  readonly config: ServerConfig;
  readonly logger: Logger;
  /** Extra HTTP routes (e.g. the Slack endpoints), tried before the built-in ones. */
  readonly routes?: readonly HttpRoute[];
  /** Questions longer than this are refused with `PROTOCOL_QUESTION_TOO_LONG`; default 1000. */
  readonly maxQuestionChars?: number;
  /** Which answerer the engine uses for readers' questions; default: the engine's own default (the LLM when configured). */
  readonly answerer?: 'extractive' | 'llm';
  /**
   * Where readers' ratings and logged refusals go (the shared feedback log, `FEEDBACK_LOG`). Without it,
   * `feedback` frames are answered with `FEEDBACK_UNAVAILABLE` and refusals are not logged.
   */
  readonly feedback?: FeedbackStore;
  /** DEFAULT_ARTICLE: where `/` redirects; without it `/` lists the articles (or redirects to the only one). */
  readonly defaultArticle?: string;
}

export interface ChatServer {
  /** `http://host:port`, the article page. */
  readonly url: string;
  /** `ws://host:port/ws`. */
  readonly wsUrl: string;
  readonly port: number;
  readonly health: ServerHealth;
  /**
   * Graceful shutdown: stops accepting connections and questions, lets answers already accepted finish
   * (up to `config.shutdownGraceMs`, then aborts them), closes every socket with 1001 and resolves once
   * the HTTP server has closed. Idempotent. The engine is not closed: its owner closes it.
   */
  close(): Promise<void>;
}

/** How long to wait for peers to answer the 1001 close frame before cutting the TCP connection. */
const CLOSE_HANDSHAKE_MS = 2000;

/**
 * Starts the reader-facing server: the article page, `/widget.js`, `/healthz`, the JSON API, extra
 * routes, and the chat WebSocket at `/ws` (protocol in `ws-protocol.ts`). Resolves once listening and
 * the widget script is built. All state (connections, rate limits, conversations) belongs to this
 * instance.
 */
export async function createChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const { config, logger } = options;
  const maxQuestionChars = options.maxQuestionChars ?? 1000;
  const readiness = trackEngineReadiness(options.engine, logger);
  const getEngine = (): Engine | undefined => readiness.engine;
  let stopping = false;
  const health = (): ServerHealth => (stopping ? 'stopping' : readiness.state);

  const widgetScript = buildWidgetScript();
  widgetScript.catch(() => {}); // reported through the awaited Promise.all below
  const routes: HttpRoute[] = [
    ...(options.routes ?? []),
    createHealthRoute({ health, articleCount: () => readiness.engine?.articles.length ?? 0 }),
    createWidgetRoute({ script: widgetScript }),
    createApiRoutes({ getEngine, maxQuestionChars, logger }),
    createArticlePageRoute({ getEngine, defaultArticle: options.defaultArticle }),
  ];

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (stopping) res.setHeader('connection', 'close');
    try {
      for (const route of routes) {
        if (await route(req, res)) return;
      }
      sendText(req, res, 404, `Nothing at ${requestPath(req) ?? 'this address'}`);
    } catch (error) {
      logger.error('http route failed', {
        method: req.method ?? '?',
        path: requestPath(req) ?? '?',
        reason: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent) sendText(req, res, 500, 'Internal error; it has been logged');
      else res.destroy();
    }
  }

  const server = createServer((req, res) => void handleRequest(req, res));
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxPayloadBytes,
    maxFragments: config.maxFragments,
    maxBufferedChunks: config.maxBufferedChunks,
    perMessageDeflate: false,
    clientTracking: true,
    // Pings count against each connection's frame budget; chat-connection.ts answers them itself.
    autoPong: false,
  });

  const ipLimiter = createRateLimiter({ limit: config.ipRateLimitPerMinute ?? config.rateLimitPerMinute });
  const addressOptions = {
    trustedProxies: config.trustProxy === undefined ? undefined : createTrustedProxies(config.trustProxy),
    header: config.trustProxyHeader,
  };
  const connectionsPerIp = new Map<string, number>();
  const connections = new Map<WebSocket, ChatConnection>();
  let connectionCount = 0;

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (requestPath(req) !== '/ws') return rejectUpgrade(socket, 404, 'The chat endpoint is /ws');
    if (stopping) return rejectUpgrade(socket, 503, 'The server is shutting down', { 'Retry-After': '5' });
    // Behind a trusted reverse proxy, the client it names; otherwise the TCP peer (headers ignored).
    const ip = resolveClientAddress(req, addressOptions);
    if (!isOriginAllowed(req.headers.origin, req.headers.host, config)) {
      logger.warn('websocket origin refused', { origin: req.headers.origin ?? '-', ip });
      return rejectUpgrade(socket, 403, 'This origin may not use the chat; add it to ALLOWED_ORIGINS');
    }
    const open = connectionsPerIp.get(ip) ?? 0;
    if (open >= config.maxConnectionsPerIp) {
      logger.warn('websocket connection cap reached', { ip, open });
      return rejectUpgrade(socket, 429, `Too many open chat connections from this address (${open})`, {
        'Retry-After': '10',
      });
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, ip));
  }

  function onConnection(ws: WebSocket, ip: string): void {
    connectionsPerIp.set(ip, (connectionsPerIp.get(ip) ?? 0) + 1);
    connectionCount += 1;
    const connection = connectionCount;
    connections.set(
      ws,
      handleChatConnection({
        socket: ws,
        connection,
        ip,
        getEngine,
        ipLimiter,
        connectionLimiter: createRateLimiter({ limit: config.rateLimitPerMinute }),
        frameBudget: createFrameBudget({ perSecond: config.maxMessagesPerSecond }),
        maxQuestionChars,
        answerer: options.answerer,
        maxBufferedBytes: config.maxBufferedBytes,
        maxQueuedQuestions: config.maxQueuedQuestions,
        maxHistoryTurns: config.maxHistoryTurns,
        logger,
        ...(options.feedback === undefined
          ? {}
          : { feedback: createWidgetFeedback({ store: options.feedback, getEngine, logger, connection }) }),
      }),
    );
    logger.info('websocket connected', { connection, open: wss.clients.size });
    ws.on('error', (error: Error & { code?: string }) => {
      // ws has already closed the socket with the matching code (1009 for an oversize frame).
      logger.warn('websocket protocol error', { connection, code: error.code ?? '-', reason: error.message });
    });
    ws.on('close', (code) => {
      connections.delete(ws);
      const left = (connectionsPerIp.get(ip) ?? 1) - 1;
      if (left <= 0) connectionsPerIp.delete(ip);
      else connectionsPerIp.set(ip, left);
      logger.info('websocket closed', { connection, code, open: wss.clients.size });
    });
    wss.emit('connection', ws);
  }

  server.on('upgrade', onUpgrade);
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const stopHeartbeat = startHeartbeat({
    wss,
    intervalMs: config.pingIntervalMs,
    onTerminate: () => logger.info('websocket peer missed a pong; terminated'),
    onTick: () => ipLimiter.prune(),
  });

  try {
    await Promise.all([
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      }),
      widgetScript,
    ]);
  } catch (error) {
    stopHeartbeat();
    server.close();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${hostForUrl}:${port}`;
  let closing: Promise<void> | undefined;

  async function shutdown(): Promise<void> {
    stopping = true;
    logger.info('shutting down', { open: wss.clients.size, graceMs: config.shutdownGraceMs });
    const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (const connection of connections.values()) connection.drain();
    const idle = Promise.all([...connections.values()].map((c) => c.idle()));
    const graceOver = await Promise.race([
      idle.then(() => false),
      delay(config.shutdownGraceMs).then(() => true),
    ]);
    if (graceOver) {
      logger.warn('shutdown grace period over; aborting answers in flight', { open: wss.clients.size });
      for (const connection of connections.values()) connection.abort();
      await Promise.race([idle, delay(500)]);
    }
    stopHeartbeat();
    const sockets = [...wss.clients];
    const closed = Promise.all(sockets.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve()))));
    for (const ws of sockets) ws.close(1001, 'Server shutting down');
    if (await Promise.race([closed.then(() => false), delay(CLOSE_HANDSHAKE_MS).then(() => true)])) {
      for (const ws of wss.clients) ws.terminate();
    }
    wss.close();
    server.closeAllConnections();
    await httpClosed;
    logger.info('server closed');
  }

  return {
    url,
    wsUrl: `ws://${hostForUrl}:${port}/ws`,
    port,
    get health() {
      return health();
    },
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
