import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Pings every client each `intervalMs` and terminates the ones that did not answer the previous ping
 * (dead peers behind NATs and proxies otherwise hold a connection slot for hours).
 * `onTick` runs on the same timer (the server prunes its rate limiters there). Returns `stop()`.
 */
export function startHeartbeat(options: {
  readonly wss: WebSocketServer;
  readonly intervalMs: number;
  readonly onTerminate: (socket: WebSocket) => void;
  readonly onTick?: () => void;
}): () => void {
  const alive = new WeakSet<WebSocket>();
  const track = (socket: WebSocket): void => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
  };
  options.wss.on('connection', track);
  const timer = setInterval(() => {
    for (const socket of options.wss.clients) {
      if (!alive.has(socket)) {
        options.onTerminate(socket);
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
    options.onTick?.();
  }, options.intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    options.wss.off('connection', track);
  };
}
