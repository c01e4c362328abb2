import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackConfig } from '../../config.js';
import { isAppError, SlackError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Engine } from '../engine-types.js';
import type { HttpRoute } from '../server/http-route.js';
import { createChannelPins } from './channel-pins.js';
import { createEventDeduper } from './event-deduper.js';
import { createFeedbackLog } from './feedback-log.js';
import { withShareButton, type SlackMessage } from './format-slack-answer.js';
import { formatSlackHelp } from './format-slack-help.js';
import { handleFeedbackClick, handleFeedbackSubmission, handleShare, type InteractionContext } from './handle-slack-interaction.js';
import { parseAskText } from './parse-ask-text.js';
import { parseSlackRequest, type SlackCommandRequest, type SlackMessageRequest, type SlackRequest } from './parse-slack-request.js';
import { DEFAULT_MAX_SLACK_BODY_BYTES, readRawBody } from './read-raw-body.js';
import { createReplayGuard } from './replay-guard.js';
import { runAskText, type RunAskTextOptions } from './run-ask-text.js';
import { createSharedAnswers } from './shared-answers.js';
import type { SlackReply } from './slack-reply.js';
import { openSlackStateStore, type SlackStateStore } from './slack-state-store.js';
import { createSlackWebApi, type SlackWebApi } from './slack-web-api.js';
import { createThreadConversations, threadKey } from './thread-conversations.js';
import { verifySlackSignature } from './verify-slack-signature.js';

/**
 * The paths the route answers. Every path accepts every kind of Slack request (events, slash commands,
 * interactivity): the body says which it is. Configure Slack with `/slack/events` for all three, or use
 * the specific paths if you prefer them in logs.
 */
export const SLACK_PATHS: readonly string[] = ['/slack/events', '/slack/commands', '/slack/interactions'];

/** The reaction shown on a mention while the bot works on it. */
export const WORKING_REACTION = 'eyes';

export interface SlackRouteOptions {
  readonly engine: Engine;
  /** `config.slack`; `signingSecret` must be set (the server mounts the route only then). */
  readonly config: SlackConfig;
  /** Paragraph links in replies point at `${publicBaseUrl}/articles/<slug>#p12`. */
  readonly publicBaseUrl: string;
  readonly logger: Logger;
  /** Current time in milliseconds (signature window, dedupe and thread TTLs); default `Date.now`. */
  readonly now?: () => number;
  /**
   * How long a slash command waits for its answer before acknowledging with "Looking that up…" and
   * posting the answer to `response_url` instead. Slack wants an acknowledgement within 3 s. Default 2000.
   */
  readonly inlineAnswerMs?: number;
  /** Larger bodies get 413. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** For the Web API client; default the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** The route plus a way to wait for replies still being answered in the background (tests, shutdown). */
export type SlackRoute = HttpRoute & {
  /** Resolves when every background reply started so far has been posted (or has failed and been logged). */
  settle(): Promise<void>;
  /** Settles, then closes the state store. The route must not be used afterwards. */
  close(): Promise<void>;
};

const LOOKING_UP = 'Looking that up…';
/** Expired dedupe ids, threads and kept answers are deleted this often. */
const SWEEP_INTERVAL_MS = 15 * 60 * 1000;

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

function sendEmpty(res: ServerResponse): void {
  res.writeHead(200, { 'content-length': '0' });
  res.end();
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  SLACK_SIGNATURE_MISSING: 401,
  SLACK_SIGNATURE_STALE: 401,
  SLACK_SIGNATURE_INVALID: 401,
  SLACK_REQUEST_REPLAYED: 409,
  SLACK_BODY_TOO_LARGE: 413,
  SLACK_BAD_PAYLOAD: 400,
  SLACK_BAD_RESPONSE_URL: 400,
  SLACK_BAD_FEEDBACK: 400,
};

/** The one place a failed Slack request becomes an HTTP response. */
function sendSlackError(res: ServerResponse, error: unknown, logger: Logger): void {
  const status = error instanceof SlackError ? STATUS_BY_CODE[error.code] : undefined;
  if (error instanceof SlackError && status !== undefined) {
    logger.warn('slack request refused', { code: error.code, status, reason: error.message });
    if (!res.headersSent) {
      sendJson(res, status, { error: { code: error.code, message: error.message } }, status === 413 ? { connection: 'close' } : {});
    }
    return;
  }
  logger.error('slack request failed', {
    code: isAppError(error) ? error.code : 'INTERNAL',
    reason: error instanceof Error ? error.message : String(error),
  });
  if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'Internal error' } });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Slack's endpoint: verifies every request's v0 signature over the raw body (401 otherwise) and refuses a replayed
 * slash command or click (same timestamp and signature, 409); answers `url_verification`; answers slash commands
 * (`/ask [slug] question`, `help`, `pin`, `unpin`, `summarize`) to the asker, with "Share with channel" on answers;
 * replies to mentions and direct messages in their thread through `chat.postMessage` (each `event_id` once, across
 * restarts; an eyes reaction while working; refusals and errors to the asker only); records feedback clicks (a
 * modal for "wrong paragraph" asks which paragraph answers). Dedupe ids, request signatures, threads, pins and
 * shareable answers live in a SQLite file (`config.stateFile`). Slack is never called at construction.
 */
