/**
 * A minimal structured logger: one line per event, `level message key=value ...`.
 * Question bodies are never logged by callers (readers' questions are private).
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function format(level: string, message: string, fields?: Record<string, unknown>): string {
  const parts = [new Date().toISOString(), level, message];
  for (const [key, value] of Object.entries(fields ?? {})) {
    parts.push(`${key}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
  return `${parts.join(' ')}\n`;
}

/** Writes to stderr so stdout stays free for CLI output. */
export function createConsoleLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  return {
    info: (message, fields) => stream.write(format('info', message, fields)),
    warn: (message, fields) => stream.write(format('warn', message, fields)),
    error: (message, fields) => stream.write(format('error', message, fields)),
  };
}

/** Drops everything; for tests and quiet CLIs. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Keeps lines in memory; tests assert on them. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message, fields) => lines.push(format('info', message, fields)),
    warn: (message, fields) => lines.push(format('warn', message, fields)),
    error: (message, fields) => lines.push(format('error', message, fields)),
  };
}
