import { createWriteStream } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createEngine } from '../src/chat/create-engine.js';
import { createChatServer } from '../src/chat/server/create-chat-server.js';
import { loadConfig, type ServerConfig } from '../src/config.js';
import { LocalEmbeddings, LOCAL_EMBEDDINGS_MODEL_ID } from '../src/index/local-embeddings.js';
import { createConsoleLogger } from '../src/logger.js';

/**
 * The server under test, run as a child process of the bench (so the load generator's own work does
 * not show up as the server's event-loop lag): the real engine and the real chat server, configured
 * through a `ServerConfig` whose rate limits are raised for one loopback load generator. The defaults
 * in src/config.ts are untouched. Talks to the bench over the IPC channel:
 *
 *   -> {type:'listening', wsUrl, startupMs}
 *   <- {type:'reset'}   start a new measurement window (event-loop histogram, peak RSS)
 *   <- {type:'stats'}   -> {type:'stats', eventLoop, rssMb, peakRssMb, maxRssMb, batcher}
 *   <- {type:'close'}   graceful close, then exit 0
 */
export interface BenchServerArgs {
  readonly corpusDir: string;
  readonly dataDir: string;
  /** Embedding worker threads. */
  readonly workers: number;
  /** Server log (one line per answer, as in production); not stderr, which nobody drains. */
  readonly logFile: string;
  readonly answerCacheSize?: number;
  /** Keep every limit at its default (the flood bench): no raised rate limits. */
  readonly defaultLimits?: boolean;
}

export interface BenchServerStats {
  readonly type: 'stats';
  readonly eventLoop: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly rssMb: number;
  /** Highest RSS sampled (every 50 ms) since the last reset. */
  readonly peakRssMb: number;
  /** The process's lifetime peak RSS as the kernel counts it. */
  readonly maxRssMb: number;
  readonly batcher: { readonly calls: number; readonly texts: number };
}

async function main(): Promise<void> {
  const started = performance.now();
  const args = JSON.parse(process.argv[2] ?? '{}') as BenchServerArgs;
  const logStream = createWriteStream(args.logFile, { flags: 'a' });
  const logger = createConsoleLogger(logStream);
  const embeddings = new LocalEmbeddings({ workers: args.workers });
  const engine = await createEngine({
    corpusDir: args.corpusDir,
    dataDir: args.dataDir,
    embeddings,
    modelId: LOCAL_EMBEDDINGS_MODEL_ID,
    logger,
    ...(args.answerCacheSize === undefined ? {} : { answerCacheSize: args.answerCacheSize }),
  });
  await embeddings.ready();
  const config: ServerConfig = {
    ...loadConfig({}).server,
    host: '127.0.0.1',
    port: 0,
    // One load generator on one address stands in for thousands of readers on as many addresses.
    ...(args.defaultLimits === true ? {} : { rateLimitPerMinute: 100_000, maxConnectionsPerIp: 100_000, maxMessagesPerSecond: 100_000 }),
  };
  const server = await createChatServer({ engine, config, logger });

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  sampler.unref();

  process.on('message', (message: { type: string }) => {
    if (message.type === 'reset') {
      loop.reset();
      peakRss = process.memoryUsage.rss();
      process.send?.({ type: 'reset' });
    } else if (message.type === 'stats') {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      const stats: BenchServerStats = {
        type: 'stats',
        eventLoop: {
          p50: Math.round(loop.percentile(50) / 1e4) / 100,
          p99: Math.round(loop.percentile(99) / 1e4) / 100,
          max: Math.round(loop.max / 1e4) / 100,
        },
        rssMb: mb(process.memoryUsage.rss()),
        peakRssMb: mb(peakRss),
        maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
        batcher: { calls: 0, texts: 0 },
      };
      void embeddings.stats().then((batcher) => process.send?.({ ...stats, batcher }));
    } else if (message.type === 'close') {
      void (async () => {
        await server.close();
        await engine.close();
        await embeddings.close();
        logStream.end();
        process.exit(0);
      })();
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'listening', wsUrl: server.wsUrl, url: server.url, startupMs: Math.round(performance.now() - started) });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
