import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FeedbackRecord } from '../../src/chat/slack/feedback-log.js';
import { signSlackRequest } from '../../src/chat/slack/verify-slack-signature.js';
import { createTestEngine, ARTICLE_SLUG, type TestEngine } from '../helpers/create-test-engine.js';
import { blockActionsBody, eventCallbackBody, slashCommandBody, startFakeSlack, type FakeSlack } from '../helpers/fake-slack-api.js';
import { buttons, contextTexts, recordingEngine, sectionTexts, startBot as startBotIn, type Bot, type StartBotOptions } from '../helpers/start-slack-bot.js';
import type { Engine } from '../../src/chat/engine-types.js';

const PUBLIC_BASE_URL = 'https://news.example.org/kursk';
const P43_URL = `${PUBLIC_BASE_URL}/articles/${ARTICLE_SLUG}#p43`;
const HEADLINE = 'North Koreans fighting for Russia against Ukraine have grown skilled in drone warfare';
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

function startBot(engine: Engine, slackApi: FakeSlack, in_: string, options: StartBotOptions = {}): Promise<Bot> {
  return startBotIn(engine, slackApi, in_, { publicBaseUrl: PUBLIC_BASE_URL, ...options });
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
    it('answers inline, to the asker only, with a ¶ citation linked to the article page and a Share with channel button', async () => {
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
      expect(reply.response_type).toBe('ephemeral');
      expect(sectionTexts(reply.blocks).join(' ')).toContain('4,700');
      expect(sectionTexts(reply.blocks).join(' ')).toContain(`<${P43_URL}|¶43>`);
      expect(contextTexts(reply.blocks)).toContain('*Q:* How many North Korean soldiers were killed in Kursk?');
      expect(contextTexts(reply.blocks).some((t) => t.startsWith(`<${P43_URL}|${HEADLINE}, ¶43> “Some 4,700 North Korean soldiers`))).toBe(true);
      expect(reply.text).toContain('4,700');
      expect(reply.text).toContain(`${HEADLINE}, ¶43 ${P43_URL}`);
      expect(Object.keys(buttons(reply.blocks))).toEqual(['share_answer', 'feedback_helpful', 'feedback_wrong_paragraph', 'feedback_not_in_article']);
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
      expect(post?.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      expect(sectionTexts(post?.body.blocks as Record<string, unknown>[]).join(' ')).toMatch(/4,700.*¶43/);
    });

    it.each([
      ['an empty question', '/ask', '   '],
      ['an unknown command', '/weather', 'Kursk?'],
    ])('answers %s with the usage, privately', async (_name, command, text) => {
      const engine = recordingEngine(testEngine.engine);
      bot = await startBot(engine, slack, dir);
      const response = await slack.deliver(bot.url, {
        path: '/slack/commands',
        body: slashCommandBody({ command, text, responseUrl: slack.responseUrl() }),
        contentType: FORM_TYPE,
      });
      const reply = (await response.json()) as { response_type: string; text: string };
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toContain('`/ask &lt;question&gt;` asks the articles');
      expect(reply.text).toContain(`\`${ARTICLE_SLUG}\` ${HEADLINE}`);
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
      // The story of the soldier Bulat wounded, told after the first answer's ¶36.
      expect(sources.some((t) => /^<[^|]+#p(3[7-9])\|[^>]+, ¶3[7-9]>/.test(t) && t.startsWith(`<${PUBLIC_BASE_URL}/articles/${ARTICLE_SLUG}#p`) && t.includes(HEADLINE))).toBe(true);
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
      const actions = reply.blocks.find((b) => b.type === 'actions' && b.block_id === 'feedback') as { elements: { action_id: string; value: string }[] };
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
