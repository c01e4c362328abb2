import type { ColdStartResult } from './cold-start.js';
import type { FloodResult } from './flood.js';
import type { IndexBuildResult, LargeCorpusResult, SingleClientResult } from './in-process.js';
import type { KillTestResult } from './kill-test.js';
import type { SoakResult } from './soak.js';
import type { TextbookResult } from './textbook-pipeline.js';
import type { WsLoadResult } from './ws-load.js';

/** Where and when a section was measured: numbers on a shared 2-core machine mean little without it. */
export interface RunContext {
  readonly at: string;
  readonly commit: string;
  readonly node: string;
  readonly cpus: string;
  /** 1-minute load average when the section started and ended (other processes included). */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly durationS: number;
}

export interface WsLevelResult extends WsLoadResult {
  /** Offered questions per second across all clients; undefined for closed loop (saturation). */
  readonly ratePerSecond: number | undefined;
  readonly eventLoop: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly peakRssMb: number;
  /** Texts per model call while this level ran. */
  readonly meanBatch: number;
  readonly loadAverage: number;
}

export interface DefaultRunResults {
  readonly context: RunContext;
  readonly workers: number;
  readonly coldStart: {
    readonly savedIndex: { readonly runs: readonly ColdStartResult[]; readonly medianHealthyMs: number; readonly medianFirstAnswerMs: number; readonly peakRssMb: number | undefined };
    readonly noIndex: ColdStartResult;
  };
  readonly indexBuild: {
    readonly article: IndexBuildResult;
    readonly x10: IndexBuildResult;
    /** The 100x index is built once and kept in the bench cache; `builtAt` says when this timing was taken. */
    readonly x100: IndexBuildResult & { readonly reused: boolean; readonly builtAt: string };
  };
  readonly singleClient: SingleClientResult;
  readonly textbook: TextbookResult;
  readonly ws: readonly WsLevelResult[];
  /** Answers over the loaded WebSocket compared with one-at-a-time in-process answers. */
  readonly identity: { readonly compared: number; readonly identical: number };
  readonly x100: LargeCorpusResult;
  /** The server process's lifetime peak RSS (kernel maxrss) after every WebSocket level. */
  readonly serverMaxRssMb: number;
}

export interface BenchResults {
  default?: DefaultRunResults;
  soak?: { readonly context: RunContext; readonly workers: number } & SoakResult;
  killTest?: { readonly context: RunContext } & KillTestResult;
  /** Issue 11: paced readers' latency and the server's RSS without and with a frame flood. */
  flood?: { readonly context: RunContext } & FloodResult;
}
