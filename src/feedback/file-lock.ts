import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import { FeedbackError } from '../errors.js';

export interface FileLockOptions {
  /** The lock file, e.g. `feedback.jsonl.lock`; created with O_EXCL, so exactly one holder at a time. */
  readonly file: string;
  /** Give up waiting after this long with `FEEDBACK_LOCK_TIMEOUT`; default 5000 ms. */
  readonly timeoutMs?: number;
  /**
   * A lock older than this is taken to be left over from a crash and broken, even when its pid is alive
   * (the pid may have been reused); default 30000 ms. A holder keeps the lock for one append (milliseconds).
   */
  readonly staleMs?: number;
}

const DEFAULTS = { timeoutMs: 5000, staleMs: 30_000 };

/**
 * Runs `fn` while holding an exclusive lock file shared by every process on the machine that appends to
 * the same log (the chat server, the Slack bot, a second server on the same `DATA_DIR`). The lock file
 * holds the holder's pid, host, time and a random token; it is removed after `fn` settles, only if it is
 * still ours. A lock whose holder is dead (same host, no such pid) or that is older than `staleMs` is
 * broken by renaming it aside first, so two waiters cannot both delete a fresh lock. Waiting polls with
 * jitter; past `timeoutMs` it throws `FeedbackError` `FEEDBACK_LOCK_TIMEOUT` naming the holder.
 */
export async function withFileLock<T>(options: FileLockOptions, fn: () => Promise<T>): Promise<T> {
  const { file, timeoutMs, staleMs } = { ...DEFAULTS, ...options };
  const token = randomBytes(8).toString('hex');
  const deadline = Date.now() + timeoutMs;
  let holder = '';
  for (let attempt = 0; ; attempt += 1) {
    if (await tryCreate(file, `${process.pid}\n${os.hostname()}\n${Date.now()}\n${token}\n`)) break;
    holder = await readFile(file, 'utf8').catch(() => '');
    if (await isStale(file, holder, staleMs)) {
      await breakLock(file, holder, token);
      continue;
    }
    if (Date.now() >= deadline) {
      const [pid, host, since] = holder.split('\n');
      throw new FeedbackError(
        'FEEDBACK_LOCK_TIMEOUT',
        `${file} is held by pid ${pid ?? '?'} on ${host ?? '?'} since ${since === undefined ? '?' : new Date(Number(since)).toISOString()}; waited ${timeoutMs} ms`,
      );
    }
    await sleep(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
  }
  try {
    return await fn();
  } finally {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current.split('\n')[3] === token) await unlink(file).catch(() => undefined);
  }
}

async function tryCreate(file: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new FeedbackError('FEEDBACK_WRITE_FAILED', `${file}: cannot create the lock file (${(error as Error).message})`, { cause: error });
  }
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  return true;
}

async function isStale(file: string, holder: string, staleMs: number): Promise<boolean> {
  const [pid, host, since] = holder.split('\n');
  if (holder === '') {
    // Just created and not yet written, or unreadable: judge by the file's age alone.
    const info = await stat(file).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > staleMs;
  }
  if (Date.now() - Number(since) > staleMs) return true;
  return host === os.hostname() && !isAlive(Number(pid));
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Moves the stale lock aside (atomic), then removes it; if what was moved is not what was judged stale, puts it back. */
async function breakLock(file: string, judged: string, token: string): Promise<void> {
  const aside = `${file}.${token}.stale`;
  try {
    await rename(file, aside);
  } catch {
    return; // someone else broke it first
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== judged) {
    // A fresh lock was taken between our look and the rename: put it back, unless yet another lock
    // exists by now (link, unlike rename, never replaces one).
    await link(aside, file).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