export function createSlackRoute(options: SlackRouteOptions): SlackRoute {
  const { engine, config, logger, publicBaseUrl } = options;
  const signingSecret = config.signingSecret;
  if (signingSecret === undefined) {
    throw new TypeError('createSlackRoute: config.signingSecret is required (mount the route only when it is set)');
  }
  const now = options.now ?? Date.now;
  const inlineAnswerMs = options.inlineAnswerMs ?? 2000;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_SLACK_BODY_BYTES;
  const web: SlackWebApi = createSlackWebApi({
    baseUrl: config.apiBaseUrl,
    token: config.botToken,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const store: SlackStateStore = openSlackStateStore({ file: config.stateFile, logger });
  const deduper = createEventDeduper({ store, now });
  const replays = createReplayGuard({ store });
  const threads = createThreadConversations({ store, now });
  const pins = createChannelPins({ store });
  const sharedAnswers = createSharedAnswers({ store });
  const feedbackLog = createFeedbackLog({ file: config.feedbackLog });
  const pending = new Set<Promise<void>>();
  const slugs = engine.articles.map((a) => a.slug);
  store.sweep(now());
  const sweeper = setInterval(() => store.sweep(now()), SWEEP_INTERVAL_MS);
  sweeper.unref();

  function inBackground(what: string, task: () => Promise<void>): void {
    const run = task()
      .catch((error: unknown) => {
        logger.error(`slack ${what} failed`, {
          code: isAppError(error) ? error.code : 'INTERNAL',
          reason: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => pending.delete(run));
    pending.add(run);
  }

  const interactions: InteractionContext = {
    engine,
    web,
    feedbackLog,
    sharedAnswers,
    logger,
    now,
    canCallApi: config.botToken !== undefined,
    inBackground,
    sendJson: (res, status, value) => sendJson(res, status, value),
    sendEmpty,
  };

  function askOptions(channel: string, user: string, showQuestion: boolean): RunAskTextOptions {
    return { engine, pins, command: config.command, publicBaseUrl, logger, now, channel, user, showQuestion };
  }

  /** A slash command reply body: answers to the asker with a Share button, announcements to the channel. */
  function commandBody(reply: SlackReply): { response_type: 'ephemeral' | 'in_channel' } & SlackMessage {
    if (reply.kind === 'announcement') return { response_type: 'in_channel', ...reply.message };
    if (reply.kind === 'answer') return { response_type: 'ephemeral', ...withShareButton(reply.message, sharedAnswers.keep(reply.message, now())) };
    return { response_type: 'ephemeral', ...reply.message };
  }

  async function answerCommand(request: SlackCommandRequest, res: ServerResponse): Promise<void> {
    if (request.command !== config.command) {
      const note = `Unknown command ${request.command}.`;
      sendJson(res, 200, { response_type: 'ephemeral', ...formatSlackHelp({ command: config.command, articles: engine.articles, note }) });
      return;
    }
    const answering = runAskText(parseAskText(request.text, slugs), askOptions(request.channel, request.user, true));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, inlineAnswerMs, undefined);
    });
    const ready = await Promise.race([answering, timedOut]);
    clearTimeout(timer);
    if (ready !== undefined) {
      sendJson(res, 200, commandBody(ready));
      return;
    }
    sendJson(res, 200, { response_type: 'ephemeral', text: LOOKING_UP });
    const responseUrl = request.responseUrl;
    inBackground('slash command reply', async () => {
      const reply = await answering;
      if (responseUrl === undefined) throw new SlackError('SLACK_BAD_PAYLOAD', 'Slash command had no response_url for a late answer');
      await web.postToResponseUrl(responseUrl, { ...commandBody(reply), replace_original: true });
    });
  }

  /** Delivers a reply in a mention's thread: answers and announcements to everyone, the rest to the asker only. */
  async function deliverInThread(request: SlackMessageRequest, reply: SlackReply): Promise<void> {
    const everyone = reply.kind === 'answer' || reply.kind === 'announcement';
    // In a direct message everything is private already; an ephemeral message there would vanish on reload.
    if (everyone || request.source === 'im') {
      await web.postMessage({ channel: request.channel, threadTs: request.threadTs, ...reply.message });
    } else {
      await web.postEphemeral({ channel: request.channel, user: request.user, threadTs: request.threadTs, ...reply.message });
    }
  }

  async function replyInThread(request: SlackMessageRequest): Promise<void> {
    const key = threadKey(request.channel, request.threadTs);
    const reaction = { channel: request.channel, timestamp: request.ts, name: WORKING_REACTION };
    try {
      await web.addReaction(reaction);
    } catch (error) {
      // Without reactions:write the bot still answers; the log says why there is no reaction.
      logger.warn('slack reaction not added', { reason: (error as Error).message });
    }
    try {
      const reply = await runAskText(parseAskText(request.text, slugs), {
        ...askOptions(request.channel, request.user, false),
        history: threads.history(key),
        threadArticles: threads.articles(key),
      });
      if (reply.turn !== undefined) threads.append(key, reply.turn, reply.articles);
      await deliverInThread(request, reply);
    } finally {
      await web.removeReaction(reaction).catch((error: unknown) => {
        logger.warn('slack reaction not removed', { reason: (error as Error).message });
      });
    }
  }

  async function dispatch(request: SlackRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    switch (request.kind) {
      case 'url_verification':
        sendJson(res, 200, { challenge: request.challenge });
        return;
      case 'message': {
        const retry = header(req, 'x-slack-retry-num');
        // Check-and-set happens synchronously and on disk, so neither concurrent deliveries nor a retry that
        // arrives after a restart can claim the event twice.
        if (!deduper.claim(request.eventId)) {
          logger.info('slack duplicate event ignored', { eventId: request.eventId, retry: retry ?? '0' });
          sendEmpty(res);
          return;
        }
        // Acknowledge first: Slack re-delivers events that are not acknowledged within 3 s.
        sendEmpty(res);
        if (config.botToken === undefined) {
          logger.warn('slack event not answered: SLACK_BOT_TOKEN is not set', { eventId: request.eventId });
          return;
        }
        inBackground('thread reply', () => replyInThread(request));
        return;
      }
      case 'command':
        await answerCommand(request, res);
        return;
      case 'feedback':
        await handleFeedbackClick(interactions, request, res);
        return;
      case 'feedback_submission':
        await handleFeedbackSubmission(interactions, request, res);
        return;
      case 'share':
        handleShare(interactions, request, res);
        return;
      case 'ignored_event':
        if (request.eventId !== '') deduper.claim(request.eventId);
        sendEmpty(res);
        return;
      case 'ignored_interaction':
        sendEmpty(res);
        return;
    }
  }

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return false;
    }
    if (!SLACK_PATHS.includes(path)) return false;
    if (req.method !== 'POST') {
      req.resume();
      sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'Use POST' } }, { allow: 'POST' });
      return true;
    }
    try {
      const rawBody = await readRawBody(req, maxBodyBytes);
      const timestamp = header(req, 'x-slack-request-timestamp');
      const signature = header(req, 'x-slack-signature');
      const at = now();
      verifySlackSignature({ signingSecret, timestamp, signature, rawBody, now: at });
      const contentType = header(req, 'content-type');
      // Slash commands and clicks carry no id of their own: a replay of the same signed bytes is refused. Events are
      // deduplicated by event_id instead (Slack's own retries of an event are new requests with the same id).
      const isForm = (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
      if (isForm && !replays.claim(timestamp as string, signature as string, at)) {
        throw new SlackError('SLACK_REQUEST_REPLAYED', `A request with timestamp ${String(timestamp)} and this signature was already handled`);
      }
      await dispatch(parseSlackRequest({ contentType, rawBody, responseUrlHosts: config.responseUrlHosts }), req, res);
    } catch (error) {
      sendSlackError(res, error, logger);
    }
    return true;
  };

  let closed = false;
  async function settle(): Promise<void> {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  }
  return Object.assign(route, {
    settle,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      await settle();
      store.close();
    },
  });
}
