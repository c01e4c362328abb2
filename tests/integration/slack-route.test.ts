import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationTurn } from '../../src/chat/answer-types.js';
import type { AskOptions, Engine } from '../../src/chat/engine-types.js';
import { createSlackRoute, type SlackRoute, type SlackRouteOptions } from '../../src/chat/slack/create-slack-route.js';
import type { FeedbackRecord } from '../../src/chat/slack/feedback-log.js';
import { signSlackRequest } from '../../src/chat/slack/verify-slack-signature.js';
import type { SlackConfig } from '../../src/config.js';
import { createMemoryLogger } from '../../src/logger.js';
import { createTestEngine, ARTICLE_SLUG, type TestEngine } from '../helpers/create-test-engine.js';
import { blockActionsBody, eventCallbackBody, slashCommandBody, startFakeSlack, type FakeSlack } from '../helpers/fake-slack-api.js';

const PUBLIC_BASE_URL = 'https://news.example.org/kursk';
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

interface Bot {
  readonly url: string;
  readonly route: SlackRoute;
  readonly feedbackLog: string;
  readonly logger: ReturnType<typeof createMemoryLogger>;
  close(): Promise<void>;
}

/** The Slack route mounted on a plain node:http server on 127.0.0.1:0 (404 for anything it does not handle). */
async function startBot(engine: Engine, slack: FakeSlack, dir: string, options: Partial<SlackRouteOptions> = {}): Promise<Bot> {
  const feedbackLog = path.join(dir, 'feedback.jsonl');
  const config: SlackConfig = {
    signingSecret: slack.signingSecret,
    botToken: slack.botToken,
    apiBaseUrl: slack.apiBaseUrl,
    command: '/ask',
    feedbackLog,
  };
  const logger = createMemoryLogger();
  const route = createSlackRoute({ engine, config, publicBaseUrl: PUBLIC_BASE_URL, logger, ...options });
  const server: Server = createServer((req, res) => {
    void route(req, res).then((handled) => {
      if (!handled) {
        res.statusCode = 404;
        res.end('not found');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    route,
    feedbackLog,
    logger,
    async close() {
      await route.settle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The real engine, recording each `ask` (a decorator, not a mock): tests check what history a thread passes. */
function recordingEngine(engine: Engine, delayMs = 0): Engine & { asks: { question: string; history: readonly ConversationTurn[] }[] } {
  const asks: { question: string; history: readonly ConversationTurn[] }[] = [];
  return {
    asks,
    articles: engine.articles,
    article: (slug) => engine.article(slug),
    retrieve: (query, options) => engine.retrieve(query, options),
    summarize: (options) => engine.summarize(options),
    close: () => engine.close(),
    async ask(question: string, options?: AskOptions) {
      asks.push({ question, history: options?.history ?? [] });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return engine.ask(question, options);
    },
  };
}

function sectionTexts(blocks: readonly Record<string, unknown>[]): string[] {
  return blocks.flatMap((b) => (b.type === 'section' ? [(b.text as { text: string }).text] : []));
}

function contextTexts(blocks: readonly Record<string, unknown>[]): string[] {
  return blocks.flatMap((b) => (b.type === 'context' ? (b.elements as { text: string }[]).map((e) => e.text) : []));
}

function mention(eventId: string, text: string, ts: string, threadTs?: string): string {
  return eventCallbackBody(eventId, {
    type: 'app_mention',
    user: 'U0EDITOR',
    text,
    ts,
    channel: 'C0DESK',
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
  });
}

let testEngine: TestEngine;
let slack: FakeSlack;
let dir: string;
let bot: Bot | undefined;

beforeAll(async () => {
  testEngine = await createTestEngine();
});
afterAll(async () => {
  await testEngine.cleanup();
});
beforeEach(async () => {
  slack = await startFakeSlack();
  dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-slack-'));
});
afterEach(async () => {
  await bot?.close();
  bot = undefined;
  await slack.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createSlackRoute', () => {
  describe('request verification', () => {
    it('answers 401 to unsigned, wrong-secret, stale, future and tampered requests, and never asks the engine', async () => {
      const engine = recordingEngine(testEngine.engine);
      // A fixed server clock: with a live one, "301 s ahead" can become 300.x s by the time it is checked.
      const now = Math.floor(Date.now() / 1000);
      bot = await startBot(engine, slack, dir, { now: () => now * 1000 });
      const body = slashCommandBody({ text: 'How many North Korean soldiers were killed in Kursk?', responseUrl: slack.responseUrl() });
      const attempts = [
        { signature: null },
        { signingSecret: 'wrong-secret' },
        { timestamp: now - 301 },
        { timestamp: now + 301 },
        { signature: 'v0=abc' },
      ];
      for (const attempt of attempts) {
        const response = await slack.deliver(bot.url, { path: '/slack/commands', body, contentType: FORM_TYPE, ...attempt });
        expect(response.status).toBe(401);
        expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/^SLACK_SIGNATURE_/);
      }
      // Tampered: signed for one body, sent with another.
      const tampered = await fetch(`${bot.url}/slack/commands`, {
        method: 'POST',
        headers: { 'content-type': FORM_TYPE, 'x-slack-request-timestamp': String(now), 'x-slack-signature': signSlackRequest({ signingSecret: slack.signingSecret, timestamp: String(now), rawBody: body }) },
        body: body.replace('Kursk', 'Sumy'),
      });
      expect(tampered.status).toBe(401);
      expect(engine.asks).toEqual([]);
      expect(slack.responsePosts).toEqual([]);
    });

    it('answers 413 to a body over the size limit before verifying it', async () => {
      bot = await startBot(testEngine.engine, slack, dir, { maxBodyBytes: 1024 });
      const response = await slack.deliver(bot.url, { path: '/slack/events', body: `{"x":"${'a'.repeat(2000)}"}`, contentType: JSON_TYPE });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('SLACK_BODY_TOO_LARGE');
      // Chunked, so no Content-Length to refuse up front: the limit applies to the bytes received.
      const chunk = new TextEncoder().encode('a'.repeat(700));
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(chunk);
        },
      });
      const chunked = await fetch(`${bot.url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': JSON_TYPE },
        body: stream,
        duplex: 'half',
      } as RequestInit & { duplex: 'half' });
      expect(chunked.status).toBe(413);
    });

    it('answers 405 to GET on its paths and leaves other paths to the server', async () => {
      bot = await startBot(testEngine.engine, slack, dir);
      const get = await fetch(`${bot.url}/slack/events`);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      const other = await slack.deliver(bot.url, { path: '/slack/other', body: '{}', contentType: JSON_TYPE });
      expect(other.status).toBe(404);
    });

    it('returns the url_verification challenge', async () => {
      bot = await startBot(testEngine.engine, slack, dir);
      const body = JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' });
      const response = await slack.deliver(bot.url, { path: '/slack/events', body, contentType: JSON_TYPE });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ challenge: 'c-123' });
    });
  });

  describe('slash command', () => {
    it('answers inline with a ¶ citation linked to the paragraph, within the 3-second window', async () => {
      bot = await startBot(testEngine.engine, slack, dir);
      const started = Date.now();
      const response = await slack.deliver(bot.url, {
        path: '/slack/commands',
        body: slashCommandBody({ text: 'How many North Korean soldiers were killed in Kursk?', responseUrl: slack.responseUrl() }),
        contentType: FORM_TYPE,
      });
      const elapsed = Date.now() - started;
      expect(response.status).toBe(200);
      const reply = (await response.json()) as { response_type: string; text: string; blocks: Record<string, unknown>[] };
      expect(elapsed).toBeLessThan(3000);
      expect(reply.response_type).toBe('in_channel');
      expect(sectionTexts(reply.blocks).join(' ')).toContain('4,700');
      expect(sectionTexts(reply.blocks).join(' ')).toContain(`<${PUBLIC_BASE_URL}/#p43|¶43>`);
      expect(contextTexts(reply.blocks)).toContain('*Q:* How many North Korean soldiers were killed in Kursk?');
      expect(contextTexts(reply.blocks).some((t) => t.startsWith(`<${PUBLIC_BASE_URL}/#p43|¶43> “Some 4,700 North Korean soldiers`))).toBe(true);
      expect(reply.text).toContain('4,700');
    });

    it('acknowledges with "Looking that up…" when the answer is slow and posts it to response_url', async () => {
      bot = await startBot(recordingEngine(testEngine.engine, 300), slack, dir, { inlineAnswerMs: 50 });
      const responseUrl = slack.responseUrl();
      const response = await slack.deliver(bot.url, {
        path: '/slack/commands',
        body: slashCommandBody({ text: 'How many North Korean soldiers were killed in Kursk?', responseUrl }),
        contentType: FORM_TYPE,
      });
      expect(await response.json()).toEqual({ response_type: 'ephemeral', text: 'Looking that up…' });
      const [post] = await slack.waitForResponsePosts(1);
      expect(post?.path).toBe(new URL(responseUrl).pathname);
      expect(post?.body.response_type).toBe('in_channel');
      expect(sectionTexts(post?.body.blocks as Record<string, unknown>[]).join(' ')).toMatch(/4,700.*¶43/);
    });

    it.each([
      ['an empty question', '/ask', '   '],
      ['an unknown command', '/weather', 'Kursk?'],
    ])('answers %s with a short usage message', async (_name, command, text) => {
      const engine = recordingEngine(testEngine.engine);
      bot = await startBot(engine, slack, dir);
      const response = await slack.deliver(bot.url, {
        path: '/slack/commands',
        body: slashCommandBody({ command, text, responseUrl: slack.responseUrl() }),
        contentType: FORM_TYPE,
      });
      const reply = (await response.json()) as { response_type: string; text: string };
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toMatch(/^Ask me about the article: `\/ask /);
      expect(engine.asks).toEqual([]);
    });

    it("passes the engine's refusal of an overlong question back to the person, privately", async () => {
      bot = await startBot(testEngine.engine, slack, dir);
      const response = await slack.deliver(bot.url, {
        path: '/slack/commands',
        body: slashCommandBody({ text: 'why '.repeat(400), responseUrl: slack.responseUrl() }),
        contentType: FORM_TYPE,
      });
      const reply = (await response.json()) as { response_type: string; text: string };
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toMatch(/characters; the limit is 1000/);
    });
  });

  describe('mentions and direct messages', () => {
    it('replies to a mention in its thread through chat.postMessage, with the bot mention stripped', async () => {
      const engine = recordingEngine(testEngine.engine);
      bot = await startBot(engine, slack, dir);
      const response = await slack.deliver(bot.url, {
        path: '/slack/events',
        body: mention('Ev100', '<@UBOT> How many North Korean soldiers were killed in Kursk?', '1700000100.000200'),
        contentType: JSON_TYPE,
      });
      expect(response.status).toBe(200);
      const [message] = await slack.waitForMessages(1);
      expect(engine.asks.map((a) => a.question)).toEqual(['How many North Korean soldiers were killed in Kursk?']);
      expect(message?.authorization).toBe(`Bearer ${slack.botToken}`);
      expect(message?.channel).toBe('C0DESK');
      expect(message?.thread_ts).toBe('1700000100.000200');
      expect(sectionTexts(message!.blocks).join(' ')).toMatch(/4,700.*\|¶43>/);
      expect(message?.text).toContain('4,700');
      for (const block of message!.blocks) {
        if (block.type === 'section') expect((block.text as { text: string }).text.length).toBeLessThanOrEqual(3000);
      }
    });

    it('answers a follow-up in the same thread against the earlier turn', async () => {
      const engine = recordingEngine(testEngine.engine);
      bot = await startBot(engine, slack, dir);
      await slack.deliver(bot.url, { path: '/slack/events', body: mention('Ev201', '<@UBOT> Who is Bulat?', '1700000200.000100'), contentType: JSON_TYPE });
      await slack.waitForMessages(1);
      await slack.deliver(bot.url, {
        path: '/slack/events',
        body: mention('Ev202', '<@UBOT> What happened to the soldier he wounded?', '1700000205.000100', '1700000200.000100'),
        contentType: JSON_TYPE,
      });
      const [, followUp] = await slack.waitForMessages(2);
      expect(followUp?.thread_ts).toBe('1700000200.000100');
      expect(engine.asks[1]?.history.map((t) => t.question)).toEqual(['Who is Bulat?']);
      const sources = contextTexts(followUp!.blocks);
      expect(sources.some((t) => t.startsWith(`<${PUBLIC_BASE_URL}/#p39|¶39>`) && t.includes('He died on the way'))).toBe(true);
    });

    it('keeps threads apart: a question in a new thread carries no history', async () => {
      const engine = recordingEngine(testEngine.engine);
      bot = await startBot(engine, slack, dir);
      await slack.deliver(bot.url, { path: '/slack/events', body: mention('Ev301', '<@UBOT> Who is Bulat?', '1.0'), contentType: JSON_TYPE });
      await slack.waitForMessages(1);
      await slack.deliver(bot.url, { path: '/slack/events', body: mention('Ev302', '<@UBOT> Who is Vlad?', '2.0'), contentType: JSON_TYPE });
      await slack.waitForMessages(2);
      expect(engine.asks.map((a) => a.history.length)).toEqual([0, 0]);
    });

    it('replies to a direct message in its thread and ignores bot messages', async () => {
      const engine = recordingEngine(testEngine.engine);
      bot = await startBot(engine, slack, dir);
      const im = (eventId: string, extra: Record<string, unknown>) =>
        eventCallbackBody(eventId, { type: 'message', channel_type: 'im', channel: 'D0EDITOR', ts: '3.0', text: 'Who is Bulat?', ...extra });
      await slack.deliver(bot.url, { path: '/slack/events', body: im('Ev401', { bot_id: 'B1' }), contentType: JSON_TYPE });
      await slack.deliver(bot.url, { path: '/slack/events', body: im('Ev402', { user: 'U0EDITOR', subtype: 'message_changed' }), contentType: JSON_TYPE });
      await slack.deliver(bot.url, { path: '/slack/events', body: im('Ev403', { user: 'U0EDITOR' }), contentType: JSON_TYPE });
      const [message] = await slack.waitForMessages(1);
      await bot.route.settle();
      expect(slack.postedMessages).toHaveLength(1);
      expect(message).toMatchObject({ channel: 'D0EDITOR', thread_ts: '3.0' });
      expect(engine.asks.map((a) => a.question)).toEqual(['Who is Bulat?']);
    });

    it('replies exactly once to four deliveries of one event_id, some concurrent, some marked as retries', async () => {
      const engine = recordingEngine(testEngine.engine, 100);
      bot = await startBot(engine, slack, dir);
      const body = mention('Ev500', '<@UBOT> How many North Korean soldiers were killed in Kursk?', '5.0');
      const deliver = (retry?: number) =>
        slack.deliver(bot!.url, {
          path: '/slack/events',
          body,
          contentType: JSON_TYPE,
          ...(retry === undefined ? {} : { headers: { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } }),
        });
      const first = await Promise.all([deliver(), deliver(), deliver(1)]);
      const late = await deliver(2);
      expect([...first, late].map((r) => r.status)).toEqual([200, 200, 200, 200]);
      await slack.waitForMessages(1);
      await bot.route.settle();
      expect(slack.postedMessages).toHaveLength(1);
      expect(engine.asks).toHaveLength(1);
      expect(bot.logger.lines.filter((l) => l.includes('slack duplicate event ignored'))).toHaveLength(3);
    });
  });

  describe('feedback', () => {
    it('appends a verified feedback click to the JSONL log and thanks the person', async () => {
      bot = await startBot(testEngine.engine, slack, dir, { now: () => Date.parse('2026-01-02T03:04:05Z') });
      const ts = Math.floor(Date.parse('2026-01-02T03:04:05Z') / 1000);
      const response = await slack.deliver(bot.url, {
        path: '/slack/commands',
        body: slashCommandBody({ text: 'How many North Korean soldiers were killed in Kursk?', responseUrl: slack.responseUrl() }),
        contentType: FORM_TYPE,
        timestamp: ts,
      });
      const reply = (await response.json()) as { text: string; blocks: Record<string, unknown>[] };
      const actions = reply.blocks.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] };
      const wrong = actions.elements.find((e) => e.action_id === 'feedback_wrong_paragraph')!;
      const click = blockActionsBody({
        user: { id: 'U0EDITOR', username: 'editor' },
        response_url: slack.responseUrl(),
        message: { type: 'message', text: reply.text, ts: '9.0' },
        actions: [{ type: 'button', block_id: 'feedback', action_id: wrong.action_id, value: wrong.value, action_ts: '10.0' }],
      });

      const forged = await slack.deliver(bot.url, { path: '/slack/interactions', body: click, contentType: FORM_TYPE, timestamp: ts, signingSecret: 'x' });
      expect(forged.status).toBe(401);
      const accepted = await slack.deliver(bot.url, { path: '/slack/interactions', body: click, contentType: FORM_TYPE, timestamp: ts });
      expect(accepted.status).toBe(200);

      const lines = (await readFile(bot.feedbackLog, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(1);
      const record = JSON.parse(lines[0]!) as FeedbackRecord;
      expect(record).toEqual({
        ts: '2026-01-02T03:04:05.000Z',
        user: 'U0EDITOR',
        kind: 'wrong_paragraph',
        question: 'How many North Korean soldiers were killed in Kursk?',
        article: ARTICLE_SLUG,
        cited: ['p43'],
        answer: { grounded: true, text: reply.text },
      });
      const [thanks] = await slack.waitForResponsePosts(1);
      expect(thanks?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(String(thanks?.body.text)).toMatch(/wrong paragraph cited/);
    });
  });
});
