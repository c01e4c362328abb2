import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IndexError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface DataDirLockOptions {
  /** The directory to lock (it must exist); the lock is the file `LOCK` in it. */
  readonly dir: string;
  readonly logger: Logger;
  /**
   * A lock whose holder is gone (its pid is dead on this host) is broken at once; one that has not been
   * refreshed for this long is broken too (a holder on another host, or a reused pid). The holder refreshes
   * it every third of this. Default 10 minutes.
   */
  readonly staleMs?: number;
  /** Give up waiting for a live holder after this long with `INDEX_LOCKED`; default 10 minutes. */
  readonly timeoutMs?: number;
  /** How often a waiter looks again; default 100 ms. */
  readonly pollMs?: number;
}

export interface DataDirLock {
  /** Removes the lock (only if it is still this holder's). Idempotent. */
  release(): Promise<void>;
}

interface LockRecord {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly at: string;
}

const LOCK_FILE = 'LOCK';

/**
 * An exclusive lock on a data directory shared by several processes (two servers on one `DATA_DIR`):
 * `dir/LOCK` created with O_EXCL, holding `{pid, host, token, at}`. Waits while a live process holds it
 * (logging once whom it waits for), breaks a stale one (dead pid on this host, or not refreshed for
 * `staleMs`), and throws `IndexError` `INDEX_LOCKED` naming the holder after `timeoutMs`. File system
 * errors other than "it exists" (EROFS, EACCES, ...) are thrown as they are, for the caller to judge.
 */
export async function lockDataDir(options: DataDirLockOptions): Promise<DataDirLock> {
  const { dir, logger, staleMs = 600_000, timeoutMs = 600_000, pollMs = 100 } = options;
  const file = path.join(dir, LOCK_FILE);
  const record: LockRecord = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex'), at: new Date().toISOString() };
  const started = Date.now();
  let announced = false;
  for (;;) {
    if (await tryCreate(file, record)) break;
    const holder = await readHolder(file);
    if (holder === undefined) continue; // released between our attempt and the read: try again at once
    if (await isStale(file, holder.record, staleMs)) {
      logger.warn('index: breaking a stale DATA_DIR lock', { dir, pid: holder.record.pid, host: holder.record.host, since: holder.record.at });
      await breakLock(file, holder.record.token);
      continue;
    }
    if (Date.now() - started >= timeoutMs) {
      throw new IndexError(
        'INDEX_LOCKED',
        `${file} is held by pid ${holder.record.pid} on ${holder.record.host} since ${holder.record.at}; waited ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    if (!announced) {
      announced = true;
      logger.info('index: waiting for the DATA_DIR lock', { dir, pid: holder.record.pid, host: holder.record.host });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  // Refresh the lock while held, so a waiter can tell a live holder from a dead one on another host.
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(file, now, now).catch(() => {});
  }, Math.max(1000, Math.floor(staleMs / 3)));
  heartbeat.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      const holder = await readHolder(file);
      if (holder?.record.token === record.token) await unlink(file).catch(() => {});
    },
  };
}

async function tryCreate(file: string, record: LockRecord): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(record)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

async function readHolder(file: string): Promise<{ record: LockRecord } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const record = JSON.parse(text) as LockRecord;
    if (typeof record.pid === 'number' && typeof record.token === 'string') return { record };
  } catch {
    // A holder that died between creating the file and writing it leaves it empty or torn.
  }
  return { record: { pid: 0, host: '?', token: `unreadable:${text.length}`, at: '?' } };
}

async function isStale(file: string, record: LockRecord, staleMs: number): Promise<boolean> {
  let modified: number;
  try {
    modified = (await stat(file)).mtimeMs;
  } catch {
    return false; // gone: the next attempt will create it
  }
  if (Date.now() - modified > staleMs) return true;
  if (record.pid === 0) return Date.now() - modified > 5000; // torn record: give its writer a moment
  if (record.host !== os.hostname()) return false;
  return !isAlive(record.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'; // alive, owned by another user
  }
}

/**
 * Removes the stale lock with token `token`, and only that one: it is renamed aside first, and if the
 * file renamed turns out to be a fresh lock another process created meanwhile, it is put back.
 */
async function breakLock(file: string, token: string): Promise<void> {
  const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside);
  if (moved !== undefined && moved.record.token !== token) {
    await link(aside, file).catch(() => {}); // someone else's fresh lock: restore it unless a newer one exists
  }
  await unlink(aside).catch(() => {});
}
