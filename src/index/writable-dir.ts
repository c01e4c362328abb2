import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { IndexError } from '../errors.js';

/** errno codes that mean "this process may not write here", as opposed to a bug or a crash. */
const WRITE_REFUSALS: Readonly<Record<string, string>> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
};

/** Whether `error` is the file system refusing a write (read-only, permissions, full), not a bug. */
export function isWriteRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code in WRITE_REFUSALS;
}

/** `EROFS (the file system is read-only)`, or the error's own message for other errors. */
export function describeWriteRefusal(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in WRITE_REFUSALS) return `${code} (${WRITE_REFUSALS[code]})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates `dir` if needed and checks that this process may write in it. Throws `IndexError`
 * `INDEX_DATA_DIR_NOT_WRITABLE` naming the directory and the real reason (`EROFS`, `EACCES`, ...), with
 * the errno error as `cause` (its `code` is kept on the IndexError's cause). A recursive `mkdir` on a
 * read-only tree reports a misleading `ENOENT`; this walks up to the nearest existing ancestor and asks
 * it, so the message says what is actually wrong.
 */
export async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const reason = isWriteRefusal(error) ? error : await ancestorRefusal(dir, error);
    throw new IndexError('INDEX_DATA_DIR_NOT_WRITABLE', `${dir} is not writable: ${describeWriteRefusal(reason)}`, { cause: reason });
  }
}

/** Why the nearest existing ancestor of `dir` refuses writes, or `fallback` when it does not. */
async function ancestorRefusal(dir: string, fallback: unknown): Promise<unknown> {
  let current = path.dirname(path.resolve(dir));
  for (;;) {
    try {
      await access(current, constants.F_OK);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return fallback;
      current = parent;
      continue;
    }
    try {
      await access(current, constants.W_OK);
      return fallback;
    } catch (error) {
      return error;
    }
  }
}
