import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerMessage, ErrorMessage, ServerMessage } from '../../src/chat/server/ws-protocol.js';
import { createFeedbackStore } from '../../src/feedback/feedback-store.js';
import { ARTICLE_SLUG, createTestEngine, type TestEngine } from '../helpers/create-test-engine.js';
import { connectClient, startChatServer, type TestChatServer } from '../helpers/start-chat-server.js';

const isAnswer = (id: string) => (m: ServerMessage): m is AnswerMessage => m.type === 'answer' && m.id === id;
const isError = (id: string | null) => (m: ServerMessage): m is ErrorMessage => m.type === 'error' && m.id === id;
const isAck = (id: string) => (m: ServerMessage) => m.type === 'feedback' && m.id === id;

/** The `summarize` and `feedback` frames and refusal logging, on the real server and engine. */
describe('chat server: summaries and reader feedback', () => {
  let testEngine: TestEngine;
  let dir: string;
  let file: string;
  let server: TestChatServer;

  beforeAll(async () => {
    testEngine = await createTestEngine();
  });
  afterAll(async () => {
    await testEngine.cleanup();
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-widget-feedback-'));
    file = path.join(dir, 'feedback.jsonl');
    server = await startChatServer({ engine: testEngine.engine, feedback: createFeedbackStore({ file }) });
  });
  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const records = async (): Promise<Record<string, unknown>[]> =>
    (await readFile(file, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('answers a summarize frame with the cited summary, the same as engine.summarize', async () => {
    const expected = await testEngine.engine.summarize({ article: ARTICLE_SLUG });
    const client = await connectClient(server.wsUrl);
    client.send({ type: 'summarize', id: 's1', article: ARTICLE_SLUG });
    const answer = await client.waitFor(isAnswer('s1'));
    expect(answer).toMatchObject({ answer: expected.answer, grounded: true, confidence: 1, citations: expected.citations });
    // Composed at once, the summary needs no delta besides its answer frame.
    expect(client.messages.filter((m) => m.type === 'delta' && m.id === 's1')).toEqual([]);
    // Without "article" on a one-article server, and as a typed question: the same summary.
    client.send({ type: 'summarize', id: 's2' });
    client.send({ type: 'ask', id: 'q3', question: 'What are the key points?' });
    expect((await client.waitFor(isAnswer('s2'))).citations).toEqual(expected.citations);
    expect((await client.waitFor(isAnswer('q3'))).citations).toEqual(expected.citations);
    client.send({ type: 'summarize', id: 's4', article: 'no-such-story' });
    expect((await client.waitFor(isError('s4'))).code).toBe('QUESTION_UNKNOWN_ARTICLE');
    client.close();
  });

  it('records thumbs up and a wrong-source pick of an answer to the JSONL, with no address or cookie, after acknowledging', async () => {
    const client = await connectClient(server.wsUrl, { origin: server.url });
    client.send({ type: 'ask', id: 'q1', question: 'How many North Korean soldiers were killed in Kursk?', article: ARTICLE_SLUG });
    const answer = await client.waitFor(isAnswer('q1'));
    client.send({ type: 'feedback', id: 'q1', rating: 'up' });
    await client.waitFor(isAck('q1'));
    client.send({ type: 'feedback', id: 'q1', rating: 'wrong_source', paragraph: 44 });
    await client.waitFor((m) => isAck('q1')(m) && client.messages.filter(isAck('q1')).length === 2);
    const [up, wrong] = await records();
    expect(up).toEqual({
      ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      channel: 'widget',
      kind: 'helpful',
      article: ARTICLE_SLUG,
      cited: answer.citations.map((c) => c.id),
      answer: { grounded: true, text: answer.answer },
      question: 'How many North Korean soldiers were killed in Kursk?',
    });
    expect(wrong).toMatchObject({ kind: 'wrong_paragraph', expected: ['p44'], cited: answer.citations.map((c) => c.id) });
    const raw = await readFile(file, 'utf8');
    expect(raw).not.toContain('127.0.0.1');
    expect(raw).not.toMatch(/cookie|"ip"|"user"/i);
    client.close();
  });

  it('refuses feedback on an unknown answer, a bad rating, a ¶ the article lacks, and past three ratings of one answer', async () => {
    const client = await connectClient(server.wsUrl);
    client.send({ type: 'feedback', id: 'never', rating: 'up' });
    expect((await client.waitFor(isError('never'))).code).toBe('PROTOCOL_UNKNOWN_ANSWER');
    client.send({ type: 'ask', id: 'q1', question: 'Who is Vlad?' });
    await client.waitFor(isAnswer('q1'));
    client.send({ type: 'feedback', id: 'q1', rating: 'meh' });
    expect((await client.waitFor(isError('q1'))).code).toBe('PROTOCOL_BAD_RATING');
    client.messages.length = 0;
    client.send({ type: 'feedback', id: 'q1', rating: 'wrong_source', paragraph: 999 });
    const bad = await client.waitFor(isError('q1'));
    expect(bad).toMatchObject({ code: 'PROTOCOL_BAD_PARAGRAPH', message: 'The article has no ¶999 (it has 68 paragraphs)' });
    client.messages.length = 0;
    client.send({ type: 'feedback', id: 'q1', rating: 'up', paragraph: 3 });
    expect((await client.waitFor(isError('q1'))).code).toBe('PROTOCOL_BAD_PARAGRAPH');
    client.messages.length = 0;
    for (const rating of ['up', 'down', 'up']) {
      client.send({ type: 'feedback', id: 'q1', rating });
      await client.waitFor(isAck('q1'));
      client.messages.length = 0;
    }
    client.send({ type: 'feedback', id: 'q1', rating: 'down' });
    expect((await client.waitFor(isError('q1'))).code).toBe('PROTOCOL_FEEDBACK_LIMIT');
    expect((await records()).map((r) => r.kind)).toEqual(['helpful', 'unhelpful', 'helpful']);
    client.close();
  });

  it('logs each refusal, keeping the question text only with the page\'s consent flag', async () => {
    const client = await connectClient(server.wsUrl);
    client.send({ type: 'ask', id: 'r1', question: 'Who won the 2022 World Cup?', article: ARTICLE_SLUG });
    expect((await client.waitFor(isAnswer('r1'))).grounded).toBe(false);
    client.send({ type: 'ask', id: 'r2', question: 'What is the capital of France?', article: ARTICLE_SLUG, shareQuestion: true });
    expect((await client.waitFor(isAnswer('r2'))).grounded).toBe(false);
    client.send({ type: 'ask', id: 'g1', question: 'Who is Vlad?', article: ARTICLE_SLUG, shareQuestion: true });
    expect((await client.waitFor(isAnswer('g1'))).grounded).toBe(true);
    await expect.poll(async () => (await records()).length).toBe(2);
    const [withheld, shared] = await records();
    expect(withheld).toEqual({
      ts: expect.any(String),
      channel: 'widget',
      kind: 'refused',
      article: ARTICLE_SLUG,
      cited: [],
      answer: { grounded: false, text: null },
    });
    expect(shared).toMatchObject({ kind: 'refused', question: 'What is the capital of France?' });
    client.close();
  });

  it('answers feedback with FEEDBACK_UNAVAILABLE when the server keeps no feedback log', async () => {
    const bare = await startChatServer({ engine: testEngine.engine });
    try {
      const client = await connectClient(bare.wsUrl);
      client.send({ type: 'ask', id: 'q1', question: 'Who is Vlad?' });
      await client.waitFor(isAnswer('q1'));
      client.send({ type: 'feedback', id: 'q1', rating: 'up' });
      expect((await client.waitFor(isError('q1'))).code).toBe('FEEDBACK_UNAVAILABLE');
      client.close();
    } finally {
      await bare.close();
    }
  });
});
