import { createEngine } from './chat/create-engine.js';
import type { Engine } from './chat/engine-types.js';
import { createLlmAnswererFactory } from './chat/llm/create-llm-answerer.js';
import { createChatServer } from './chat/server/create-chat-server.js';
import { createDeferredRoute } from './chat/server/deferred-route.js';
import { createSlackRoute, SLACK_PATHS, type SlackRoute } from './chat/slack/create-slack-route.js';
import { loadConfig } from './config.js';
import { isAppError } from './errors.js';
import { createEmbeddings } from './index/create-embeddings.js';
import { createConsoleLogger } from './logger.js';

/**
 * `npm start`: the composition root. Listens at once (`/healthz` answers 503 while the index loads or
 * builds), then serves the article page, the widget, the chat WebSocket and, when
 * `SLACK_SIGNING_SECRET` is set, the Slack endpoints. SIGTERM/SIGINT shut down gracefully and exit 0;
 * a second signal exits at once with 1.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createConsoleLogger();
  // LLM answers (docs/llm.md): built before anything starts so a bad LLM_* setting fails at once; no network call yet.
  const llmAnswerer = config.llm === undefined ? undefined : createLlmAnswererFactory(config.llm);
  const engine: Promise<Engine> = createEmbeddings(config.embeddings).then((provider) =>
    createEngine({
      corpusDir: config.corpusDir,
      dataDir: config.dataDir,
      embeddings: provider.embeddings,
      modelId: provider.modelId,
      hnswEf: config.hnswEf,
      maxQuestionChars: config.maxQuestionChars,
      logger,
      ...(llmAnswerer === undefined ? {} : { llmAnswerer }),
    }),
  );
  const slack: Promise<SlackRoute> | undefined =
    config.slack.signingSecret === undefined
      ? undefined
      : engine.then((ready) =>
          createSlackRoute({
            engine: ready,
            config: config.slack,
            publicBaseUrl: config.server.publicBaseUrl ?? `http://${config.server.host}:${config.server.port}`,
            logger,
          }),
        );
  const server = await createChatServer({
    engine,
    config: config.server,
    logger,
    maxQuestionChars: config.maxQuestionChars,
    answerer: config.llm === undefined ? 'extractive' : 'llm',
    routes: slack === undefined ? [] : [createDeferredRoute({ route: slack, paths: SLACK_PATHS })],
  });
  logger.info('listening', { url: `${server.url}/`, slack: slack !== undefined });

  let stopping = false;
  const stop = async (signal: string, code: number): Promise<void> => {
    if (stopping) {
      logger.warn('second signal; exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('stopping', { signal });
    await server.close();
    await (await slack?.catch(() => undefined))?.settle();
    await (await engine.catch(() => undefined))?.close();
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));

  engine.then(
    (ready) => logger.info('ready', { articles: ready.articles.length, url: `${server.url}/` }),
    (error: unknown) => {
      logger.error('engine failed to start', { reason: isAppError(error) ? `${error.code}: ${error.message}` : String(error) });
      void stop('engine failure', 1);
    },
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`start: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error)}\n`);
  process.exitCode = 1;
});
