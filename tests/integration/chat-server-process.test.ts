import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnswerMessage, ServerMessage } from '../../src/chat/server/ws-protocol.js';
import { REPO_ROOT } from '../helpers/create-test-engine.js';
import { connectClient } from '../helpers/start-chat-server.js';

/** `npm start` as a real process: what an operator runs and what a supervisor signals. */
describe('npm start (src/main.ts)', () => {
  let child: ChildProcess | undefined;
  let dataDir: string | undefined;

  afterAll(async () => {
    child?.kill('SIGKILL');
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the article and the chat, and exits 0 on SIGTERM after closing sockets with 1001', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'nqa-start-'));
    const proc = spawn(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SLACK_SIGNING_SECRET: '', LLM_PROVIDER: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    let log = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));

    const url = await waitFor(() => /info listening url="(http:\/\/[^"]+)\/"/.exec(log)?.[1], 60_000, () => log);
    await waitFor(async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined), 90_000, () => log);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="p68"');

    const client = await connectClient(`${url.replace('http', 'ws')}/ws`);
    client.send({ type: 'ask', id: 'q1', question: 'Who is Kyrylo Budanov?' });
    const answer = (await client.waitFor((m: ServerMessage) => m.type === 'answer')) as AnswerMessage;
    expect(answer.citations.map((c) => c.paragraph)).toContain(12);

    proc.kill('SIGTERM');
    expect((await client.closed).code).toBe(1001);
    expect(await exited).toBe(0);
    expect(log).toContain('stopping signal="SIGTERM"');
    expect(log).toContain('server closed');
    expect(log).not.toContain('Who is Kyrylo Budanov?');
  });
});

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, context: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; server log:\n${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
