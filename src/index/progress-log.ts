import type { Logger } from '../logger.js';

export interface ProgressLogOptions {
  readonly logger: Logger;
  /** The log message, e.g. `index: embedding`. */
  readonly message: string;
  readonly total: number;
  /** At most one line per this many milliseconds (the last line always comes); default 5000. */
  readonly intervalMs?: number;
  /** Extra fields for a line, from how many are done (e.g. paragraphs and sentences separately). */
  readonly fields?: (done: number) => Record<string, unknown>;
  /** Clock, default `Date.now`; tests pass their own. */
  readonly now?: () => number;
}

export interface ProgressLog {
  /** Records that `done` of `total` are finished; logs a line if `intervalMs` has passed since the last one. */
  update(done: number): void;
}

/**
 * Progress of a long job as log lines, throttled: `done`/`total`, the rate so far and the time left at that
 * rate, e.g. `index: embedding done="12000/130185" perSecond=84.2 eta="23m 22s"`. The line for the last item
 * is always written.
 */
export function createProgressLog(options: ProgressLogOptions): ProgressLog {
  const { logger, message, total, intervalMs = 5000, now = Date.now } = options;
  const started = now();
  let lastLine = started;
  return {
    update(done) {
      const at = now();
      if (done < total && at - lastLine < intervalMs) return;
      lastLine = at;
      const seconds = (at - started) / 1000;
      const perSecond = seconds > 0 ? done / seconds : 0;
      logger.info(message, {
        done: `${done}/${total}`,
        ...options.fields?.(done),
        perSecond: Math.round(perSecond * 10) / 10,
        ...(done < total ? { eta: perSecond > 0 ? formatDuration((total - done) / perSecond) : 'unknown' } : { s: Math.round(seconds * 10) / 10 }),
      });
    },
  };
}

/** `95` -> `1m 35s`, `7300` -> `2h 1m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
