import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Engine } from '../../src/chat/engine-types.js';
import type { AnswerMessage, DeltaMessage, ErrorMessage, ServerMessage } from '../../src/chat/server/ws-protocol.js';
import { createTestEngine, type TestEngine } from '../helpers/create-test-engine.js';
import { connectClient, slowEngine, startChatServer, type TestChatServer } from '../helpers/start-chat-server.js';

const isAnswer = (id: string) => (m: ServerMessage): m is AnswerMessage => m.type === 'answer' && m.id === id;
const isError = (id: string) => (m: ServerMessage): m is ErrorMessage => m.type === 'error' && m.id === id;
const isDelta = (id: string) => (m: ServerMessage): m is DeltaMessage => m.type === 'delta' && m.id === id;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers with `count` deltas of `size` characters each, all at once (a flood for backpressure). */
function floodingEngine(engine: Engine, count: number, size: number): Engine {
  return {
    ...engine,
    articles: engine.articles,
    article: (slug) => engine.article(slug),
    async ask(question, options = {}) {
      const real = await engine.ask(question, options.article === undefined ? {} : { article: options.article });
      const chunk = 'x'.repeat(size);
      // One chunk per turn of the event loop, as a streaming model's tokens come.
      for (let i = 0; i < count; i += 1) {
        options.onDelta?.(chunk);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return { ...real, answer: chunk.repeat(count) };
    },
  };
}

describe('createChatServer lifecycle', () => {
  let testEngine: TestEngine;
  let server: TestChatServer | undefined;

  beforeAll(async () => {
    testEngine = await createTestEngine();
  });
  afterAll(async () => {
    await testEngine.cleanup();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('#close', () => {
    it('lets the answer in flight finish, then closes sockets with 1001 and stops listening', async () => {
      const engine = slowEngine(testEngine.engine, 20);
      server = await startChatServer({ engine });
      const client = await connectClient(server.wsUrl);
      client.send({ type: 'ask', id: 'inflight', question: 'How many additional troops could North Korea send?' });
      await client.waitFor(isDelta('inflight'));
      const closing = server.close();
      // A question sent while draining is refused; the one in flight still completes.
      client.send({ type: 'ask', id: 'late', question: 'Who is Vlad?' });
      expect((await client.waitFor(isError('late'))).code).toBe('SERVER_SHUTTING_DOWN');
      const answer = await client.waitFor(isAnswer('inflight'));
      expect(answer.citations.map((c) => c.paragraph)).toContain(8);
      expect(await client.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
      await closing;
      expect(server.health).toBe('stopping');
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
      expect(engine.aborted).toEqual([]);
    });

    it('aborts answers still running when the grace period is over and tells the client', async () => {
      const engine = slowEngine(testEngine.engine, 400);
      server = await startChatServer({ engine, config: { shutdownGraceMs: 150 } });
      const client = await connectClient(server.wsUrl);
      client.send({ type: 'ask', id: 'slow', question: 'How many additional troops could North Korea send?' });
      await sleep(50);
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await client.waitFor(isError('slow'))).code).toBe('SERVER_SHUTTING_DOWN');
      expect((await client.closed).code).toBe(1001);
      expect(engine.aborted).toHaveLength(1);
      expect(server.logger.lines.join('')).toContain('shutdown grace period over');
    });

    it('is idempotent', async () => {
      server = await startChatServer({ engine: testEngine.engine });
      const first = server.close();
      expect(server.close()).toBe(first);
      await first;
    });
  });

  it('stops the work of a client that disconnects mid-answer and keeps serving others', async () => {
    const engine = slowEngine(testEngine.engine, 30);
    server = await startChatServer({ engine });
    const client = await connectClient(server.wsUrl);
    client.send({ type: 'ask', id: 'gone', question: 'How many additional troops could North Korea send?' });
    await client.waitFor(isDelta('gone'));
    client.socket.terminate();
    await client.closed;
    await sleep(150);
    expect(engine.aborted).toEqual(['How many additional troops could North Korea send?']);
    expect(server.logger.lines.join('')).toContain('answer abandoned');
    expect(server.logger.lines.join('')).not.toContain('answer failed');
    const next = await connectClient(server.wsUrl);
    next.send({ type: 'ask', id: 'next', question: 'Who is Kyrylo Budanov?' });
    expect((await next.waitFor(isAnswer('next'))).grounded).toBe(true);
    next.close();
  });

  it('refuses questions beyond maxQueuedQuestions on one connection with PROTOCOL_BUSY', async () => {
    server = await startChatServer({ engine: slowEngine(testEngine.engine, 20), config: { maxQueuedQuestions: 2 } });
    const client = await connectClient(server.wsUrl);
    for (const id of ['b1', 'b2', 'b3']) client.send({ type: 'ask', id, question: 'Who is Vlad?' });
    expect((await client.waitFor(isError('b3'))).code).toBe('PROTOCOL_BUSY');
    await client.waitFor(isAnswer('b1'));
    await client.waitFor(isAnswer('b2'));
    // Answers arrive in the order asked.
    const answers = client.messages.filter((m) => m.type === 'answer').map((m) => (m as AnswerMessage).id);
    expect(answers).toEqual(['b1', 'b2']);
    client.close();
  });

  it('terminates peers that do not answer pings and keeps the ones that do', async () => {
    server = await startChatServer({ engine: testEngine.engine, config: { pingIntervalMs: 100 } });
    const healthy = await connectClient(server.wsUrl);
    const silent = new WebSocket(server.wsUrl, { autoPong: false });
    const silentClosed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    await new Promise((resolve) => silent.once('open', resolve));
    expect(await silentClosed).toBe(1006);
    await sleep(250);
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
    expect(server.logger.lines.join('')).toContain('missed a pong');
    healthy.close();
  });

  it('stops streaming deltas to a client whose buffer passes maxBufferedBytes, and still sends the answer', async () => {
    const count = 400;
    const size = 16 * 1024;
    server = await startChatServer({
      engine: floodingEngine(testEngine.engine, count, size),
      config: { maxBufferedBytes: 64 * 1024 },
    });
    const client = await connectClient(server.wsUrl);
    // Stop reading so the server's writes back up.
    const raw = (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    client.send({ type: 'ask', id: 'flood', question: 'Who is Kyrylo Budanov?' });
    raw.pause();
    await sleep(300);
    raw.resume();
    const answer = await client.waitFor(isAnswer('flood'), 30_000);
    expect(answer.answer).toHaveLength(count * size);
    const deltas = client.messages.filter(isDelta('flood'));
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.length).toBeLessThan(count);
    expect(server.logger.lines.join('')).toMatch(/deltasSkipped=\d+/);
    client.close();
  });
});
