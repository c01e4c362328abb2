import path from 'node:path';
import { createTrustedProxies } from './chat/server/trusted-proxies.js';
import { ConfigError } from './errors.js';
import { MODEL_WINDOW_CHARS } from './index/split-into-windows.js';

/**
 * All runtime configuration, read once from the environment. This is the only module that reads
 * `process.env`; everything else receives the parts it needs as explicit options.
 * Each field documents its variable and default; the README's configuration table mirrors it.
 */
export interface AppConfig {
  /** CORPUS_DIR, default `corpus`: one captured article per `.txt` file; the file name is the slug. */
  readonly corpusDir: string;
  /** DATA_DIR, default `.data`: index generations and the manifest. */
  readonly dataDir: string;
  /** EMBEDDINGS, default `local`: `local` (Universal Sentence Encoder, offline) or `openai` / `ollama`. */
  readonly embeddings: EmbeddingsConfig;
  /** HNSW_EF, default 64: hnswlib's search breadth, set explicitly after every load. */
  readonly hnswEf: number;
  /**
   * MAX_ARTICLE_MODELS, default 200 (at least 3, the articles an unscoped question is weighed against): parsed
   * articles the answerer keeps in memory (about 1.5 MB each), least recently asked about dropped first.
   */
  readonly maxArticleModels: number;
  /**
   * MAX_QUESTION_CHARS, default 1000, at most 2000 (`MODEL_WINDOW_CHARS`): a question is one window of the
   * local model, one model call of bounded cost, so no question can stall the server.
   */
  readonly maxQuestionChars: number;
  /**
   * FEEDBACK_LOG, default DATA_DIR/feedback.jsonl: the append-only JSONL log of reader feedback (widget
   * ratings, wrong-source picks, refusals), shared with the Slack bot's unless SLACK_FEEDBACK_LOG names another.
   */
  readonly feedbackLog: string;
  /** DEFAULT_ARTICLE: the slug `/` serves (redirects to); unset: `/` lists the articles (or redirects to the only one). */
  readonly defaultArticle: string | undefined;
  readonly server: ServerConfig;
  readonly slack: SlackConfig;
  readonly llm: LlmConfig | undefined;
}

export interface EmbeddingsConfig {
  readonly provider: 'local' | 'openai' | 'ollama';
  /** EMBEDDINGS_MODEL: model name for remote providers. */
  readonly model: string | undefined;
  /** EMBEDDINGS_BASE_URL: base URL for remote providers. */
  readonly baseUrl: string | undefined;
  /** EMBEDDINGS_API_KEY (falls back to LLM_API_KEY). */
  readonly apiKey: string | undefined;
  /**
   * EMBEDDINGS_WORKERS, default min(2, cores): worker threads running the local model (0: on the main
   * thread). Each holds its own copy of the model (about 100 MB): 1 keeps a small box under 450 MB RSS.
   */
  readonly workers: number | undefined;
}

export interface ServerConfig {
  /** HOST, default 127.0.0.1. */
  readonly host: string;
  /** PORT, default 8787; 0 picks a free port. */
  readonly port: number;
  /** PUBLIC_BASE_URL, default http://HOST:PORT: used in links to paragraphs (Slack sources). */
  readonly publicBaseUrl: string | undefined;
  /** ALLOWED_ORIGINS, comma separated; unset: same origin and non-browser clients only. */
  readonly allowedOrigins: readonly string[] | undefined;
  /** WS_MAX_PAYLOAD_BYTES, default 65536: larger frames close the socket with 1009. */
  readonly maxPayloadBytes: number;
  /** WS_RATE_LIMIT_PER_MINUTE, default 30: questions per sliding minute per connection. */
  readonly rateLimitPerMinute: number;
  /**
   * WS_IP_RATE_LIMIT_PER_MINUTE, default WS_RATE_LIMIT_PER_MINUTE: questions per sliding minute per client
   * address, across all its connections (undefined: the per-connection figure).
   */
  readonly ipRateLimitPerMinute: number | undefined;
  /**
   * WS_MAX_MESSAGES_PER_SECOND, default 10: frames of any kind per second per connection (bursts of twice
   * that). Frames over it are dropped unread; a connection that keeps it up for five seconds' worth is
   * closed with 1008.
   */
  readonly maxMessagesPerSecond: number;
  /**
   * TRUST_PROXY, unset: comma-separated addresses, CIDR ranges, or `loopback` / `linklocal` / `uniquelocal`
   * of reverse proxies. Only for a TCP peer in this list is the client address read from the forwarding
   * header (the right-most hop that is not a trusted proxy); unset, the TCP peer is the client.
   */
  readonly trustProxy: readonly string[] | undefined;
  /** TRUST_PROXY_HEADER, default `x-forwarded-for`: the header the trusted proxies write, or `forwarded` (RFC 7239). */
  readonly trustProxyHeader: 'x-forwarded-for' | 'forwarded';
  /** WS_MAX_CONNECTIONS_PER_IP, default 20. */
  readonly maxConnectionsPerIp: number;
  /** WS_PING_INTERVAL_MS, default 30000: peers that miss a pong are terminated. */
  readonly pingIntervalMs: number;
  /** WS_MAX_BUFFERED_BYTES, default 1048576: stop streaming deltas to a client whose bufferedAmount passes this. */
  readonly maxBufferedBytes: number;
  /** SHUTDOWN_GRACE_MS, default 10000: how long answers in flight may take after SIGTERM. */
  readonly shutdownGraceMs: number;
  /** WS_MAX_FRAGMENTS, default 64: a message split into more continuation frames closes the socket (1008). */
  readonly maxFragments: number;
  /** WS_MAX_BUFFERED_CHUNKS, default 1024: a message trickled in more network chunks closes the socket (1008). */
  readonly maxBufferedChunks: number;
  /** WS_MAX_QUEUED_QUESTIONS, default 4: questions one connection may have waiting or in flight; more are refused. */
  readonly maxQueuedQuestions: number;
  /** CONVERSATION_MAX_TURNS, default 6: earlier turns of a connection's conversation passed to the engine. */
  readonly maxHistoryTurns: number;
}

