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

/** A body for a slash command's or an interaction's `response_url`. */
export interface ResponseUrlMessage extends SlackMessage {
  readonly response_type?: 'ephemeral' | 'in_channel';
  readonly replace_original?: boolean;
}

export interface SlackWebApi {
  /** `chat.postMessage`; resolves with the posted message's `ts`. */
  postMessage(options: PostMessageOptions): Promise<{ ts: string | undefined }>;
  /** POSTs JSON to a `response_url` (valid for 30 minutes, 5 uses). */
  postToResponseUrl(responseUrl: string, message: ResponseUrlMessage): Promise<void>;
}

/**
 * A minimal Slack Web API client over `fetch`: the two calls the bot makes. Nothing is called at
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

  return {
    async postMessage({ channel, threadTs, text, blocks }) {
      if (options.token === undefined) {
        throw new SlackError('SLACK_NOT_CONFIGURED', 'SLACK_BOT_TOKEN is not set, so the bot cannot post replies');
      }
      const body = { channel, text, blocks, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) };
      const response = await send('chat.postMessage', `${baseUrl}/chat.postMessage`, body, options.token);
      const result = (await response.json().catch(() => ({}))) as { ok?: unknown; error?: unknown; ts?: unknown };
      if (result.ok !== true) {
        throw new SlackError('SLACK_API_ERROR', `chat.postMessage failed: ${String(result.error ?? 'malformed reply')}`);
      }
      return { ts: typeof result.ts === 'string' ? result.ts : undefined };
    },
    async postToResponseUrl(responseUrl, message) {
      const response = await send('response_url', responseUrl, message);
      await response.body?.cancel();
    },
  };
}
