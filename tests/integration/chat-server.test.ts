import { Script } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AskOptions, Engine } from '../../src/chat/engine-types.js';
import { createDeferredRoute } from '../../src/chat/server/deferred-route.js';
import type { HttpRoute } from '../../src/chat/server/http-route.js';
import type { AnswerMessage, DeltaMessage, ErrorMessage, ServerMessage } from '../../src/chat/server/ws-protocol.js';
import { isBareQuoteFragment, STARTER_MIN_CONFIDENCE } from '../../src/chat/server/suggest-starter-questions.js';
import { ARTICLE_SLUG, createTestEngine, type TestEngine } from '../helpers/create-test-engine.js';
import { connectClient, startChatServer, type TestChatServer } from '../helpers/start-chat-server.js';

const isAnswer = (id: string) => (m: ServerMessage): m is AnswerMessage => m.type === 'answer' && m.id === id;
const isError = (id: string | null) => (m: ServerMessage): m is ErrorMessage => m.type === 'error' && m.id === id;

/** Records the options of every ask, then delegates to the real engine. */
function recordingEngine(engine: Engine, calls: AskOptions[]): Engine {
  return {
    ...engine,
    articles: engine.articles,
    article: (slug) => engine.article(slug),
    ask: (question, options = {}) => {
      calls.push(options);
      return engine.ask(question, options);
    },
  };
}

/** Expect the handshake to be refused with this HTTP status. */
function expectHandshakeStatus(url: string, headers: Record<string, string>, status: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      reject(new Error(`handshake succeeded, expected ${status}`));
    });
    socket.on('unexpected-response', (_req, res) => {
      try {
        expect(res.statusCode).toBe(status);
        resolve();
      } catch (error) {
        reject(error as Error);
      } finally {
        socket.terminate();
      }
    });
    socket.on('error', () => {});
  });
}

