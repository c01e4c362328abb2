import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ConversationTurn } from '../../src/chat/answer-types.js';
import type { AskOptions, Engine } from '../../src/chat/engine-types.js';
import { createSlackRoute, type SlackRoute, type SlackRouteOptions } from '../../src/chat/slack/create-slack-route.js';
import type { SlackConfig } from '../../src/config.js';
import { createMemoryLogger } from '../../src/logger.js';
import type { FakeSlack } from './fake-slack-api.js';

export interface Bot {
  readonly url: string;
  readonly route: SlackRoute;
  readonly feedbackLog: string;
  readonly stateFile: string;
  readonly logger: ReturnType<typeof createMemoryLogger>;
  /** Settles background replies, closes the route's state store and the HTTP server. */
  close(): Promise<void>;
}

export interface StartBotOptions extends Partial<SlackRouteOptions> {
  readonly publicBaseUrl?: string;
  /** Overrides parts of the Slack config (e.g. `botToken: undefined`). */
  readonly slackConfig?: Partial<SlackConfig>;
}

/**
 * The Slack route mounted on a plain node:http server on 127.0.0.1:0 (404 for anything it does not handle), with
 * its state file and feedback log in `dir`: a second bot started on the same `dir` is the same bot after a restart.
 * `response_url`s are accepted only on the stand-in's host.
 */
export async function startBot(engine: Engine, slack: FakeSlack, dir: string, options: StartBotOptions = {}): Promise<Bot> {
  const feedbackLog = path.join(dir, 'feedback.jsonl');
  const stateFile = path.join(dir, 'slack-state.sqlite');
  const config: SlackConfig = {
    signingSecret: slack.signingSecret,
    botToken: slack.botToken,
    apiBaseUrl: slack.apiBaseUrl,
    command: '/ask',
    feedbackLog,
    stateFile,
    responseUrlHosts: [slack.host],
    ...options.slackConfig,
  };
  const logger = createMemoryLogger();
  const route = createSlackRoute({ engine, config, publicBaseUrl: options.publicBaseUrl ?? 'https://news.example.org', logger, ...options });
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
    stateFile,
    logger,
    async close() {
      await route.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type RecordingEngine = Engine & { asks: { question: string; history: readonly ConversationTurn[]; article: string | undefined }[] };

/** The real engine, recording each `ask` (a decorator, not a mock): tests check what history and article a reply used. */
export function recordingEngine(engine: Engine, delayMs = 0): RecordingEngine {
  const asks: RecordingEngine['asks'] = [];
  return {
    asks,
    articles: engine.articles,
    article: (slug) => engine.article(slug),
    retrieve: (query, options) => engine.retrieve(query, options),
    standaloneQuestion: (question, history) => engine.standaloneQuestion(question, history),
    suggestQuestions: (article) => engine.suggestQuestions(article),
    summarize: (options) => engine.summarize(options),
    close: () => engine.close(),
    async ask(question: string, options?: AskOptions) {
      asks.push({ question, history: options?.history ?? [], article: options?.article });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return engine.ask(question, options);
    },
  };
}

export function sectionTexts(blocks: readonly Record<string, unknown>[]): string[] {
  return blocks.flatMap((b) => (b.type === 'section' ? [(b.text as { text: string }).text] : []));
}

export function contextTexts(blocks: readonly Record<string, unknown>[]): string[] {
  return blocks.flatMap((b) => (b.type === 'context' ? (b.elements as { text: string }[]).map((e) => e.text) : []));
}

/** Every button of a message as `action_id -> value`. */
export function buttons(blocks: readonly Record<string, unknown>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const block of blocks) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements as { action_id: string; value: string }[]) out[element.action_id] = element.value;
  }
  return out;
}
