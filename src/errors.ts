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

/** The embedding provider failed or returned vectors of the wrong shape. */
export class EmbeddingError extends AppError {}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
