import { WebSocket } from 'ws';

/**
 * The attacker of the flood bench, run as its own process (so its busy sending loop does not slow the
 * readers whose latency the bench measures): `connections` sockets, each sending `framesPerConnection`
 * frames as fast as the socket takes them (one-byte garbage, resets, asks, binary frames, in turn),
 * never reading a reply, reconnecting at once when the server closes it and going on with the rest, for
 * at most `durationMs`.
 * The audit's flood was 5 connections x 300,000 frames. Loopback only. Reports over IPC:
 *
 *   -> {type:'done', framesSent, connectionsOpened, closedByServer, otherCloses, refusedHandshakes, repliesReceived}
 */
export interface FloodClientArgs {
  readonly wsUrl: string;
  readonly connections: number;
  readonly framesPerConnection: number;
  readonly durationMs: number;
}

export interface FloodClientResult {
  readonly type: 'done';
  readonly framesSent: number;
  readonly connectionsOpened: number;
  /** Connections the server ended (with 1008; a client that never reads sees it as 1006). */
  readonly closedByServer: number;
  readonly otherCloses: number;
  readonly refusedHandshakes: number;
  readonly repliesReceived: number;
}

const FRAMES: ReadonlyArray<string | Buffer> = [
  'x',
  '{"type":"reset"}',
  '{"type":"ask","id":"f","question":"Who is Vlad?"}',
  Buffer.from([0]),
  '{"type":"shout"}',
];

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as FloodClientArgs;
  const deadline = performance.now() + args.durationMs;
  const stats = { framesSent: 0, connectionsOpened: 0, closedByServer: 0, otherCloses: 0, refusedHandshakes: 0, repliesReceived: 0 };

  async function flooder(): Promise<void> {
    let left = args.framesPerConnection;
    while (left > 0 && performance.now() < deadline) {
      const socket = new WebSocket(args.wsUrl, { perMessageDeflate: false });
      const opened = await new Promise<boolean>((resolve) => {
        socket.once('open', () => resolve(true));
        socket.once('unexpected-response', () => resolve(false));
        socket.once('error', () => resolve(false));
      });
      socket.on('error', () => {});
      if (!opened) {
        stats.refusedHandshakes += 1;
        socket.terminate();
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      stats.connectionsOpened += 1;
      socket.on('message', () => {
        stats.repliesReceived += 1;
      });
      // The worst case for the server: an attacker that never reads what it is sent.
      socket.pause();
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      let open = true;
      void closed.then(() => (open = false));
      let next = 0;
      while (open && left > 0 && performance.now() < deadline) {
        // Fill the socket up to 1 MB of unsent frames, then let the event loop flush it.
        while (open && left > 0 && socket.bufferedAmount < 1024 * 1024) {
          const frame = FRAMES[next++ % FRAMES.length]!;
          socket.send(frame, { binary: typeof frame !== 'string' });
          stats.framesSent += 1;
          left -= 1;
          if (next % 1000 === 0) break;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      const ours = open;
      if (open) socket.terminate();
      await closed;
      if (ours) stats.otherCloses += 1;
      else stats.closedByServer += 1;
    }
  }

  await Promise.all(Array.from({ length: args.connections }, flooder));
  process.send?.({ type: 'done', ...stats } satisfies FloodClientResult);
  process.disconnect?.();
}

main().catch((error: unknown) => {
  process.stderr.write(`flood-client: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
