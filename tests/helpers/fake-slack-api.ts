import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signSlackRequest } from '../../src/chat/slack/verify-slack-signature.js';

/** A `chat.postMessage` call as the stand-in received it. */
export interface PostedMessage {
  readonly authorization: string | undefined;
  readonly channel: string;
  readonly thread_ts: string | undefined;
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  /** The ts the stand-in assigned to the posted message. */
  readonly ts: string;
}

/** Any Web API call the stand-in received with the right token, in order (postMessage included). */
export interface ApiCall {
  readonly method: string;
  readonly body: Record<string, unknown>;
}

/** A POST to a `response_url` handed out by {@link FakeSlack.responseUrl}. */
export interface ResponsePost {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export interface DeliverOptions {
  /** Path on the bot's server, e.g. `/slack/events`. */
  readonly path: string;
  /** The exact bytes to send and sign. */
  readonly body: string;
  readonly contentType: string;
  /** Unix seconds; default now. */
  readonly timestamp?: number;
  /** Overrides the computed signature (`null`: send no signature header). */
  readonly signature?: string | null;
  /** Sign with this secret instead of the fake's. */
  readonly signingSecret?: string;
  /** Extra headers, e.g. `x-slack-retry-num`. */
  readonly headers?: Record<string, string>;
}

/**
 * A local stand-in for Slack on 127.0.0.1: it serves the Web API method the bot calls
 * (`chat.postMessage`, bearer token checked) and `response_url` hooks, records what it receives,
 * and delivers signed requests to the bot the way Slack does.
 */
export interface FakeSlack {
  /** Point `SLACK_API_BASE_URL` here. */
  readonly apiBaseUrl: string;
  readonly botToken: string;
  readonly signingSecret: string;
  readonly postedMessages: PostedMessage[];
  readonly responsePosts: ResponsePost[];
  /**
   * Every accepted Web API call in order: `chat.postMessage`, `chat.postEphemeral`, `reactions.add`,
   * `reactions.remove`, `views.open` (each answers `ok: true`).
   */
  readonly calls: ApiCall[];
  /** `host:port` of the stand-in: put it in SLACK_RESPONSE_URL_HOSTS. */
  readonly host: string;
  /** A fresh `response_url` on the stand-in. */
  responseUrl(): string;
  /** The calls of one method so far. */
  callsOf(method: string): Record<string, unknown>[];
  /** Resolves once at least `count` calls of `method` arrived. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  /** Resolves once at least `count` messages were posted; rejects with a named error after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<PostedMessage[]>;
  /** Resolves once at least `count` response_url posts arrived. */
  waitForResponsePosts(count: number, timeoutMs?: number): Promise<ResponsePost[]>;
  /** Sends a signed request to the bot at `botUrl` (origin only). */
  deliver(botUrl: string, options: DeliverOptions): Promise<Response>;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

export async function startFakeSlack(options: { signingSecret?: string; botToken?: string } = {}): Promise<FakeSlack> {
  const signingSecret = options.signingSecret ?? randomBytes(16).toString('hex');
  const botToken = options.botToken ?? `xoxb-test-${randomBytes(6).toString('hex')}`;
  const postedMessages: PostedMessage[] = [];
  const responsePosts: ResponsePost[] = [];
  const calls: ApiCall[] = [];
  const waiters = new Set<() => void>();
  let nextTs = 1_700_000_000;
  let nextHook = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = await readJson(req);
      if (req.method === 'POST' && url.pathname === '/api/chat.postMessage') {
        res.setHeader('content-type', 'application/json');
        if (req.headers.authorization !== `Bearer ${botToken}`) {
          res.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
          return;
        }
        const ts = `${(nextTs += 1)}.000100`;
        postedMessages.push({
          authorization: req.headers.authorization,
          channel: String(body.channel),
          thread_ts: typeof body.thread_ts === 'string' ? body.thread_ts : undefined,
          text: String(body.text),
          blocks: Array.isArray(body.blocks) ? (body.blocks as Record<string, unknown>[]) : [],
          ts,
        });
        calls.push({ method: 'chat.postMessage', body });
        res.end(JSON.stringify({ ok: true, channel: body.channel, ts }));
      } else if (req.method === 'POST' && /^\/api\/(chat\.postEphemeral|reactions\.(add|remove)|views\.open)$/.test(url.pathname)) {
        res.setHeader('content-type', 'application/json');
        if (req.headers.authorization !== `Bearer ${botToken}`) {
          res.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
          return;
        }
        calls.push({ method: url.pathname.slice('/api/'.length), body });
        res.end(JSON.stringify({ ok: true }));
      } else if (req.method === 'POST' && url.pathname.startsWith('/hooks/')) {
        responsePosts.push({ path: url.pathname, body });
        res.end('ok');
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ ok: false, error: 'unknown_method' }));
      }
      for (const wake of waiters) wake();
    })().catch(() => {
      res.statusCode = 400;
      res.end(JSON.stringify({ ok: false, error: 'invalid_json' }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function waitFor<T>(what: string, ready: () => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = ready();
        if (value === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake Slack: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  const callsOf = (method: string) => calls.filter((c) => c.method === method).map((c) => c.body);
  return {
    apiBaseUrl: `${origin}/api`,
    botToken,
    signingSecret,
    postedMessages,
    responsePosts,
    calls,
    host: new URL(origin).host,
    callsOf,
    waitForCalls: (method, count, timeoutMs = 10_000) =>
      waitFor(`${count} ${method} call(s), got ${callsOf(method).length}`, () => {
        const seen = callsOf(method);
        return seen.length >= count ? seen : undefined;
      }, timeoutMs),
    responseUrl: () => `${origin}/hooks/T0001/${(nextHook += 1)}/${randomBytes(4).toString('hex')}`,
    waitForMessages: (count, timeoutMs = 10_000) =>
      waitFor(`${count} chat.postMessage call(s), got ${postedMessages.length}`, () =>
        postedMessages.length >= count ? [...postedMessages] : undefined, timeoutMs),
    waitForResponsePosts: (count, timeoutMs = 10_000) =>
      waitFor(`${count} response_url post(s), got ${responsePosts.length}`, () =>
        responsePosts.length >= count ? [...responsePosts] : undefined, timeoutMs),
    async deliver(botUrl, deliver) {
      const timestamp = String(deliver.timestamp ?? Math.floor(Date.now() / 1000));
      const signature =
        deliver.signature === undefined
          ? signSlackRequest({ signingSecret: deliver.signingSecret ?? signingSecret, timestamp, rawBody: deliver.body })
          : deliver.signature;
      const headers: Record<string, string> = {
        'content-type': deliver.contentType,
        'x-slack-request-timestamp': timestamp,
        ...deliver.headers,
      };
      if (signature !== null) headers['x-slack-signature'] = signature;
      return fetch(`${botUrl}${deliver.path}`, { method: 'POST', headers, body: deliver.body });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An Events API `event_callback` body as Slack sends it. */
export function eventCallbackBody(eventId: string, event: Record<string, unknown>, botUserId = 'UBOT'): string {
  return JSON.stringify({
    token: 'legacy-token-unused',
    team_id: 'T0001',
    api_app_id: 'A0001',
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0001', user_id: botUserId, is_bot: true }],
  });
}

/** A slash command's form body as Slack sends it. */
export function slashCommandBody(fields: { command?: string; text: string; responseUrl: string; userId?: string }): string {
  return new URLSearchParams({
    token: 'legacy-token-unused',
    team_id: 'T0001',
    team_domain: 'newsroom',
    channel_id: 'C0DESK',
    channel_name: 'desk',
    user_id: fields.userId ?? 'U0EDITOR',
    user_name: 'editor',
    command: fields.command ?? '/ask',
    text: fields.text,
    api_app_id: 'A0001',
    response_url: fields.responseUrl,
    trigger_id: '123.456.abc',
  }).toString();
}

/** An interactivity (`block_actions`) form body: `payload=<json>`. */
export function blockActionsBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', ...payload }) }).toString();
}