describe('createChatServer', () => {
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

  describe('HTTP routes', () => {
    it('answers /healthz with 503 until the engine promise resolves, then 200', async () => {
      let resolveEngine!: (engine: Engine) => void;
      server = await startChatServer({ engine: new Promise<Engine>((resolve) => (resolveEngine = resolve)) });
      const before = await fetch(`${server.url}/healthz`);
      expect(before.status).toBe(503);
      expect(await before.json()).toEqual({ status: 'starting' });
      expect((await fetch(`${server.url}/`)).status).toBe(503);
      expect((await fetch(`${server.url}/api/articles`)).status).toBe(503);

      const client = await connectClient(server.wsUrl);
      client.send({ type: 'ask', id: 'early', question: 'How many troops?' });
      expect((await client.waitFor(isError('early'))).code).toBe('NOT_READY');

      resolveEngine(testEngine.engine);
      await new Promise((resolve) => setImmediate(resolve));
      const after = await fetch(`${server.url}/healthz`);
      expect(after.status).toBe(200);
      expect(await after.json()).toEqual({ status: 'ready', articles: 1 });
      client.close();
    });

    it('renders the article page with anchors, ¶ numbers, sections, captions and the widget script', async () => {
      server = await startChatServer({ engine: testEngine.engine });
      const response = await fetch(`${server.url}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await response.text();
      expect(html).toContain('<h1>North Koreans fighting for Russia against Ukraine have grown skilled in drone warfare</h1>');
      expect(html).toContain('<h2>Early deployments</h2>');
      expect(html).toContain('<h2>&quot;We hoped he would survive&quot;</h2>');
      expect(response.url).toBe(`${server.url}/articles/${ARTICLE_SLUG}`);
      expect(html).toMatch(/<p class="para" id="p12"><a class="pnum" href="\/articles\/nk-troops-drone-warfare#p12" data-cite-skip[^>]*>¶12<\/a>Ukraine&#39;s military intelligence chief/);
      expect(html).toMatch(/<figure class="photo" id="p1">.*¶1<\/a>Ukraine&#39;s special forces.*Anton Shtuka for NPR/);
      expect(html).toContain('<article class="story" data-article="nk-troops-drone-warfare">');
      expect(html).toContain('<script src="/widget.js" data-article="nk-troops-drone-warfare" defer></script>');
      expect(html.match(/ id="p\d+"/g)).toHaveLength(68);
      expect((await fetch(`${server.url}/articles/${ARTICLE_SLUG}`)).status).toBe(200);
      expect((await fetch(`${server.url}/articles/no-such-story`)).status).toBe(404);
    });

    it('serves the articles and paragraphs as JSON, with starter questions the engine can answer', async () => {
      server = await startChatServer({ engine: testEngine.engine, maxQuestionChars: 500 });
      const list = (await (await fetch(`${server.url}/api/articles`)).json()) as {
        articles: { slug: string; paragraphCount: number; starterQuestions: string[] }[];
        maxQuestionChars: number;
      };
      expect(list.maxQuestionChars).toBe(500);
      expect(list.articles.map((a) => [a.slug, a.paragraphCount])).toEqual([[ARTICLE_SLUG, 68]]);
      const starters = list.articles[0]?.starterQuestions ?? [];
      expect(starters.length).toBeGreaterThanOrEqual(2);
      for (const question of starters) {
        const answer = await testEngine.engine.ask(question, { article: ARTICLE_SLUG });
        expect(answer.grounded).toBe(true);
        expect(answer.confidence).toBeGreaterThanOrEqual(STARTER_MIN_CONFIDENCE);
        expect(isBareQuoteFragment(answer)).toBe(false);
        // Chosen from questions the engine answers, not built from the section headings.
        expect(testEngine.engine.article(ARTICLE_SLUG)?.sections.some((heading) => question.includes(heading.toLowerCase()))).toBe(false);
      }

      const response = await fetch(`${server.url}/api/articles/${ARTICLE_SLUG}/paragraphs`);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const body = (await response.json()) as { paragraphs: { id: string; number: number; kind: string; credit?: string }[] };
      expect(body.paragraphs).toHaveLength(68);
      expect(body.paragraphs[0]).toMatchObject({ id: 'p1', number: 1, kind: 'caption', credit: 'Anton Shtuka for NPR' });

      const missing = await fetch(`${server.url}/api/articles/nope/paragraphs`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('ARTICLE_NOT_FOUND');
    });

    it('serves /widget.js as one parseable classic script without innerHTML, revalidated by ETag', async () => {
      server = await startChatServer({ engine: testEngine.engine });
      const response = await fetch(`${server.url}/widget.js`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      const code = await response.text();
      expect(() => new Script(code)).not.toThrow();
      expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      expect(code).not.toMatch(/\bexport\b|\bimport\s/);
      const etag = response.headers.get('etag') ?? '';
      const again = await fetch(`${server.url}/widget.js`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
    });

    it('tries extra routes first, answers 404 and 405, and survives a route that throws', async () => {
      server = await startChatServer({
        engine: testEngine.engine,
        routes: [
          async (req, res) => {
            if (req.url === '/boom') throw new Error('route exploded');
            if (req.url !== '/extra') return false;
            res.end('extra');
            return true;
          },
        ],
      });
      expect(await (await fetch(`${server.url}/extra`)).text()).toBe('extra');
      expect((await fetch(`${server.url}/boom`)).status).toBe(500);
      expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
      const post = await fetch(`${server.url}/healthz`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(server.logger.lines.join('')).toContain('http route failed');
    });
    it('answers 503 on a deferred route until it is ready, then hands its paths to it', async () => {
      let resolveRoute!: (route: HttpRoute) => void;
      const route = new Promise<HttpRoute>((resolve) => (resolveRoute = resolve));
      server = await startChatServer({
        engine: testEngine.engine,
        routes: [createDeferredRoute({ route, paths: ['/slack/events'] })],
      });
      const early = await fetch(`${server.url}/slack/events`, { method: 'POST', body: '{}' });
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('5');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      resolveRoute(async (req, res) => {
        if (req.url !== '/slack/events') return false;
        res.end('slack');
        return true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(await (await fetch(`${server.url}/slack/events`, { method: 'POST', body: '{}' })).text()).toBe('slack');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });
  });

  describe('WebSocket /ws', () => {
    it('sends an answer made all at once as exactly one answer frame, with no delta repeating it', async () => {
      server = await startChatServer({ engine: testEngine.engine });
      const client = await connectClient(server.wsUrl);
      const question = 'How many additional troops could North Korea send?';
      client.send({ type: 'ask', id: 'q1', question, article: ARTICLE_SLUG });
      const answer = await client.waitFor(isAnswer('q1'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const forQ1 = client.messages.filter((m) => 'id' in m && m.id === 'q1');
      expect(forQ1.filter((m) => m.type === 'answer')).toHaveLength(1);
      expect(forQ1.at(-1)).toBe(answer);
      const deltas = forQ1.filter((m): m is DeltaMessage => m.type === 'delta');
      // The extractive answer is whole at once: not a frame per word, and no delta at all besides the answer.
      expect(deltas).toEqual([]);
      expect(answer.grounded).toBe(true);
      expect(answer.citations.map((c) => c.paragraph)).toContain(8);
      for (const citation of answer.citations) {
        expect(citation.id).toBe(`p${citation.paragraph}`);
        expect(citation.article).toBe(ARTICLE_SLUG);
        expect(citation.text).toContain(citation.quote);
        expect(answer.answer).toContain(`[¶${citation.paragraph}]`);
      }
      expect(server.logger.lines.join('')).not.toContain(question);
      client.close();
    });

    it('sends deltas that arrive over several ticks (an LLM stream) as they come, one frame per tick, before the answer', async () => {
      const ticks = [['The ', 'article '], ['says ', 'so '], ['[¶8].']];
      const streaming: Engine = {
        ...testEngine.engine,
        articles: testEngine.engine.articles,
        article: (slug) => testEngine.engine.article(slug),
        async ask(question, options = {}) {
          const real = await testEngine.engine.ask(question, options.article === undefined ? {} : { article: options.article });
          for (const pieces of ticks) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            for (const piece of pieces) options.onDelta?.(piece);
          }
          return { ...real, answer: ticks.flat().join('') };
        },
      };
      server = await startChatServer({ engine: streaming });
      const client = await connectClient(server.wsUrl);
      client.send({ type: 'ask', id: 's1', question: 'How many additional troops could North Korea send?', article: ARTICLE_SLUG });
      const answer = await client.waitFor(isAnswer('s1'));
      const forS1 = client.messages.filter((m) => 'id' in m && m.id === 's1');
      expect(forS1.map((m) => (m.type === 'delta' ? m.text : m.type))).toEqual(['The article ', 'says so ', '[¶8].', 'answer']);
      expect(answer.answer).toBe('The article says so [¶8].');
      client.close();
    });

    it('refuses each bad frame with its own code and keeps the connection usable', async () => {
      server = await startChatServer({ engine: testEngine.engine, maxQuestionChars: 50 });
      const client = await connectClient(server.wsUrl);
      const cases: [frame: string | Buffer, code: string, id: string | null][] = [
        ['not json {', 'PROTOCOL_NOT_JSON', null],
        ['[1,2]', 'PROTOCOL_NOT_OBJECT', null],
        ['42', 'PROTOCOL_NOT_OBJECT', null],
        ['null', 'PROTOCOL_NOT_OBJECT', null],
        ['{"type":"shout","id":"u1"}', 'PROTOCOL_UNKNOWN_TYPE', 'u1'],
        ['{"id":"u2"}', 'PROTOCOL_UNKNOWN_TYPE', 'u2'],
        ['{"type":"ask","question":"who?"}', 'PROTOCOL_BAD_ID', null],
        ['{"type":"ask","id":7,"question":"who?"}', 'PROTOCOL_BAD_ID', null],
        ['{"type":"ask","id":"m1"}', 'PROTOCOL_BAD_QUESTION', 'm1'],
        ['{"type":"ask","id":"m2","question":42}', 'PROTOCOL_BAD_QUESTION', 'm2'],
        ['{"type":"ask","id":"m3","question":"   "}', 'PROTOCOL_BAD_QUESTION', 'm3'],
        [JSON.stringify({ type: 'ask', id: 'm4', question: 'x'.repeat(51) }), 'PROTOCOL_QUESTION_TOO_LONG', 'm4'],
        ['{"type":"ask","id":"m5","question":"who?","article":5}', 'PROTOCOL_BAD_ARTICLE', 'm5'],
        ['{"type":"ask","id":"m6","question":"who?","article":"no-such-story"}', 'QUESTION_UNKNOWN_ARTICLE', 'm6'],
        [Buffer.from('{"type":"ask"}'), 'PROTOCOL_BINARY', null],
      ];
      for (const [frame, code, id] of cases) {
        const before = client.messages.length;
        client.socket.send(frame);
        const error = await client.waitFor((m) => client.messages.indexOf(m) >= before && m.type === 'error');
        expect(error, `frame ${String(frame)}`).toMatchObject({ type: 'error', code, id });
        expect((error as ErrorMessage).message.length).toBeGreaterThan(20);
      }
      client.send({ type: 'ask', id: 'ok', question: 'Who is Kyrylo Budanov?' });
      expect((await client.waitFor(isAnswer('ok'))).grounded).toBe(true);
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
      client.close();
    });

    it('closes a connection that sends a frame over maxPayloadBytes with 1009 and keeps serving others', async () => {
      server = await startChatServer({ engine: testEngine.engine });
      const client = await connectClient(server.wsUrl);
      client.send({ type: 'ask', id: 'big', question: 'x'.repeat(64 * 1024) });
      expect((await client.closed).code).toBe(1009);
      const next = await connectClient(server.wsUrl);
      next.send({ type: 'ask', id: 'after', question: 'Who is Kyrylo Budanov?' });
      expect((await next.waitFor(isAnswer('after'))).citations.length).toBeGreaterThan(0);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      next.close();
    });

    it('rate limits questions per connection and per IP with PROTOCOL_RATE_LIMITED', async () => {
      server = await startChatServer({ engine: testEngine.engine, config: { rateLimitPerMinute: 3 } });
      const first = await connectClient(server.wsUrl);
      for (const id of ['r1', 'r2', 'r3']) {
        first.send({ type: 'ask', id, question: 'Who is Kyrylo Budanov?' });
        await first.waitFor(isAnswer(id));
      }
      first.send({ type: 'ask', id: 'r4', question: 'Who is Kyrylo Budanov?' });
      const limited = await first.waitFor(isError('r4'));
      expect(limited.code).toBe('PROTOCOL_RATE_LIMITED');
      expect(limited.message).toMatch(/wait \d+ s/);
      // A fresh connection from the same address shares the per-IP budget.
      const second = await connectClient(server.wsUrl);
      second.send({ type: 'ask', id: 's1', question: 'Who is Kyrylo Budanov?' });
      expect((await second.waitFor(isError('s1'))).code).toBe('PROTOCOL_RATE_LIMITED');
      // Refused frames still leave the connection usable.
      second.send({ type: 'reset' });
      expect(await second.waitFor((m) => m.type === 'reset')).toEqual({ type: 'reset', ok: true });
      first.close();
      second.close();
    });

    it('keeps a bounded conversation per connection and forgets it on reset', async () => {
      const calls: AskOptions[] = [];
      server = await startChatServer({
        engine: recordingEngine(testEngine.engine, calls),
        config: { maxHistoryTurns: 2 },
      });
      const client = await connectClient(server.wsUrl);
      const questions = ['Who is Vlad?', 'How old is he?', 'What did he notice?', 'Who is Andriy?'];
      for (const [i, question] of questions.entries()) {
        client.send({ type: 'ask', id: `h${i}`, question });
        await client.waitFor(isAnswer(`h${i}`));
      }
      expect(calls.map((c) => c.history?.length)).toEqual([0, 1, 2, 2]);
      expect(calls[3]?.history?.map((turn) => turn.question)).toEqual(['How old is he?', 'What did he notice?']);
      client.send({ type: 'reset' });
      expect(await client.waitFor((m) => m.type === 'reset')).toEqual({ type: 'reset', ok: true });
      client.send({ type: 'ask', id: 'after-reset', question: 'Who is Vlad?' });
      await client.waitFor(isAnswer('after-reset'));
      expect(calls.at(-1)?.history).toEqual([]);
      // Another connection is another conversation.
      const other = await connectClient(server.wsUrl);
      other.send({ type: 'ask', id: 'o1', question: 'Who is Vlad?' });
      await other.waitFor(isAnswer('o1'));
      expect(calls.at(-1)?.history).toEqual([]);
      client.close();
      other.close();
    });

    it('turns an answer that crashes into INTERNAL for that question only, logged with its cause', async () => {
      const crashing: Engine = {
        ...testEngine.engine,
        articles: testEngine.engine.articles,
        article: (slug) => testEngine.engine.article(slug),
        ask: (question, options) =>
          question.includes('crash')
            ? Promise.reject(new Error('index exploded', { cause: new Error('disk on fire') }))
            : testEngine.engine.ask(question, options),
      };
      server = await startChatServer({ engine: crashing });
      const client = await connectClient(server.wsUrl);
      client.send({ type: 'ask', id: 'c1', question: 'please crash now' });
      const error = await client.waitFor(isError('c1'));
      expect(error.code).toBe('INTERNAL');
      expect(error.message).not.toContain('exploded');
      const log = server.logger.lines.join('');
      expect(log).toContain('answer failed');
      expect(log).toContain('reason="index exploded"');
      expect(log).toContain('cause="disk on fire"');
      expect(log).not.toContain('please crash now');
      client.send({ type: 'ask', id: 'c2', question: 'Who is Kyrylo Budanov?' });
      expect((await client.waitFor(isAnswer('c2'))).grounded).toBe(true);
      client.close();
    });

    it('refuses handshakes from other origins, allows same origin, listed origins and non-browser clients', async () => {
      server = await startChatServer({
        engine: testEngine.engine,
        config: { allowedOrigins: ['https://partner.example'] },
      });
      await expectHandshakeStatus(server.wsUrl, { origin: 'https://evil.example' }, 403);
      await expectHandshakeStatus(server.wsUrl, { origin: 'null' }, 403);
      for (const origin of [server.url, 'https://partner.example', undefined]) {
        const client = await connectClient(server.wsUrl, origin === undefined ? {} : { origin });
        expect(client.socket.readyState).toBe(WebSocket.OPEN);
        client.close();
      }
      await expectHandshakeStatus(server.wsUrl.replace('/ws', '/other'), {}, 404);
    });

    it('caps open connections per IP with a 429 handshake refusal', async () => {
      server = await startChatServer({ engine: testEngine.engine, config: { maxConnectionsPerIp: 2 } });
      const a = await connectClient(server.wsUrl);
      const b = await connectClient(server.wsUrl);
      await expectHandshakeStatus(server.wsUrl, {}, 429);
      a.close();
      await a.closed;
      await new Promise((resolve) => setTimeout(resolve, 50));
      const c = await connectClient(server.wsUrl);
      expect(c.socket.readyState).toBe(WebSocket.OPEN);
      b.close();
      c.close();
    });
  });
});
