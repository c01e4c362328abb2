import { once } from 'node:events';
import { access, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeFeedbackValue } from '../../src/chat/slack/feedback-value.js';
import type { FeedbackRecord } from '../../src/chat/slack/feedback-log.js';
import { CORPUS_DIR, REPO_ROOT, createTestEngine, type TestEngine } from '../helpers/create-test-engine.js';
import { blockActionsBody, eventCallbackBody, slashCommandBody, startFakeSlack, type FakeSlack } from '../helpers/fake-slack-api.js';
import { buttons, contextTexts, recordingEngine, sectionTexts, startBot, type Bot, type RecordingEngine } from '../helpers/start-slack-bot.js';

/**
 * The bot over a newsroom of two articles (the NPR story and a fictional council story from evals/corpus), on the
 * loopback Slack stand-in, with the real engine and model.
 */
const BASE = 'https://news.example.org';
const NK = 'nk-troops-drone-warfare';
const NK_HEADLINE = 'North Koreans fighting for Russia against Ukraine have grown skilled in drone warfare';
const BUS = 'local-marlow-springs-bus-fare-sunday-cuts';
const BUS_HEADLINE = 'Marlow Springs council raises bus fares and cuts Sunday service in 5-4 vote to close budget gap';
const KILLED = 'How many North Korean soldiers were killed in Kursk?';
const FARE = 'How much will the standard bus fare be?';
const OFF_TOPIC = 'Who won the 2022 World Cup?';
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

let corpusDir: string;
let testEngine: TestEngine;
let engine: RecordingEngine;
let slack: FakeSlack;
let dir: string;
const bots: Bot[] = [];

async function bot(options: Parameters<typeof startBot>[3] = {}): Promise<Bot> {
  const started = await startBot(engine, slack, dir, { publicBaseUrl: BASE, ...options });
  bots.push(started);
  return started;
}

function mention(eventId: string, text: string, ts: string, threadTs?: string): string {
  return eventCallbackBody(eventId, {
    type: 'app_mention',
    user: 'U0EDITOR',
    text: `<@UBOT> ${text}`,
    ts,
    channel: 'C0DESK',
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
  });
}

async function command(target: Bot, text: string, extra: { timestamp?: number; responseUrl?: string } = {}) {
  const response = await slack.deliver(target.url, {
    path: '/slack/commands',
    body: slashCommandBody({ text, responseUrl: extra.responseUrl ?? slack.responseUrl() }),
    contentType: FORM_TYPE,
    ...(extra.timestamp === undefined ? {} : { timestamp: extra.timestamp }),
  });
  return { status: response.status, body: (await response.json()) as { response_type: string; text: string; blocks: Record<string, unknown>[]; error?: { code: string } } };
}

