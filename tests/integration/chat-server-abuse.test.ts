import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AnswerMessage, ErrorMessage, ServerMessage } from '../../src/chat/server/ws-protocol.js';
import { createTestEngine, type TestEngine } from '../helpers/create-test-engine.js';
import { connectClient, slowEngine, startChatServer, type TestChatServer, type TestClient } from '../helpers/start-chat-server.js';

const isAnswer = (id: string) => (m: ServerMessage): m is AnswerMessage => m.type === 'answer' && m.id === id;
const isError = (id: string | null) => (m: ServerMessage): m is ErrorMessage => m.type === 'error' && m.id === id;
const QUESTION = 'Who is Kyrylo Budanov?';

/** A client whose handshake carries `headers` (what a reverse proxy adds). */
function connectWithHeaders(url: string, headers: Record<string, string>): Promise<TestClient> {
  return connectClient(url, { headers });
}

/** The HTTP status of a refused handshake, or 101 when it succeeded. */
function handshakeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.on('unexpected-response', (_req, res) => {
      socket.terminate();
      resolve(res.statusCode ?? 0);
    });
    socket.on('error', () => {});
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms))]);
}

describe('createChatServer under abuse', () => {
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

  describe('options.config.maxMessagesPerSecond', () => {
    it('closes a connection that floods one-byte frames with 1008 and a reason, after a few replies, and keeps serving others', async () => {
      server = await startChatServer({ engine: testEngine.engine });
      const flooder = await connectClient(server.wsUrl);
      const reader = await connectClient(server.wsUrl);
      for (let i = 0; i < 20_000 && flooder.socket.readyState === WebSocket.OPEN; i += 1) flooder.socket.send('x');
      const closed = await within(flooder.closed, 10_000, 'the flooder was not closed');
      expect(closed).toEqual({ code: 1008, reason: 'Too many messages' });
      // The burst (20 frames) was refused one by one, then one notice, then nothing.
      expect(flooder.messages.filter(isError(null)).map((m) => m.code)).toEqual([
        ...Array<string>(20).fill('PROTOCOL_NOT_JSON'),
        'PROTOCOL_TOO_MANY_MESSAGES',
      ]);
      reader.send({ type: 'ask', id: 'after', question: QUESTION });
      expect((await reader.waitFor(isAnswer('after'))).grounded).toBe(true);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(server.logger.lines.join('')).toMatch(/warn websocket flooding; closed connection=1 ip="127\.0\.0\.1" dropped=\d+/);
      reader.close();
    });

    it('counts pings as frames: answers them within the budget and closes a ping flood with 1008', async () => {
      server = await startChatServer({ engine: testEngine.engine });
      const client = await connectClient(server.wsUrl);
      let pongs = 0;
      client.socket.on('pong', () => (pongs += 1));
      client.socket.ping('one');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(pongs).toBe(1);
      for (let i = 0; i < 20_000 && client.socket.readyState === WebSocket.OPEN; i += 1) client.socket.ping();
      expect((await within(client.closed, 10_000, 'the ping flood was not closed')).code).toBe(1008);
      // The first ping, then at most a burst of 20 before the flood is cut.
      expect(pongs).toBeLessThanOrEqual(22);
    });

    it('drops frames over the budget unread, says so once, and takes frames again once the budget refills', async () => {
      server = await startChatServer({ engine: testEngine.engine, config: { maxMessagesPerSecond: 5 } });
      const client = await connectClient(server.wsUrl);
      for (let i = 0; i < 14; i += 1) client.send({ type: 'reset' });
      await client.waitFor(isError(null));
      await new Promise((resolve) => setTimeout(resolve, 300));
      // A burst of 10 (twice the rate) was taken; the rest were dropped with one notice; the queue cap (4) refused 6.
      const codes = client.messages.map((m) => (m.type === 'error' ? m.code : m.type));
      expect(codes.filter((c) => c === 'PROTOCOL_TOO_MANY_MESSAGES')).toHaveLength(1);
      expect(codes.filter((c) => c === 'reset').length + codes.filter((c) => c === 'PROTOCOL_BUSY').length).toBe(10);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      client.send({ type: 'ask', id: 'later', question: QUESTION });
      expect((await client.waitFor(isAnswer('later'))).grounded).toBe(true);
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
      client.close();
    });
  });

  describe('backpressure on replies', () => {
    it('stops sending refusals to a client that does not read once its buffer passes maxBufferedBytes', async () => {
      server = await startChatServer({ engine: testEngine.engine, config: { maxMessagesPerSecond: 1_000_000, maxBufferedBytes: 64 * 1024 } });
      const client = await connectClient(server.wsUrl);
      const raw = (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      raw.pause();
      const sent = 150_000;
      for (let i = 0; i < sent; i += 1) client.socket.send('x');
      await new Promise<void>((resolve) => client.socket.send('{"type":"ask"}', () => resolve()));
      await within(
        (async () => {
          while (!server!.logger.lines.some((line) => line.includes('websocket client not reading; replies skipped'))) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })(),
        60_000,
        'the server never skipped a reply',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      raw.resume();
      client.send({ type: 'ask', id: 'still-here', question: QUESTION });
      expect((await client.waitFor(isAnswer('still-here'), 60_000)).grounded).toBe(true);
      // Refusals the kernel's socket buffers held got through; the rest were never queued.
      expect(client.messages.filter(isError(null)).length).toBeLessThan(sent * 0.6);
      client.close();
    }, 150_000);
  });

  describe('reset', () => {
    it('counts against the queue cap: resets beyond WS_MAX_QUEUED_QUESTIONS get PROTOCOL_BUSY', async () => {
      server = await startChatServer({ engine: slowEngine(testEngine.engine, 100), config: { maxQueuedQuestions: 2 } });
      const client = await connectClient(server.wsUrl);
      client.send({ type: 'ask', id: 'slow', question: QUESTION });
      client.send({ type: 'reset' });
      client.send({ type: 'reset' });
      const busy = await client.waitFor(isError(null));
      expect(busy.code).toBe('PROTOCOL_BUSY');
      await client.waitFor(isAnswer('slow'));
      await client.waitFor((m) => m.type === 'reset');
      expect(client.messages.filter((m) => m.type === 'reset')).toHaveLength(1);
      client.close();
    });
  });

  describe('options.config.trustProxy', () => {
    it('ignores X-Forwarded-For and Forwarded from a peer that is not a trusted proxy', async () => {
      for (const trustProxy of [undefined, ['10.0.0.1']]) {
        server = await startChatServer({
          engine: testEngine.engine,
          config: { trustProxy, maxConnectionsPerIp: 1, rateLimitPerMinute: 5, ipRateLimitPerMinute: 1 },
        });
        const first = await connectWithHeaders(server.wsUrl, { 'x-forwarded-for': '198.51.100.1', forwarded: 'for=198.51.100.1' });
        // A different spoofed client from the same TCP peer is the same client: over the connection cap.
        expect(await handshakeStatus(server.wsUrl, { 'x-forwarded-for': '198.51.100.2', forwarded: 'for=198.51.100.2' })).toBe(429);
        first.send({ type: 'ask', id: 'a1', question: QUESTION });
        await first.waitFor(isAnswer('a1'));
        first.send({ type: 'ask', id: 'a2', question: QUESTION });
        expect((await first.waitFor(isError('a2'))).code).toBe('PROTOCOL_RATE_LIMITED');
        expect(server.logger.lines.join('')).toMatch(/question rate limited connection=\d+ ip="127\.0\.0\.1"/);
        first.close();
        await server.close();
        server = undefined;
      }
    });

    it('through a trusted proxy, gives 100 distinct clients their own connection cap and question quota', async () => {
      server = await startChatServer({
        engine: testEngine.engine,
        config: { trustProxy: ['loopback'], maxConnectionsPerIp: 1, rateLimitPerMinute: 5, ipRateLimitPerMinute: 1 },
      });
      // What nginx sends: whatever the client claimed, then the address it saw.
      const clients = await Promise.all(
        Array.from({ length: 100 }, (_, i) => connectWithHeaders(server!.wsUrl, { 'x-forwarded-for': `10.9.9.9, 203.0.113.${i + 1}` })),
      );
      for (const [i, client] of clients.entries()) client.send({ type: 'ask', id: `c${i}`, question: QUESTION });
      const answers = await Promise.all(clients.map((client, i) => client.waitFor(isAnswer(`c${i}`))));
      expect(answers.every((answer) => answer.grounded)).toBe(true);
      // Each has used its own quota of one; the spoofed left-most hop (shared by all) was never the key.
      clients[7]!.send({ type: 'ask', id: 'again', question: QUESTION });
      expect((await clients[7]!.waitFor(isError('again'))).code).toBe('PROTOCOL_RATE_LIMITED');
      expect(await handshakeStatus(server.wsUrl, { 'x-forwarded-for': '203.0.113.8' })).toBe(429);
      expect(await handshakeStatus(server.wsUrl, { 'x-forwarded-for': '203.0.113.200' })).toBe(101);
      expect(server.logger.lines.join('')).toMatch(/question rate limited connection=\d+ ip="203\.0\.113\.8"/);
      for (const client of clients) client.close();
    });

    it('reads RFC 7239 Forwarded when trustProxyHeader is forwarded', async () => {
      server = await startChatServer({
        engine: testEngine.engine,
        config: { trustProxy: ['127.0.0.1', '::1'], trustProxyHeader: 'forwarded', maxConnectionsPerIp: 1 },
      });
      const a = await connectWithHeaders(server.wsUrl, { forwarded: 'for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"' });
      expect(await handshakeStatus(server.wsUrl, { forwarded: 'for="[2001:db8::1]:9999"' })).toBe(429);
      expect(await handshakeStatus(server.wsUrl, { forwarded: 'for=192.0.2.60', 'x-forwarded-for': '2001:db8::1' })).toBe(101);
      a.close();
    });
  });

  describe('options.config.ipRateLimitPerMinute', () => {
    it('limits questions per client address separately from questions per connection', async () => {
      server = await startChatServer({ engine: testEngine.engine, config: { rateLimitPerMinute: 1, ipRateLimitPerMinute: 2 } });
      const first = await connectClient(server.wsUrl);
      first.send({ type: 'ask', id: 'f1', question: QUESTION });
      await first.waitFor(isAnswer('f1'));
      first.send({ type: 'ask', id: 'f2', question: QUESTION });
      expect((await first.waitFor(isError('f2'))).code).toBe('PROTOCOL_RATE_LIMITED');
      const second = await connectClient(server.wsUrl);
      second.send({ type: 'ask', id: 's1', question: QUESTION });
      await second.waitFor(isAnswer('s1'));
      const third = await connectClient(server.wsUrl);
      third.send({ type: 'ask', id: 't1', question: QUESTION });
      expect((await third.waitFor(isError('t1'))).code).toBe('PROTOCOL_RATE_LIMITED');
      for (const client of [first, second, third]) client.close();
    });
  });
});
