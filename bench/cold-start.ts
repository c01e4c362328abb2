import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { connect } from './ws-load.js';
import { sleep } from './stats.js';

export interface ColdStartResult {
  /** From spawning `tsx src/main.ts` (what `npm start` runs) to the first 200 from `/healthz`. */
  readonly healthyMs: number;
  /** From spawn to the first answer of a question sent as soon as the server was healthy. */
  readonly firstAnswerMs: number;
  /** The server process's peak RSS (VmHWM) when it was stopped. */
  readonly peakRssMb: number | undefined;
}

/**
 * Starts the real composition root (`src/main.ts` under tsx, exactly as `npm start`, without npm's own
 * start-up) on a free loopback port with the given data directory, waits for `/healthz`, asks one
 * question over the WebSocket, reads the peak RSS, and stops it with SIGTERM. Gives up after 180 s.
 */
export async function measureColdStart(options: {
  readonly repoRoot: string;
  readonly corpusDir: string;
  readonly dataDir: string;
  readonly question: string;
}): Promise<ColdStartResult> {
  const started = performance.now();
  const child = spawn(path.join(options.repoRoot, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: options.repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CORPUS_DIR: options.corpusDir, DATA_DIR: options.dataDir, HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const deadline = started + 180_000;
    let url: string | undefined;
    while (url === undefined) {
      if (performance.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${log.slice(-2000)}`);
      url = /listening url="(http:\/\/[^"]+?)\/?"/.exec(log)?.[1];
      if (url === undefined) await sleep(5);
    }
    while (true) {
      if (performance.now() > deadline || child.exitCode !== null) throw new Error(`server never became healthy: ${log.slice(-2000)}`);
      const healthy = await fetch(`${url}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (healthy) break;
      await sleep(10);
    }
    const healthyMs = performance.now() - started;
    const socket = await connect(`${url.replace(/^http/, 'ws')}/ws`);
    const answered = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        if ((JSON.parse(data.toString()) as { type: string }).type !== 'delta') resolve();
      });
    });
    socket.send(JSON.stringify({ type: 'ask', id: 'cold', question: options.question }));
    await answered;
    const firstAnswerMs = performance.now() - started;
    socket.terminate();
    return { healthyMs: Math.round(healthyMs), firstAnswerMs: Math.round(firstAnswerMs), peakRssMb: await peakRssOfTree(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** VmHWM of the process or, for the tsx launcher, of its node child (the real server). */
async function peakRssOfTree(pid: number): Promise<number | undefined> {
  const hwm = async (p: number): Promise<number | undefined> => {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 102.4) / 10;
  };
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean);
  const values = await Promise.all([pid, ...children.map(Number)].map(hwm));
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : Math.max(...known);
}