beforeAll(async () => {
  corpusDir = await mkdtemp(path.join(os.tmpdir(), 'nqa-newsroom-corpus-'));
  await copyFile(path.join(CORPUS_DIR, `${NK}.txt`), path.join(corpusDir, `${NK}.txt`));
  await copyFile(path.join(REPO_ROOT, 'evals', 'corpus', `${BUS}.txt`), path.join(corpusDir, `${BUS}.txt`));
  testEngine = await createTestEngine({ corpusDir });
});
afterAll(async () => {
  await testEngine.cleanup();
  await rm(corpusDir, { recursive: true, force: true });
});
beforeEach(async () => {
  engine = recordingEngine(testEngine.engine);
  slack = await startFakeSlack();
  dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-newsroom-'));
});
afterEach(async () => {
  for (const b of bots.splice(0)) await b.close();
  await slack.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Slack bot in a newsroom of several articles', () => {
  describe('sources', () => {
    it('name the article of every source: its headline and ¶N, linked to /articles/<slug>#pN', async () => {
      const b = await bot();
      await slack.deliver(b.url, { path: '/slack/events', body: mention('EvS1', KILLED, '11.0'), contentType: JSON_TYPE });
      await slack.deliver(b.url, { path: '/slack/events', body: mention('EvS2', `${BUS} ${FARE}`, '12.0'), contentType: JSON_TYPE });
      const [kursk, fare] = await slack.waitForMessages(2);
      const sorted = [kursk!, fare!].sort((x, y) => Number(x.thread_ts) - Number(y.thread_ts));
      expect(contextTexts(sorted[0]!.blocks).some((t) => t.startsWith(`<${BASE}/articles/${NK}#p43|${NK_HEADLINE}, ¶43> “Some 4,700`))).toBe(true);
      expect(sectionTexts(sorted[0]!.blocks).join(' ')).toContain(`<${BASE}/articles/${NK}#p43|¶43>`);
      const fareSources = contextTexts(sorted[1]!.blocks).filter((t) => t.startsWith('<'));
      expect(fareSources.length).toBeGreaterThan(0);
      for (const line of fareSources) expect(line).toMatch(new RegExp(`^<${BASE}/articles/${BUS}#p(\\d+)\\|${BUS_HEADLINE}, ¶\\1> “`));
      expect(sorted[1]!.text).toMatch(new RegExp(`${BUS_HEADLINE}, ¶\\d+ ${BASE}/articles/${BUS}#p\\d+`));
      // No link anywhere lacks the slug.
      expect(JSON.stringify(slack.postedMessages)).not.toMatch(/news\.example\.org\/#p/);
    });
  });

  describe('/ask [slug] question', () => {
    it('answers from the article the first word names, by slug or by a unique hyphenated start of one', async () => {
      const b = await bot();
      const full = await command(b, `${BUS} ${FARE}`);
      const prefix = await command(b, `local-marlow ${FARE}`);
      expect(engine.asks.map((a) => [a.question, a.article])).toEqual([
        [FARE, BUS],
        [FARE, BUS],
      ]);
      for (const reply of [full, prefix]) {
        expect(reply.body.response_type).toBe('ephemeral');
        expect(sectionTexts(reply.body.blocks).join(' ')).toContain('$2');
        expect(contextTexts(reply.body.blocks).some((t) => t.includes(`/articles/${BUS}#p3|${BUS_HEADLINE}, ¶3>`))).toBe(true);
      }
      expect(contextTexts(full.body.blocks)).toContain(`*Q:* ${FARE}`);
    });

    it('lists every slug with its headline in /ask help, and only the matching ones in /ask help <prefix>', async () => {
      const b = await bot();
      const all = await command(b, 'help');
      expect(all.body.response_type).toBe('ephemeral');
      expect(all.body.text).toContain('*Articles (2)*');
      expect(all.body.text).toContain(`• \`${NK}\` ${NK_HEADLINE}`);
      expect(all.body.text).toContain(`• \`${BUS}\` ${BUS_HEADLINE}`);
      const some = await command(b, 'help loc');
      expect(some.body.text).toContain('*Articles starting with `loc` (1 of 2)*');
      expect(some.body.text).not.toContain(`\`${NK}\``);
      expect(engine.asks).toEqual([]);
    });
  });

  describe('/ask summarize <slug>', () => {
    it("returns the story's extractive summary: three to five of its sentences, each cited and linked", async () => {
      const b = await bot();
      const reply = await command(b, 'summarize local-marlow');
      expect(reply.body.response_type).toBe('ephemeral');
      expect(contextTexts(reply.body.blocks)[0]).toBe(`*Q:* Key points of "${BUS_HEADLINE}"`);
      const text = sectionTexts(reply.body.blocks).join(' ');
      const markers = [...text.matchAll(/\[<([^|>]+)\|¶(\d+)>\]/g)];
      expect(markers.length).toBeGreaterThanOrEqual(3);
      expect(markers.length).toBeLessThanOrEqual(5);
      for (const [, url, n] of markers) expect(url).toBe(`${BASE}/articles/${BUS}#p${n}`);
      const sources = contextTexts(reply.body.blocks).filter((t) => t.startsWith('<'));
      expect(sources.length).toBe(new Set(markers.map((m) => m[2])).size);
      expect(Object.keys(buttons(reply.body.blocks))).toContain('share_answer');
      expect(engine.asks).toEqual([]);
    });

    it('asks which story when none is named and the channel is not pinned to one', async () => {
      const b = await bot();
      const reply = await command(b, 'summarize');
      expect(reply.body.response_type).toBe('ephemeral');
      expect(reply.body.text).toMatch(/^Which story\? Name it: \/ask summarize &lt;slug&gt;\./);
      await command(b, `pin ${BUS}`);
      const pinned = await command(b, 'key points');
      expect(contextTexts(pinned.body.blocks)[0]).toBe(`*Q:* Key points of "${BUS_HEADLINE}"`);
    });
  });

  describe('channel pins', () => {
    it('sends questions that name no article to the pinned article, to each of a pinned set, and to all after unpin', async () => {
      const b = await bot();
      const pinned = await command(b, 'pin local-marlow');
      expect(pinned.body.response_type).toBe('in_channel');
      expect(pinned.body.text).toBe(`<@U0EDITOR> pinned this channel to *${BUS_HEADLINE}* (\`${BUS}\`). Questions here that name no article go to it; \`/ask unpin\` removes the pin.`);
      await command(b, FARE);
      await slack.deliver(b.url, { path: '/slack/events', body: mention('EvP1', FARE, '21.0'), contentType: JSON_TYPE });
      await slack.waitForMessages(1);
      expect(engine.asks.map((a) => a.article)).toEqual([BUS, BUS]);
      expect((await command(b, 'pin')).body.text).toBe(`This channel is pinned to ${BUS}.`);

      engine.asks.length = 0;
      await command(b, `pin ${NK} ${BUS}`);
      const killed = await command(b, KILLED);
      expect(engine.asks.map((a) => a.article).sort()).toEqual([BUS, NK].sort());
      expect(sectionTexts(killed.body.blocks).join(' ')).toContain(`/articles/${NK}#p43|¶43>`);

      engine.asks.length = 0;
      expect((await command(b, 'unpin')).body).toMatchObject({ response_type: 'in_channel', text: '<@U0EDITOR> unpinned this channel: questions here go to every article again.' });
      await command(b, KILLED);
      expect(engine.asks.map((a) => a.article)).toEqual([undefined]);
      expect((await command(b, 'unpin')).body).toMatchObject({ response_type: 'ephemeral', text: 'This channel is not pinned.' });
    });
  });

  describe('refusals and errors', () => {
    it('go to the asker only: an ephemeral slash-command reply without a Share button, chat.postEphemeral in a thread', async () => {
      const b = await bot();
      const refused = await command(b, OFF_TOPIC);
      expect(refused.body.response_type).toBe('ephemeral');
      expect(sectionTexts(refused.body.blocks)[0]).toMatch(/^\*The article doesn't say\.\*/);
      expect(Object.keys(buttons(refused.body.blocks))).toEqual(['feedback_helpful', 'feedback_wrong_paragraph', 'feedback_not_in_article']);

      await slack.deliver(b.url, { path: '/slack/events', body: mention('EvR1', OFF_TOPIC, '31.0'), contentType: JSON_TYPE });
      const [ephemeral] = await slack.waitForCalls('chat.postEphemeral', 1);
      await b.route.settle();
      expect(ephemeral).toMatchObject({ channel: 'C0DESK', user: 'U0EDITOR', thread_ts: '31.0' });
      expect(String(ephemeral?.text)).toMatch(/^The article doesn't say\./);
      const tooLong = await command(b, 'why '.repeat(400));
      expect(tooLong.body).toMatchObject({ response_type: 'ephemeral' });
      expect(tooLong.body.text).toMatch(/characters; the limit is 1000/);
      await slack.deliver(b.url, { path: '/slack/events', body: mention('EvR2', 'why '.repeat(400), '32.0'), contentType: JSON_TYPE });
      await slack.waitForCalls('chat.postEphemeral', 2);
      await b.route.settle();
      expect(slack.postedMessages).toEqual([]);
    });
  });

  describe('Share with channel', () => {
    it('posts the answer the asker saw to the channel with a Shared by line and deletes the private copy', async () => {
      const b = await bot();
      const reply = await command(b, `nk-troops ${KILLED}`);
      const shareId = buttons(reply.body.blocks).share_answer!;
      expect(shareId).toMatch(/^[0-9a-f]{24}$/);
      const click = blockActionsBody({ user: { id: 'U0EDITOR' }, response_url: slack.responseUrl(), actions: [{ type: 'button', action_id: 'share_answer', value: shareId }] });
      expect((await slack.deliver(b.url, { path: '/slack/interactions', body: click, contentType: FORM_TYPE })).status).toBe(200);
      const [shared, deleted] = await slack.waitForResponsePosts(2);
      expect(shared?.body.response_type).toBe('in_channel');
      const blocks = shared?.body.blocks as Record<string, unknown>[];
      expect(contextTexts(blocks)[0]).toBe('Shared by <@U0EDITOR>');
      expect(sectionTexts(blocks)).toEqual(sectionTexts(reply.body.blocks));
      expect(buttons(blocks).share_answer).toBeUndefined();
      expect(deleted?.body).toEqual({ delete_original: true });

      const stale = blockActionsBody({ user: { id: 'U0EDITOR' }, response_url: slack.responseUrl(), actions: [{ type: 'button', action_id: 'share_answer', value: 'f'.repeat(24) }] });
      await slack.deliver(b.url, { path: '/slack/interactions', body: stale, contentType: FORM_TYPE });
      const posts = await slack.waitForResponsePosts(3);
      expect(posts[2]?.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/can no longer be shared/) });
    });
  });

  describe('reaction', () => {
    it('adds eyes to a mention while answering and removes it once the reply is posted', async () => {
      const b = await bot();
      await slack.deliver(b.url, { path: '/slack/events', body: mention('EvE1', KILLED, '41.000200'), contentType: JSON_TYPE });
      await slack.waitForCalls('reactions.remove', 1);
      expect(slack.calls.map((c) => c.method)).toEqual(['reactions.add', 'chat.postMessage', 'reactions.remove']);
      const reaction = { channel: 'C0DESK', timestamp: '41.000200', name: 'eyes' };
      expect(slack.callsOf('reactions.add')).toEqual([reaction]);
      expect(slack.callsOf('reactions.remove')).toEqual([reaction]);
    });

    it('still answers, and removes the reaction, when the answer fails or is a refusal', async () => {
      const b = await bot();
      await slack.deliver(b.url, { path: '/slack/events', body: mention('EvE2', OFF_TOPIC, '42.0'), contentType: JSON_TYPE });
      await slack.waitForCalls('reactions.remove', 1);
      expect(slack.calls.map((c) => c.method)).toEqual(['reactions.add', 'chat.postEphemeral', 'reactions.remove']);
    });
  });

  describe('after a restart on the same DATA_DIR', () => {
    it('answers a retried event once, keeps the thread memory and the channel pin, and refuses a replayed command', async () => {
      const first = await bot();
      const event = mention('EvX1', 'Who is Bulat?', '51.0');
      await slack.deliver(first.url, { path: '/slack/events', body: event, contentType: JSON_TYPE });
      await slack.waitForMessages(1);
      const timestamp = Math.floor(Date.now() / 1000);
      const pinBody = slashCommandBody({ text: `pin ${NK}`, responseUrl: slack.responseUrl() });
      expect((await slack.deliver(first.url, { path: '/slack/commands', body: pinBody, contentType: FORM_TYPE, timestamp })).status).toBe(200);
      await first.close();
      bots.splice(bots.indexOf(first), 1);

      const second = await bot();
      // Slack's retry of the same event: a new delivery, a new timestamp, the same event_id.
      const retry = await slack.deliver(second.url, { path: '/slack/events', body: event, contentType: JSON_TYPE, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
      expect(retry.status).toBe(200);
      await second.route.settle();
      expect(slack.postedMessages).toHaveLength(1);
      expect(engine.asks.map((a) => a.question)).toEqual(['Who is Bulat?']);
      expect(second.logger.lines.some((l) => l.includes('slack duplicate event ignored eventId="EvX1" retry="1"'))).toBe(true);

      // The same signed pin command replayed to the new process inside the 5-minute window.
      const replayed = await slack.deliver(second.url, { path: '/slack/commands', body: pinBody, contentType: FORM_TYPE, timestamp });
      expect(replayed.status).toBe(409);
      expect(((await replayed.json()) as { error: { code: string } }).error.code).toBe('SLACK_REQUEST_REPLAYED');

      await slack.deliver(second.url, { path: '/slack/events', body: mention('EvX2', 'What happened to the soldier he wounded?', '52.0', '51.0'), contentType: JSON_TYPE });
      const [, followUp] = await slack.waitForMessages(2);
      expect(followUp?.thread_ts).toBe('51.0');
      expect(engine.asks[1]?.history.map((t) => t.question)).toEqual(['Who is Bulat?']);
      // The pin made before the restart still holds: the thread named no article, so its follow-up goes to the pin.
      expect(engine.asks[1]?.article).toBe(NK);
      expect((await command(second, 'pin')).body.text).toBe(`This channel is pinned to ${NK}.`);
    });
  });

  describe('signed requests are not trusted further than their signature (issue 11 item 7)', () => {
    it('refuses a replayed slash command and a replayed feedback click within the 5-minute window', async () => {
      const b = await bot();
      const timestamp = Math.floor(Date.now() / 1000);
      const body = slashCommandBody({ text: KILLED, responseUrl: slack.responseUrl() });
      const once = await slack.deliver(b.url, { path: '/slack/commands', body, contentType: FORM_TYPE, timestamp });
      const twice = await slack.deliver(b.url, { path: '/slack/commands', body, contentType: FORM_TYPE, timestamp });
      expect([once.status, twice.status]).toEqual([200, 409]);
      expect(engine.asks).toHaveLength(1);

      const value = encodeFeedbackValue({ question: KILLED, article: NK, cited: ['p43'], grounded: true });
      const click = blockActionsBody({ user: { id: 'U0EDITOR' }, response_url: slack.responseUrl(), actions: [{ type: 'button', action_id: 'feedback_helpful', value }] });
      const clicks = [
        await slack.deliver(b.url, { path: '/slack/interactions', body: click, contentType: FORM_TYPE, timestamp }),
        await slack.deliver(b.url, { path: '/slack/interactions', body: click, contentType: FORM_TYPE, timestamp }),
      ];
      expect(clicks.map((r) => r.status)).toEqual([200, 409]);
      expect((await readFile(b.feedbackLog, 'utf8')).trim().split('\n')).toHaveLength(1);
      expect(b.logger.lines.filter((l) => l.includes('code="SLACK_REQUEST_REPLAYED"'))).toHaveLength(2);
    });

    it.each([
      ['an unknown article', { article: 'no-such-story', cited: ['p1'] }, 'unknown article \\"no-such-story\\"'],
      ['a path as the article', { article: '../../etc/passwd', cited: [] }, 'unknown article \\"../../etc/passwd\\"'],
      ['a paragraph out of range', { article: NK, cited: ['p9999'] }, `\\"p9999\\" is not a paragraph of ${NK} (it has 68)`],
    ])('refuses feedback naming %s with a log line and writes nothing', async (_name, forged, reason) => {
      const b = await bot();
      const value = encodeFeedbackValue({ question: KILLED, grounded: true, ...forged });
      const click = blockActionsBody({ user: { id: 'U0EDITOR' }, response_url: slack.responseUrl(), actions: [{ type: 'button', action_id: 'feedback_helpful', value }] });
      const response = await slack.deliver(b.url, { path: '/slack/interactions', body: click, contentType: FORM_TYPE });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('SLACK_BAD_FEEDBACK');
      expect(b.logger.lines.some((l) => l.includes(`slack feedback rejected reason="${reason}"`))).toBe(true);
      await expect(access(b.feedbackLog)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(slack.responsePosts).toEqual([]);
    });

    it('never POSTs to a response_url outside SLACK_RESPONSE_URL_HOSTS, such as a loopback admin path', async () => {
      const hits: string[] = [];
      const admin: Server = createServer((req, res) => {
        hits.push(`${req.method} ${req.url}`);
        res.end('ok');
      });
      admin.listen(0, '127.0.0.1');
      await once(admin, 'listening');
      try {
        const b = await bot({ inlineAnswerMs: 1 });
        const adminUrl = `http://127.0.0.1:${(admin.address() as AddressInfo).port}/admin/reset`;
        const reply = await command(b, KILLED, { responseUrl: adminUrl });
        expect(reply.status).toBe(400);
        expect(reply.body.error?.code).toBe('SLACK_BAD_RESPONSE_URL');
        const value = encodeFeedbackValue({ question: KILLED, article: NK, cited: ['p43'], grounded: true });
        const click = blockActionsBody({ user: { id: 'U0EDITOR' }, response_url: adminUrl, actions: [{ type: 'button', action_id: 'feedback_helpful', value }] });
        expect((await slack.deliver(b.url, { path: '/slack/interactions', body: click, contentType: FORM_TYPE })).status).toBe(400);
        await b.route.settle();
        expect(hits).toEqual([]);
        expect(engine.asks).toEqual([]);
        await expect(access(b.feedbackLog)).rejects.toMatchObject({ code: 'ENOENT' });
      } finally {
        admin.closeAllConnections();
        await new Promise<void>((resolve) => admin.close(() => resolve()));
      }
    });
  });

  describe('"Wrong paragraph cited"', () => {
    async function openModal(b: Bot, timestamp?: number) {
      const value = encodeFeedbackValue({ question: KILLED, article: NK, cited: ['p42'], grounded: true });
      const click = blockActionsBody({
        user: { id: 'U0EDITOR' },
        trigger_id: '111.222.abc',
        response_url: slack.responseUrl(),
        message: { type: 'message', text: 'The answer [¶42].', ts: '9.0' },
        actions: [{ type: 'button', action_id: 'feedback_wrong_paragraph', value }],
      });
      const response = await slack.deliver(b.url, { path: '/slack/interactions', body: click, contentType: FORM_TYPE, ...(timestamp === undefined ? {} : { timestamp }) });
      expect(response.status).toBe(200);
      const [opened] = await slack.waitForCalls('views.open', 1);
      return opened as { trigger_id: string; view: { callback_id: string; private_metadata: string; blocks: Record<string, unknown>[] } };
    }

    function submission(privateMetadata: string, element: Record<string, unknown>): string {
      return new URLSearchParams({
        payload: JSON.stringify({
          type: 'view_submission',
          user: { id: 'U0EDITOR' },
          view: { callback_id: 'feedback_wrong_paragraph', private_metadata: privateMetadata, state: { values: { right_paragraph: { paragraph: element } } } },
        }),
      }).toString();
    }

    it('opens a modal to name the right ¶ and records it with the feedback', async () => {
      const b = await bot({ now: () => Date.parse('2026-01-02T03:04:05Z') });
      const timestamp = Math.floor(Date.parse('2026-01-02T03:04:05Z') / 1000);
      const opened = await openModal(b, timestamp);
      expect(opened.trigger_id).toBe('111.222.abc');
      expect(opened.view.callback_id).toBe('feedback_wrong_paragraph');
      const picker = (opened.view.blocks[1] as { element: { type: string; options: { value: string; text: { text: string } }[] } }).element;
      expect(picker.type).toBe('static_select');
      expect(picker.options).toHaveLength(68);
      expect(picker.options[42]?.value).toBe('p43');
      expect(picker.options[42]?.text.text).toMatch(/^¶43 Some 4,700 North Korean soldiers/);
      await expect(access(b.feedbackLog)).rejects.toMatchObject({ code: 'ENOENT' });

      const response = await slack.deliver(b.url, {
        path: '/slack/interactions',
        body: submission(opened.view.private_metadata, { type: 'static_select', selected_option: { value: 'p43' } }),
        contentType: FORM_TYPE,
        timestamp,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
      const [line] = (await readFile(b.feedbackLog, 'utf8')).trim().split('\n');
      expect(JSON.parse(line!) as FeedbackRecord).toEqual({
        ts: '2026-01-02T03:04:05.000Z',
        user: 'U0EDITOR',
        kind: 'wrong_paragraph',
        question: KILLED,
        article: NK,
        cited: ['p42'],
        expected: ['p43'],
        answer: { grounded: true, text: 'The answer [¶42].' },
      });
    });

    it('shows an error in the modal for a ¶ the article does not have and records nothing', async () => {
      const b = await bot();
      const opened = await openModal(b);
      const response = await slack.deliver(b.url, {
        path: '/slack/interactions',
        body: submission(opened.view.private_metadata, { type: 'number_input', value: '9999' }),
        contentType: FORM_TYPE,
      });
      expect(await response.json()).toEqual({
        response_action: 'errors',
        errors: { right_paragraph: 'There is no such paragraph: pick a number from 1 to 68.' },
      });
      expect(b.logger.lines.some((l) => l.includes(`slack feedback rejected reason="\\"p9999\\" is not a paragraph of ${NK} (it has 68)"`))).toBe(true);
      await expect(access(b.feedbackLog)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('records the click without a ¶ when there is no bot token to open the modal', async () => {
      const b = await bot({ slackConfig: { botToken: undefined } });
      const value = encodeFeedbackValue({ question: KILLED, article: NK, cited: ['p42'], grounded: true });
      const click = blockActionsBody({ user: { id: 'U0EDITOR' }, trigger_id: '1.2.3', response_url: slack.responseUrl(), actions: [{ type: 'button', action_id: 'feedback_wrong_paragraph', value }] });
      expect((await slack.deliver(b.url, { path: '/slack/interactions', body: click, contentType: FORM_TYPE })).status).toBe(200);
      const record = JSON.parse((await readFile(b.feedbackLog, 'utf8')).trim()) as FeedbackRecord;
      expect(record).toMatchObject({ kind: 'wrong_paragraph', cited: ['p42'] });
      expect(record.expected).toBeUndefined();
      expect(slack.callsOf('views.open')).toEqual([]);
    });
  });
});
