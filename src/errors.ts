/**
 * Typed errors. Every error this project throws on purpose is an `AppError` with a stable `code`
 * (UPPER_SNAKE, prefixed by area) and a message that names the input and what was expected.
 * Each boundary (CLI, WebSocket server, Slack endpoint, eval runner) turns them into its own
 * wire format in exactly one place.
 */
export class AppError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A bad environment variable or option; raised at startup, never mid-request. */
export class ConfigError extends AppError {}

/** A corpus file that cannot be turned into an article (empty, unreadable, chrome only, bad name). */
export class IngestError extends AppError {}

/** The vector index cannot be built, saved or loaded (dimension mismatch, corrupt files). */
export class IndexError extends AppError {}

/** A question the engine refuses before answering (empty, too long, unknown article). */
export class QuestionError extends AppError {}

/** The trained answer model artifact is missing, unreadable, or was trained on other features (`MODEL_*`). */
export class ModelError extends AppError {}

/** The embedding provider failed or returned vectors of the wrong shape. */
export class EmbeddingError extends AppError {}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * A Slack request or Web API call that failed: unsigned, stale or tampered requests
 * (`SLACK_SIGNATURE_MISSING`, `SLACK_SIGNATURE_STALE`, `SLACK_SIGNATURE_INVALID`), oversized or malformed
 * payloads (`SLACK_BODY_TOO_LARGE`, `SLACK_BAD_PAYLOAD`), and Web API failures (`SLACK_API_ERROR`,
 * `SLACK_NOT_CONFIGURED`). The Slack route turns them into HTTP statuses in one place.
 */
export class SlackError extends AppError {}

/**
 * A WebSocket frame the chat server refuses (not JSON, unknown type, bad question, rate limited...).
 * The server answers it with an `error` message carrying this code and keeps the connection open.
 * `id` is the client's question id when the frame carried a usable one.
 */
export class ProtocolError extends AppError {
  readonly id: string | null;

  constructor(code: string, message: string, options?: { cause?: unknown; id?: string | null }) {
    super(code, message, options);
    this.id = options?.id ?? null;
  }
}

/**
 * An eval suite, feedback log or report that cannot be used (malformed line, unknown field, evidence not in the
 * article), or an eval run that cannot proceed. Messages start with `file:line:` when a line is at fault.
 */
export class EvalError extends AppError {}

/**
 * The feedback log cannot be written: the lock stays held by a live writer past the timeout
 * (`FEEDBACK_LOCK_TIMEOUT`), or the file cannot be opened or written (`FEEDBACK_WRITE_FAILED`, with the
 * file system error as `cause`). Nothing is half-written: a line is appended whole or not at all.
 */
export class FeedbackError extends AppError {}
