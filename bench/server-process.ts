import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchServerArgs, BenchServerStats } from './bench-server.js';

const SERVER_ENTRY = fileURLToPath(new URL('./bench-server.ts', import.meta.url));

/** The parent's handle on a `bench-server.ts` child. */
export interface ServerProcess {
  readonly wsUrl: string;
  readonly url: string;
  readonly pid: number;
  readonly startupMs: number;
  /** Starts a new measurement window. */
  reset(): Promise<void>;
  stats(): Promise<BenchServerStats>;
  /** Graceful close; SIGKILL if it has not exited within 15 s. */
  close(): Promise<void>;
}

/** Forks the server under test (node + the tsx loader, plus `nodeArgs` such as `--cpu-prof`) and waits until it listens; 120 s at most. */
export async function startServerProcess(args: BenchServerArgs, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  const child = fork(SERVER_ENTRY, [JSON.stringify(args)], {
    execArgv: ['--import', 'tsx', ...nodeArgs],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const listening = await new Promise<{ wsUrl: string; url: string; startupMs: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench server did not listen within 120 s: ${stderr}`));
    }, 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited with code ${code}: ${stderr}`));
    });
    child.on('message', (message: { type: string; wsUrl: string; url: string; startupMs: number }) => {
      if (message.type !== 'listening') return;
      clearTimeout(timer);
      resolve(message);
    });
  });
  return {
    ...listening,
    pid: child.pid!,
    reset: () => request(child, { type: 'reset' }, 'reset').then(() => undefined),
    stats: () => request<BenchServerStats>(child, { type: 'stats' }, 'stats'),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function request<T>(child: ChildProcess, message: { type: string }, reply: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench server did not answer "${message.type}" within 10 s`)), 10_000);
    const onMessage = (answer: { type: string }): void => {
      if (answer.type !== reply) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(answer as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}
