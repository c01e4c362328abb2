import { createEngineFromConfig } from './chat/create-engine-from-config.js';
import type { Engine } from './chat/engine-types.js';
import { createChatServer } from './chat/server/create-chat-server.js';
import { createDeferredRoute } from './chat/server/deferred-route.js';
import { createSlackRoute, SLACK_PATHS, type SlackRoute } from './chat/slack/create-slack-route.js';
import { loadConfig } from './config.js';
import { isAppError } from './errors.js';
import { createFeedbackStore } from './feedback/feedback-store.js';
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
  // LLM answers (docs/llm.md) are the default when LLM_PROVIDER is set; a bad LLM_* setting throws here, before listening.
  const engine: Promise<Engine> = createEngineFromConfig(config, { logger });
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
    feedback: createFeedbackStore({ file: config.feedbackLog }),
    ...(config.defaultArticle === undefined ? {} : { defaultArticle: config.defaultArticle }),
    routes: slack === undefined ? [] : [createDeferredRoute({ route: slack, paths: SLACK_PATHS })],
  });
  logger.info('listening', { url: `${server.url}/`, slack: slack !== undefined });
  // The readers' side keeps serving when only the bot cannot start (e.g. its state file cannot be opened).
  slack?.catch((error: unknown) => {
    logger.error('slack bot failed to start; /slack/* answers 503', { reason: isAppError(error) ? `${error.code}: ${error.message}` : String(error) });
  });

  let stopping = false;
  const stop = async (signal: string, code: number): Promise<void> => {
    if (stopping) {
      logger.warn('second signal; exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('stopping', { signal });
    await server.close();
    await (await slack?.catch(() => undefined))?.close();
    await (await engine.catch(() => undefined))?.close();
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));

  engine.then(
    (ready) => {
      if (config.defaultArticle !== undefined && ready.article(config.defaultArticle)?.slug !== config.defaultArticle) {
        // A typo here would send every reader of "/" to the list instead of the story: say so and stop.
        logger.error('DEFAULT_ARTICLE names no article', { slug: config.defaultArticle, known: ready.articles.map((a) => a.slug).join(',') });
        void stop('bad DEFAULT_ARTICLE', 1);
        return;
      }
      logger.info('ready', { articles: ready.articles.length, url: `${server.url}/` });
    },
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
