import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackConfig } from '../../config.js';
import { isAppError, QuestionError, SlackError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ConversationTurn } from '../answer-types.js';
import type { Engine } from '../engine-types.js';
import type { HttpRoute } from '../server/http-route.js';
import { createEventDeduper } from './event-deduper.js';
import { createFeedbackLog } from './feedback-log.js';
import { formatSlackAnswer, formatSlackNotice, formatSlackUsage, type SlackMessage } from './format-slack-answer.js';
import {
  parseSlackRequest,
  type SlackCommandRequest,
  type SlackFeedbackRequest,
  type SlackMessageRequest,
  type SlackRequest,
} from './parse-slack-request.js';
import { DEFAULT_MAX_SLACK_BODY_BYTES, readRawBody } from './read-raw-body.js';
import { createSlackWebApi, type SlackWebApi } from './slack-web-api.js';
import { createThreadConversations, threadKey } from './thread-conversations.js';
import { verifySlackSignature } from './verify-slack-signature.js';

/**
 * The paths the route answers. Every path accepts every kind of Slack request (events, slash commands,
 * interactivity): the body says which it is. Configure Slack with `/slack/events` for all three, or use
 * the specific paths if you prefer them in logs.
 */
export const SLACK_PATHS: readonly string[] = ['/slack/events', '/slack/commands', '/slack/interactions'];

export interface SlackRouteOptions {
  readonly engine: Engine;
  /** `config.slack`; `signingSecret` must be set (the server mounts the route only then). */
  readonly config: SlackConfig;
  /** Paragraph links in replies point at `${publicBaseUrl}/#p12`. */
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
};

const LOOKING_UP = 'Looking that up…';
const GENERIC_FAILURE = 'Sorry, something went wrong while answering. Please try again in a minute.';

const FEEDBACK_THANKS: Readonly<Record<SlackFeedbackRequest['feedback'], string>> = {
  helpful: 'Thanks! Recorded as helpful.',
  wrong_paragraph: 'Thanks! Recorded as "wrong paragraph cited"; the team will review it.',
  not_in_article: 'Thanks! Recorded as "not in the article"; the team will review it.',
};

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
  SLACK_BODY_TOO_LARGE: 413,
  SLACK_BAD_PAYLOAD: 400,
};

/** The one place a failed Slack request becomes an HTTP response. */
function sendSlackError(res: ServerResponse, error: unknown, logger: Logger): void {
  const status = error instanceof SlackError ? STATUS_BY_CODE[error.code] : undefined;
  if (error instanceof SlackError && status !== undefined) {
    logger.warn('slack request refused', { code: error.code, status });
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
 * Slack's endpoint: verifies every request's v0 signature over the raw body (401 otherwise), answers
 * `url_verification`, answers slash commands (inline when the answer is ready within `inlineAnswerMs`,
 * else via `response_url`), replies to mentions and direct messages in their thread through
 * `chat.postMessage` (each `event_id` once; events are acknowledged at once and answered in the
 * background), and appends feedback button clicks to the JSONL feedback log. Slack is never called
 * at construction.
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
  const deduper = createEventDeduper({ now });
  const threads = createThreadConversations({ now });
  const feedbackLog = createFeedbackLog({ file: config.feedbackLog });
  const pending = new Set<Promise<void>>();
  const defaultArticle = engine.article()?.slug ?? '';

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

  /** Answers one question; refusals by the engine become short notices. `ok` is false for notices. */
  async function answer(question: string, history: readonly ConversationTurn[], showQuestion: boolean) {
    const started = now();
    try {
      const result = await engine.ask(question, { history });
      logger.info('slack answer', { ms: now() - started, grounded: result.grounded, citations: result.citations.length });
      const message = formatSlackAnswer({ answer: result, question, article: defaultArticle, publicBaseUrl, showQuestion });
      return { ok: true as const, message, turn: { question, answer: result } };
    } catch (error) {
      if (error instanceof QuestionError) return { ok: false as const, message: formatSlackNotice(error.message) };
      logger.error('slack answer failed', {
        code: isAppError(error) ? error.code : 'INTERNAL',
        reason: error instanceof Error ? error.message : String(error),
      });
      return { ok: false as const, message: formatSlackNotice(GENERIC_FAILURE) };
    }
  }

  async function replyInThread(request: SlackMessageRequest): Promise<void> {
    const key = threadKey(request.channel, request.threadTs);
    let message: SlackMessage;
    if (request.text === '') {
      message = formatSlackUsage(config.command);
    } else {
      const result = await answer(request.text, threads.history(key), false);
      if (result.ok) threads.append(key, result.turn);
      message = result.message;
    }
    await web.postMessage({ channel: request.channel, threadTs: request.threadTs, ...message });
  }

  async function answerCommand(request: SlackCommandRequest, res: ServerResponse): Promise<void> {
    if (request.command !== config.command || request.text === '') {
      sendJson(res, 200, { response_type: 'ephemeral', ...formatSlackUsage(config.command) });
      return;
    }
    const answering = answer(request.text, [], true);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, inlineAnswerMs, undefined);
    });
    const ready = await Promise.race([answering, timedOut]);
    clearTimeout(timer);
    const shape = (result: Awaited<typeof answering>) => ({
      response_type: result.ok ? ('in_channel' as const) : ('ephemeral' as const),
      ...result.message,
    });
    if (ready !== undefined) {
      sendJson(res, 200, shape(ready));
      return;
    }
    sendJson(res, 200, { response_type: 'ephemeral', text: LOOKING_UP });
    const responseUrl = request.responseUrl;
    inBackground('slash command reply', async () => {
      const result = await answering;
      if (responseUrl === undefined) throw new SlackError('SLACK_BAD_PAYLOAD', 'Slash command had no response_url for a late answer');
      await web.postToResponseUrl(responseUrl, { ...shape(result), replace_original: true });
    });
  }

  async function recordFeedback(request: SlackFeedbackRequest, res: ServerResponse): Promise<void> {
    // Written before the acknowledgement: if the log cannot be written, Slack shows the person an error.
    await feedbackLog.append({
      ts: new Date(now()).toISOString(),
      user: request.user,
      kind: request.feedback,
      question: request.case.question,
      article: request.case.article,
      cited: request.case.cited,
      answer: { grounded: request.case.grounded, text: request.answerText ?? null },
    });
    logger.info('slack feedback recorded', { kind: request.feedback });
    sendEmpty(res);
    const responseUrl = request.responseUrl;
    if (responseUrl !== undefined) {
      inBackground('feedback thanks', () =>
        web.postToResponseUrl(responseUrl, {
          response_type: 'ephemeral',
          replace_original: false,
          ...formatSlackNotice(FEEDBACK_THANKS[request.feedback]),
        }),
      );
    }
  }

  async function dispatch(request: SlackRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    switch (request.kind) {
      case 'url_verification':
        sendJson(res, 200, { challenge: request.challenge });
        return;
      case 'message': {
        const retry = header(req, 'x-slack-retry-num');
        // Check-and-set happens synchronously, so concurrent deliveries cannot both claim the event.
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
        await recordFeedback(request, res);
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
      verifySlackSignature({
        signingSecret,
        timestamp: header(req, 'x-slack-request-timestamp'),
        signature: header(req, 'x-slack-signature'),
        rawBody,
        now: now(),
      });
      await dispatch(parseSlackRequest({ contentType: header(req, 'content-type'), rawBody }), req, res);
    } catch (error) {
      sendSlackError(res, error, logger);
    }
    return true;
  };

  return Object.assign(route, {
    async settle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  });
}
