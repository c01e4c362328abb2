/**
 * A WebSocket to the chat server that reconnects by itself with exponential backoff and jitter
 * (0.5 s doubling to 15 s), reconnects at once when the browser comes back online, and reports its
 * state so the widget can say when it is offline. Messages are JSON both ways.
 */
export type SocketState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'online' }
  | { readonly kind: 'offline'; readonly retryAt: number; readonly closeCode: number };

export interface ChatSocketOptions {
  readonly url: string;
  readonly onMessage: (message: Record<string, unknown>) => void;
  readonly onState: (state: SocketState) => void;
}

export interface ChatSocket {
  /** Opens the connection (idempotent); the widget calls it when the panel is first opened. */
  start(): void;
  /** Sends when online and returns true; returns false (nothing sent) otherwise. */
  send(message: Record<string, unknown>): boolean;
  /** Skips the wait and reconnects now. */
  retryNow(): void;
}

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

export function createChatSocket(options: ChatSocketOptions): ChatSocket {
  let socket: WebSocket | undefined;
  let attempt = 0;
  let timer: number | undefined;
  let started = false;

  function connect(): void {
    window.clearTimeout(timer);
    timer = undefined;
    options.onState({ kind: 'connecting' });
    let ws: WebSocket;
    try {
      ws = new WebSocket(options.url);
    } catch {
      scheduleRetry(1006);
      return;
    }
    socket = ws;
    ws.addEventListener('open', () => {
      attempt = 0;
      options.onState({ kind: 'online' });
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        return;
      }
      if (typeof parsed === 'object' && parsed !== null) options.onMessage(parsed as Record<string, unknown>);
    });
    ws.addEventListener('close', (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = undefined;
      scheduleRetry(event.code);
    });
  }

  function scheduleRetry(closeCode: number): void {
    const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    attempt += 1;
    options.onState({ kind: 'offline', retryAt: Date.now() + delay, closeCode });
    timer = window.setTimeout(connect, delay);
  }

  window.addEventListener('online', () => {
    if (started && socket === undefined) connect();
  });

  return {
    start() {
      if (started) return;
      started = true;
      connect();
    },
    send(message) {
      if (socket === undefined || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(message));
      return true;
    },
    retryNow() {
      if (started && socket === undefined) {
        attempt = 0;
        connect();
      }
    },
  };
}
