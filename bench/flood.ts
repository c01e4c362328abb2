import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocket, type RawData } from 'ws';
import type { FloodClientArgs, FloodClientResult } from './flood-client.js';
import type { ServerProcess } from './server-process.js';
import { loadAverage, round, summarize, type LatencySummary } from './stats.js';

const FLOOD_CLIENT = fileURLToPath(new URL('./flood-client.ts', import.meta.url));

export interface FloodOptions {
  /** A server with the default limits (`bench-server.ts` with `defaultLimits`). */
  readonly server: ServerProcess;
  readonly nextQuestion: () => string;
  /** Readers, each on its own loopback address (127.0.0.2, .3, ...), so no per-IP limit is shared. */
  readonly readers: number;
  /** Each reader asks one question this often: within the default 30 questions a minute. */
  readonly periodMs: number;
  /** Length of the quiet phase and of the flood phase. */
  readonly phaseMs: number;
  /** Flooding connections (from 127.0.0.1), reconnecting whenever the server closes one. */
  readonly flooders: number;
  /** Frames each flooding connection sends in all, across reconnects. */
  readonly framesPerFlooder: number;
}

export interface FloodPhase {
  readonly latency: LatencySummary;
  readonly answered: number;
  readonly errors: Record<string, number>;
  readonly dropped: number;
  /** Slowest `/healthz` response, sampled every 500 ms. */
  readonly healthzMaxMs: number;
  readonly peakRssMb: number;
  readonly eventLoopP99Ms: number;
  readonly loadAverage: number;
}

export interface FloodResult {
  readonly readers: number;
  readonly periodMs: number;
  readonly phaseMs: number;
  readonly flooders: number;
  readonly framesPerFlooder: number;
  readonly quiet: FloodPhase;
  readonly flood: FloodPhase;
  readonly attacker: Omit<FloodClientResult, 'type'>;
  /** flood p95 - quiet p95 (target: at most 50 ms). */
  readonly p95DeltaMs: number;
  /** flood peak RSS - quiet peak RSS (target: at most 50 MB). */
  readonly rssDeltaMb: number;
}

/**
 * Issue 11's flood test: readers ask paced questions for a quiet phase, then again while `flooders`
 * connections send frames as fast as they can (garbage, resets, asks, binary) and reconnect whenever they
 * are cut. Compares the readers' p95 and the server's peak RSS between the phases.
 */
export async function runFlood(options: FloodOptions): Promise<FloodResult> {
  const readers = await Promise.all(Array.from({ length: options.readers }, (_, i) => connectFrom(options.server.wsUrl, `127.0.0.${i + 2}`)));
  try {
    await runPhase(options, readers, Math.min(options.phaseMs, 5000)); // warm-up, not measured
    const quiet = await runPhase(options, readers, options.phaseMs);
    const attacker = startFloodClient({
      wsUrl: options.server.wsUrl,
      connections: options.flooders,
      framesPerConnection: options.framesPerFlooder,
      durationMs: options.phaseMs,
    });
    const flood = await runPhase(options, readers, options.phaseMs);
    const { type: _type, ...attack } = await attacker;
    return {
      readers: options.readers,
      periodMs: options.periodMs,
      phaseMs: options.phaseMs,
      flooders: options.flooders,
      framesPerFlooder: options.framesPerFlooder,
      quiet,
      flood,
      attacker: attack,
      p95DeltaMs: round(flood.latency.p95 - quiet.latency.p95),
      rssDeltaMb: round(flood.peakRssMb - quiet.peakRssMb),
    };
  } finally {
    for (const socket of readers) socket.terminate();
  }
}

async function runPhase(options: FloodOptions, readers: readonly WebSocket[], phaseMs: number): Promise<FloodPhase> {
  await options.server.reset();
  const load = loadAverage();
  const started = performance.now();
  const deadline = started + phaseMs;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let answered = 0;
  let dropped = 0;
  let healthzMaxMs = 0;
  const healthz = (async () => {
    while (performance.now() < deadline) {
      const at = performance.now();
      await fetch(`${options.server.url}/healthz`, { signal: AbortSignal.timeout(15_000) }).then(
        (res) => res.arrayBuffer(),
        () => undefined,
      );
      healthzMaxMs = Math.max(healthzMaxMs, performance.now() - at);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  let sequence = 0;
  await Promise.all(
    readers.map(async (socket, reader) => {
      // Readers start spread over one period, as independent people would.
      let nextAt = started + (options.periodMs * reader) / readers.length;
      while (nextAt < deadline) {
        const wait = nextAt - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        nextAt += options.periodMs;
        const id = `r${reader}-${sequence++}`;
        const sentAt = performance.now();
        const reply = await ask(socket, id, options.nextQuestion());
        if (reply === 'answer') {
          answered += 1;
          latencies.push(performance.now() - sentAt);
        } else if (reply === 'timeout' || reply === 'closed') dropped += 1;
        else errors[reply] = (errors[reply] ?? 0) + 1;
      }
    }),
  );
  await healthz;
  const stats = await options.server.stats();
  return {
    latency: summarize(latencies),
    answered,
    errors,
    dropped,
    healthzMaxMs: round(healthzMaxMs),
    peakRssMb: stats.peakRssMb,
    eventLoopP99Ms: stats.eventLoop.p99,
    loadAverage: load,
  };
}

function connectFrom(url: string, localAddress: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, localAddress });
    socket.once('open', () => {
      socket.on('error', () => {});
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** `answer`, an error code, `timeout` (30 s) or `closed`. */
function ask(socket: WebSocket, id: string, question: string): Promise<string> {
  return new Promise((resolve) => {
    const finish = (result: string): void => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      resolve(result);
    };
    const onMessage = (data: RawData): void => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as { type: string; id?: string; code?: string };
      if (message.id !== id) return;
      if (message.type === 'answer') finish('answer');
      else if (message.type === 'error') finish(message.code ?? 'UNKNOWN');
    };
    const onClose = (): void => finish('closed');
    const timer = setTimeout(() => finish('timeout'), 30_000);
    socket.on('message', onMessage);
    socket.once('close', onClose);
    if (socket.readyState !== WebSocket.OPEN) return finish('closed');
    socket.send(JSON.stringify({ type: 'ask', id, question }));
  });
}

function startFloodClient(args: FloodClientArgs): Promise<FloodClientResult> {
  const child = fork(FLOOD_CLIENT, [JSON.stringify(args)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`flood client did not finish: ${stderr}`));
    }, args.durationMs + 60_000);
    child.on('message', (message: FloodClientResult) => {
      if (message.type !== 'done') return;
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => {
      if (code !== 0) {
        clearTimeout(timer);
        reject(new Error(`flood client exited with ${code}: ${stderr}`));
      }
    });
  });
}
