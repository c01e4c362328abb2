import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineAnswerSource } from '../../src/eval/engine-answer-source.js';
import { loadSuite } from '../../src/eval/parse-suite.js';
import { runEvals } from '../../src/eval/run-evals.js';
import { createWsAnswerSource } from '../../src/eval/ws-answer-source.js';
import { createTestEngine, REPO_ROOT, type TestEngine } from '../helpers/create-test-engine.js';
import { startChatServer, type TestChatServer } from '../helpers/start-chat-server.js';

describe('createWsAnswerSource (eval runner --ws against the real chat server)', () => {
  let testEngine: TestEngine;
  let server: TestChatServer;

  beforeAll(async () => {
    testEngine = await createTestEngine();
    server = await startChatServer({ engine: testEngine.engine, config: { rateLimitPerMinute: 1000 } });
  });

  afterAll(async () => {
    await server?.close();
    await testEngine?.cleanup();
  });

  it('runs the smoke suite over WebSocket with the same citations as in-process, retrieval not measured', async () => {
    const suite = await loadSuite(path.join(REPO_ROOT, 'evals/smoke.jsonl'));
    const articles = testEngine.engine.articles;
    const overWs = await runEvals({ suites: [suite], source: createWsAnswerSource({ url: server.wsUrl }), articles });
    const inProcess = await runEvals({ suites: [suite], source: createEngineAnswerSource({ engine: testEngine.engine }), articles });

    expect(overWs.source).toBe(server.wsUrl);
    const result = overWs.suites[0]!;
    expect(result.counts).toMatchObject({ cases: 5, turns: 6, errors: 0 });
    expect(result.metrics.recallAt5).toBeNull();
    expect(result.metrics.latencyP50Ms).toBeGreaterThan(0);
    const cited = (report: typeof overWs): number[][] =>
      report.suites[0]!.cases.flatMap((c) => c.turns.map((t) => t.answer?.citations.map((x) => x.paragraph) ?? []));
    expect(cited(overWs)).toEqual(cited(inProcess));
    // The follow-up "the soldier he wounded" is resolved by the server's own conversation on one connection.
    const bulat = result.cases.find((c) => c.id === 'bulat')!;
    expect(bulat.turns[1]!.answer?.citations.map((c) => c.paragraph)).toEqual(inProcess.suites[0]!.cases.find((c) => c.id === 'bulat')!.turns[1]!.answer?.citations.map((c) => c.paragraph));
    expect(result.cases.find((c) => c.id === 'off-topic')!.turns[0]!.score.refusalCorrect).toBe(true);
  });

  it('records an error frame as the turn error instead of throwing', async () => {
    const limited = await startChatServer({ engine: testEngine.engine, config: { rateLimitPerMinute: 1 } });
    try {
      const conversation = await createWsAnswerSource({ url: limited.wsUrl, rateLimitBudgetMs: 0 }).openConversation();
      const first = await conversation.ask('How old is Maksym?', 'nk-troops-drone-warfare');
      expect(first.error).toBeNull();
      expect(first.answer?.citations.map((c) => c.paragraph)).toContain(54);
      const second = await conversation.ask('How old is Vlad?', 'nk-troops-drone-warfare');
      expect(second.answer).toBeNull();
      expect(second.error).toMatch(/^PROTOCOL_RATE_LIMITED: /);
      await conversation.close();
    } finally {
      await limited.close();
    }
  });

  it('fails to open a conversation with EVAL_WS_CONNECT when nothing listens', async () => {
    const source = createWsAnswerSource({ url: 'ws://127.0.0.1:9/ws', connectTimeoutMs: 2000 });
    await expect(source.openConversation()).rejects.toMatchObject({ code: 'EVAL_WS_CONNECT', message: expect.stringContaining('cannot connect to ws://127.0.0.1:9/ws') });
  });
});
