import { SlackError } from '../../errors.js';
import type { SlackMessage } from './format-slack-answer.js';

export interface SlackWebApiOptions {
  /** e.g. `https://slack.com/api` (SLACK_API_BASE_URL); tests point it at a local stand-in. */
  readonly baseUrl: string;
  /** The bot token (`xoxb-…`); without it `postMessage` throws `SLACK_NOT_CONFIGURED`. */
  readonly token: string | undefined;
  /** Per-call timeout. Default 10,000 ms. */
  readonly timeoutMs?: number;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

export interface PostMessageOptions extends SlackMessage {
  readonly channel: string;
  /** Reply in this thread. */
  readonly threadTs?: string;
}

export interface PostEphemeralOptions extends SlackMessage {
  readonly channel: string;
  /** The only person who sees it. */
  readonly user: string;
  readonly threadTs?: string;
}

export interface ReactionOptions {
  readonly channel: string;
  /** The `ts` of the message reacted to. */
  readonly timestamp: string;
  /** Emoji name without colons, e.g. `eyes`. */
  readonly name: string;
}

/** A body for a slash command's or an interaction's `response_url`. */
export interface ResponseUrlMessage extends Partial<SlackMessage> {
  readonly response_type?: 'ephemeral' | 'in_channel';
  readonly replace_original?: boolean;
  /** Deletes the message the interaction came from (e.g. the asker's private copy once shared). */
  readonly delete_original?: boolean;
}

export interface SlackWebApi {
  /** `chat.postMessage`; resolves with the posted message's `ts`. */
  postMessage(options: PostMessageOptions): Promise<{ ts: string | undefined }>;
  /** `chat.postEphemeral`: a message only `user` sees. */
  postEphemeral(options: PostEphemeralOptions): Promise<void>;
  /** `reactions.add`. */
  addReaction(options: ReactionOptions): Promise<void>;
  /** `reactions.remove`. */
  removeReaction(options: ReactionOptions): Promise<void>;
  /** `views.open`: a modal, within 3 s of the interaction that gave `triggerId`. */
  openView(triggerId: string, view: Record<string, unknown>): Promise<void>;
  /** POSTs JSON to a `response_url` (valid for 30 minutes, 5 uses); the caller has checked its host. */
  postToResponseUrl(responseUrl: string, message: ResponseUrlMessage): Promise<void>;
}

/**
 * A minimal Slack Web API client over `fetch`: the calls the bot makes. Nothing is called at
 * construction (the product must start with no network). Failures, including Slack's `ok: false`
 * replies, throw `SlackError` `SLACK_API_ERROR` naming the method and Slack's error string.
 */
export function createSlackWebApi(options: SlackWebApiOptions): SlackWebApi {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function send(what: string, url: string, body: unknown, token?: string): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new SlackError('SLACK_API_ERROR', `${what} failed: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new SlackError('SLACK_API_ERROR', `${what} answered HTTP ${response.status}`);
    }
    return response;
  }

  /** Calls a Web API method with the bot token; Slack's `ok: false` becomes `SLACK_API_ERROR` naming its error. */
  async function call(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (options.token === undefined) {
      throw new SlackError('SLACK_NOT_CONFIGURED', `SLACK_BOT_TOKEN is not set, so the bot cannot call ${method}`);
    }
    const response = await send(method, `${baseUrl}/${method}`, body, options.token);
    const result = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (result.ok !== true) throw new SlackError('SLACK_API_ERROR', `${method} failed: ${String(result.error ?? 'malformed reply')}`);
    return result;
  }
  const thread = (threadTs: string | undefined) => (threadTs === undefined ? {} : { thread_ts: threadTs });

  return {
    async postMessage({ channel, threadTs, text, blocks }) {
      const result = await call('chat.postMessage', { channel, text, blocks, ...thread(threadTs) });
      return { ts: typeof result.ts === 'string' ? result.ts : undefined };
    },
    async postEphemeral({ channel, user, threadTs, text, blocks }) {
      await call('chat.postEphemeral', { channel, user, text, blocks, ...thread(threadTs) });
    },
    async addReaction({ channel, timestamp, name }) {
      await call('reactions.add', { channel, timestamp, name });
    },
    async removeReaction({ channel, timestamp, name }) {
      await call('reactions.remove', { channel, timestamp, name });
    },
    async openView(triggerId, view) {
      await call('views.open', { trigger_id: triggerId, view });
    },
    async postToResponseUrl(responseUrl, message) {
      const response = await send('response_url', responseUrl, message);
      await response.body?.cancel();
    },
  };
}
