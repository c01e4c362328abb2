import type { WebSocket } from 'ws';
import type { ServerProcess } from './server-process.js';
import { connect, runWsLoad, type WsLoadResult } from './ws-load.js';
import { round, sleep } from './stats.js';

export interface SoakOptions {
  readonly server: ServerProcess;
  readonly seconds: number;
  readonly nextQuestion: () => string;
  /** Steady closed-loop readers; default 50. */
  readonly steadyClients?: number;
}

export interface SoakResult {
  readonly seconds: number;
  readonly steady: WsLoadResult;
  /** Connections cut (TCP reset, no close frame) right after asking. */
  readonly abruptDisconnects: number;
  /** Questions the non-reading client sent, and what its socket looked like at the end. */
  readonly stalledReader: { readonly questionsSent: number; readonly closedByServer: boolean };
  /** Connections opened by the reconnect storms, and how many of their questions were answered. */
  readonly storms: { readonly connections: number; readonly answered: number; readonly failedConnections: number; readonly dropped: number };
  /** Server RSS after warm-up, at the end, and the highest sampled; growth = end - start. */
  readonly rss: { readonly startMb: number; readonly endMb: number; readonly peakMb: number; readonly growthMb: number; readonly samplesMb: readonly number[] };
  readonly eventLoopP99Ms: number;
}

/**
 * The soak: `seconds` of steady load from closed-loop readers while, alongside, readers disconnect
 * abruptly mid-answer (every 2 s), one reader asks and never reads its socket, and every 60 s (the first
 * at 30 s) a storm of 200 connections opens at once, asks once each and drops. Every loop is bounded by the deadline;
 * all traffic stays on loopback.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { server } = options;
  const deadline = performance.now() + options.seconds * 1000;
  await server.reset();
  const samples: number[] = [];
  let startMb: number | undefined;
  const sampler = (async () => {
    const warmUntil = performance.now() + Math.min(20_000, options.seconds * 100);
    while (performance.now() < deadline) {
      await sleep(5000);
      const stats = await server.stats();
      samples.push(stats.rssMb);
      if (startMb === undefined && performance.now() >= warmUntil) startMb = stats.rssMb;
    }
  })();

  const steady = runWsLoad({
    wsUrl: server.wsUrl,
    clients: options.steadyClients ?? 50,
    nextQuestion: options.nextQuestion,
    durationMs: options.seconds * 1000,
  });

  let abruptDisconnects = 0;
  const disconnectors = (async () => {
    while (performance.now() < deadline - 2000) {
      await Promise.all(
        Array.from({ length: 5 }, async () => {
          const socket = await connect(server.wsUrl).catch(() => undefined);
          if (socket === undefined) return;
          socket.send(JSON.stringify({ type: 'ask', id: 'gone', question: options.nextQuestion() }));
          await sleep(5 + Math.random() * 20);
          socket.terminate();
          abruptDisconnects += 1;
        }),
      );
      await sleep(2000);
    }
  })();

  const stalled = (async () => {
    const socket = await connect(server.wsUrl);
    // Stop reading at the TCP level: the server's writes pile up in its buffers, as with a frozen tab.
    (socket as WebSocket & { _socket: { pause(): void } })._socket.pause();
    let questionsSent = 0;
    while (performance.now() < deadline - 1000) {
      socket.send(JSON.stringify({ type: 'ask', id: `s${questionsSent}`, question: options.nextQuestion() }));
      questionsSent += 1;
      await sleep(250);
    }
    // The server should have cut this reader (it misses every pong); resuming shows whether it did.
    const closedByServer = await new Promise<boolean>((resolve) => {
      if (socket.readyState !== socket.OPEN) return resolve(true);
      const timer = setTimeout(() => resolve(false), 3000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
      (socket as WebSocket & { _socket: { resume(): void } })._socket.resume();
    });
    socket.terminate();
    return { questionsSent, closedByServer };
  })();

  const storms = (async () => {
    const totals = { connections: 0, answered: 0, failedConnections: 0, dropped: 0 };
    const startedAt = performance.now();
    const first = Math.min(30_000, (options.seconds * 1000) / 3);
    for (let at = first; startedAt + at + 5000 < deadline; at += 60_000) {
      await sleep(Math.max(0, startedAt + at - performance.now()));
      const storm = await runWsLoad({ wsUrl: server.wsUrl, clients: 200, nextQuestion: options.nextQuestion, questionsPerClient: 1 });
      totals.connections += storm.clients;
      totals.answered += storm.answered;
      totals.failedConnections += storm.failedConnections;
      totals.dropped += storm.dropped;
    }
    return totals;
  })();

  const [steadyResult, , stalledResult, stormResult] = await Promise.all([steady, disconnectors, stalled, storms, sampler]);
  const end = await server.stats();
  const first = startMb ?? samples[0] ?? end.rssMb;
  return {
    seconds: options.seconds,
    steady: steadyResult,
    abruptDisconnects,
    stalledReader: stalledResult,
    storms: stormResult,
    rss: {
      startMb: first,
      endMb: end.rssMb,
      peakMb: end.peakRssMb,
      growthMb: round(end.rssMb - first),
      samplesMb: samples,
    },
    eventLoopP99Ms: end.eventLoop.p99,
  };
}