export interface SlackConfig {
  /** SLACK_SIGNING_SECRET: the bot routes are active only when set. */
  readonly signingSecret: string | undefined;
  /** SLACK_BOT_TOKEN: needed to post replies. */
  readonly botToken: string | undefined;
  /** SLACK_API_BASE_URL, default https://slack.com/api. */
  readonly apiBaseUrl: string;
  /** SLACK_STATE_FILE, default DATA_DIR/slack-state.sqlite: event dedupe, replay guard, threads, pins (SQLite). */
  readonly stateFile: string;
  /**
   * SLACK_RESPONSE_URL_HOSTS, default `hooks.slack.com`: the only hosts a `response_url` may name (comma separated,
   * `host` or `host:port`). https only, except loopback hosts (for the tests' stand-in).
   */
  readonly responseUrlHosts: readonly string[];
  /** SLACK_COMMAND, default /ask. */
  readonly command: string;
  /** SLACK_FEEDBACK_LOG, default FEEDBACK_LOG (DATA_DIR/feedback.jsonl). */
  readonly feedbackLog: string;
}

export interface LlmConfig {
  /** LLM_PROVIDER: `openai` (any OpenAI-compatible endpoint: vLLM, llama.cpp, LM Studio) or `ollama`. */
  readonly provider: 'openai' | 'ollama';
  /** LLM_BASE_URL. */
  readonly baseUrl: string | undefined;
  /** LLM_MODEL. */
  readonly model: string;
  /** LLM_API_KEY. */
  readonly apiKey: string | undefined;
  /** LLM_TIMEOUT_MS, default 20000: past it the extractive answer is used. */
  readonly timeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      'CONFIG_INVALID_NUMBER',
      `${name} must be a whole number from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

function readString(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError('CONFIG_INVALID_CHOICE', `${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** A comma-separated list of `host` or `host:port` entries (lower-cased); anything else is a ConfigError. */
function readHostList(env: Env, name: string, fallback: readonly string[]): readonly string[] {
  const raw = readString(env, name);
  if (raw === undefined) return Object.freeze([...fallback]);
  const hosts = raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const bad = hosts.find((h) => !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(h));
  if (hosts.length === 0 || bad !== undefined) {
    throw new ConfigError('CONFIG_INVALID_HOSTS', `${name} must be a comma-separated list of host or host:port entries, got "${raw}"`);
  }
  return Object.freeze(hosts);
}

function readTrustProxy(env: Env): readonly string[] | undefined {
  const raw = readString(env, 'TRUST_PROXY');
  if (raw === undefined) return undefined;
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    createTrustedProxies(entries);
  } catch (error) {
    throw new ConfigError('CONFIG_INVALID_PROXY', `TRUST_PROXY: ${(error as Error).message}`, { cause: error });
  }
  return Object.freeze(entries);
}

/**
 * Reads and validates the configuration. Throws `ConfigError` naming the variable on a bad value.
 * @param env defaults to `process.env`; tests pass their own object.
 * @param cwd the directory relative paths are resolved against.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const dataDir = path.resolve(cwd, readString(env, 'DATA_DIR') ?? '.data');
  const llmProvider = readString(env, 'LLM_PROVIDER');
  let llm: LlmConfig | undefined;
  if (llmProvider !== undefined) {
    const provider = readChoice(env, 'LLM_PROVIDER', ['openai', 'ollama'] as const, 'openai');
    const model = readString(env, 'LLM_MODEL');
    if (model === undefined) {
      throw new ConfigError('CONFIG_MISSING', 'LLM_MODEL must be set when LLM_PROVIDER is set');
    }
    llm = Object.freeze({
      provider,
      model,
      baseUrl: readString(env, 'LLM_BASE_URL'),
      apiKey: readString(env, 'LLM_API_KEY'),
      timeoutMs: readInt(env, 'LLM_TIMEOUT_MS', 20_000, 100, 600_000),
    });
  }
  const origins = readString(env, 'ALLOWED_ORIGINS');
  const feedbackLog = path.resolve(cwd, readString(env, 'FEEDBACK_LOG') ?? path.join(dataDir, 'feedback.jsonl'));
  const defaultArticle = readString(env, 'DEFAULT_ARTICLE');
  if (defaultArticle !== undefined && !/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(defaultArticle)) {
    throw new ConfigError('CONFIG_INVALID_SLUG', `DEFAULT_ARTICLE must be an article slug (lower-case letters, digits, "-" or "_"), got "${defaultArticle}"`);
  }
  const trustProxy = readTrustProxy(env);
  const config: AppConfig = {
    corpusDir: path.resolve(cwd, readString(env, 'CORPUS_DIR') ?? 'corpus'),
    dataDir,
    embeddings: Object.freeze({
      provider: readChoice(env, 'EMBEDDINGS', ['local', 'openai', 'ollama'] as const, 'local'),
      model: readString(env, 'EMBEDDINGS_MODEL'),
      baseUrl: readString(env, 'EMBEDDINGS_BASE_URL'),
      apiKey: readString(env, 'EMBEDDINGS_API_KEY') ?? readString(env, 'LLM_API_KEY'),
      workers: env.EMBEDDINGS_WORKERS === undefined || env.EMBEDDINGS_WORKERS.trim() === '' ? undefined : readInt(env, 'EMBEDDINGS_WORKERS', 2, 0, 64),
    }),
    hnswEf: readInt(env, 'HNSW_EF', 64, 1, 10_000),
    maxArticleModels: readInt(env, 'MAX_ARTICLE_MODELS', 200, 3, 1_000_000),
    maxQuestionChars: readInt(env, 'MAX_QUESTION_CHARS', 1000, 10, MODEL_WINDOW_CHARS),
    feedbackLog,
    defaultArticle,
    server: Object.freeze({
      host: readString(env, 'HOST') ?? '127.0.0.1',
      port: readInt(env, 'PORT', 8787, 0, 65_535),
      publicBaseUrl: readString(env, 'PUBLIC_BASE_URL')?.replace(/\/+$/, ''),
      allowedOrigins:
        origins === undefined
          ? undefined
          : Object.freeze(
              origins
                .split(',')
                .map((o) => o.trim())
                .filter(Boolean),
            ),
      maxPayloadBytes: readInt(env, 'WS_MAX_PAYLOAD_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
      rateLimitPerMinute: readInt(env, 'WS_RATE_LIMIT_PER_MINUTE', 30, 1, 100_000),
      ipRateLimitPerMinute: readString(env, 'WS_IP_RATE_LIMIT_PER_MINUTE') === undefined ? undefined : readInt(env, 'WS_IP_RATE_LIMIT_PER_MINUTE', 30, 1, 1_000_000),
      maxMessagesPerSecond: readInt(env, 'WS_MAX_MESSAGES_PER_SECOND', 10, 1, 100_000),
      trustProxy,
      trustProxyHeader: readChoice(env, 'TRUST_PROXY_HEADER', ['x-forwarded-for', 'forwarded'] as const, 'x-forwarded-for'),
      maxConnectionsPerIp: readInt(env, 'WS_MAX_CONNECTIONS_PER_IP', 20, 1, 100_000),
      pingIntervalMs: readInt(env, 'WS_PING_INTERVAL_MS', 30_000, 100, 3_600_000),
      maxBufferedBytes: readInt(env, 'WS_MAX_BUFFERED_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
      shutdownGraceMs: readInt(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
      maxFragments: readInt(env, 'WS_MAX_FRAGMENTS', 64, 1, 1_000_000),
      maxBufferedChunks: readInt(env, 'WS_MAX_BUFFERED_CHUNKS', 1024, 1, 10_000_000),
      maxQueuedQuestions: readInt(env, 'WS_MAX_QUEUED_QUESTIONS', 4, 1, 1000),
      maxHistoryTurns: readInt(env, 'CONVERSATION_MAX_TURNS', 6, 0, 100),
    }),
    slack: Object.freeze({
      signingSecret: readString(env, 'SLACK_SIGNING_SECRET'),
      botToken: readString(env, 'SLACK_BOT_TOKEN'),
      apiBaseUrl: (readString(env, 'SLACK_API_BASE_URL') ?? 'https://slack.com/api').replace(/\/+$/, ''),
      stateFile: path.resolve(cwd, readString(env, 'SLACK_STATE_FILE') ?? path.join(dataDir, 'slack-state.sqlite')),
      responseUrlHosts: readHostList(env, 'SLACK_RESPONSE_URL_HOSTS', ['hooks.slack.com']),
      command: readString(env, 'SLACK_COMMAND') ?? '/ask',
      feedbackLog: path.resolve(cwd, readString(env, 'SLACK_FEEDBACK_LOG') ?? feedbackLog),
    }),
    llm,
  };
  return Object.freeze(config);
}
