import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedbackError } from '../../src/errors.js';
import { createFeedbackStore, fitRecord } from '../../src/feedback/feedback-store.js';
import { withFileLock } from '../../src/feedback/file-lock.js';
import { REPO_ROOT } from '../helpers/create-test-engine.js';

const run = promisify(execFile);
const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
const CHILD = path.join(REPO_ROOT, 'tests/helpers/append-feedback-child.ts');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-feedback-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createFeedbackStore', () => {
  it('keeps every line whole when two processes append records far over the pipe-atomic size (issue 11 item 6)', async () => {
    const file = path.join(dir, 'feedback.jsonl');
    // 900 KB answers: fs.appendFile wrote these in 512 KiB chunks, and two writers' chunks interleaved.
    await Promise.all(['left', 'right'].map((tag) => run(TSX, [CHILD, file, '40', String(900_000), tag], { cwd: REPO_ROOT, timeout: 60_000 })));
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(80);
    const records = lines.map((line) => JSON.parse(line) as { user: string; answer: { text: string }; truncated?: string[] });
    expect(records.map((r) => r.user).sort()).toEqual(
      ['left', 'right'].flatMap((tag) => Array.from({ length: 40 }, (_, i) => `${tag}-${i}`)).sort(),
    );
    for (const record of records) {
      expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThan(16 * 1024);
      expect(record.truncated).toEqual(['answer.text']);
      expect(record.answer.text.startsWith(record.user.split('-')[0]!)).toBe(true);
      expect(record.answer.text.endsWith('…')).toBe(true);
    }
    await expect(stat(`${file}.lock`)).rejects.toThrow(/ENOENT/);
  });

  it('writes a record under the cap unchanged, and fsyncs it before resolving', async () => {
    const file = path.join(dir, 'deep', 'feedback.jsonl');
    const store = createFeedbackStore({ file });
    const record = { ts: '2026-01-01T00:00:00.000Z', kind: 'helpful', question: 'Q "quoted"\nnewline?', cited: ['p2'] };
    await store.append(record);
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(record)}\n`);
  });

  it('rejects a write that fails with FEEDBACK_WRITE_FAILED and keeps accepting later ones', async () => {
    await writeFile(path.join(dir, 'not-a-dir'), 'x');
    const blocked = createFeedbackStore({ file: path.join(dir, 'not-a-dir', 'x.jsonl') });
    const error = await blocked.append({ ts: 't', kind: 'helpful' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedbackError);
    expect((error as FeedbackError).code).toBe('FEEDBACK_WRITE_FAILED');
    const file = path.join(dir, 'ok.jsonl');
    const store = createFeedbackStore({ file });
    await Promise.all([store.append({ ts: 't', kind: 'a' }), store.append({ ts: 't', kind: 'b' })]);
    expect(await readFile(file, 'utf8')).toBe('{"ts":"t","kind":"a"}\n{"ts":"t","kind":"b"}\n');
  });
});

describe('fitRecord', () => {
  it('shortens the longest strings first and lists them, so the line fits', () => {
    const record = { ts: 't', kind: 'helpful', question: 'q'.repeat(3000), answer: { text: 'a'.repeat(9000), grounded: true }, cited: ['p1'] };
    const line = fitRecord(record, 2048);
    expect(Buffer.byteLength(line)).toBeLessThan(2048);
    const parsed = JSON.parse(line) as { question: string; answer: { text: string; grounded: boolean }; truncated: string[]; cited: string[] };
    expect(parsed.truncated).toEqual(expect.arrayContaining(['answer.text']));
    expect(parsed.answer.grounded).toBe(true);
    expect(parsed.cited).toEqual(['p1']);
    expect(parsed.question.startsWith('qqqq')).toBe(true);
  });

  it('counts bytes, not characters, for text that JSON escapes or UTF-8 widens', () => {
    const line = fitRecord({ ts: 't', kind: 'x', question: '"€😀\n'.repeat(2000) }, 1024);
    expect(Buffer.byteLength(line)).toBeLessThan(1024);
    expect(JSON.parse(line)).toMatchObject({ truncated: ['question'] });
  });

  it('refuses a record that cannot be made to fit with FEEDBACK_WRITE_FAILED', () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field${i}`, 'x'.repeat(10)]));
    expect(() => fitRecord({ ts: 't', kind: 'x', ...many }, 512)).toThrow(FeedbackError);
  });
});

describe('withFileLock', () => {
  it('waits for a lock held by a live process and times out with FEEDBACK_LOCK_TIMEOUT naming it', async () => {
    const lock = path.join(dir, 'f.lock');
    await writeFile(lock, `${process.pid}\n${os.hostname()}\n${Date.now()}\nsomeone-else\n`);
    const error = await withFileLock({ file: lock, timeoutMs: 150 }, async () => 'ran').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedbackError);
    expect((error as FeedbackError).code).toBe('FEEDBACK_LOCK_TIMEOUT');
    expect((error as FeedbackError).message).toContain(`held by pid ${process.pid}`);
    // The other holder's lock is left alone.
    expect(await readFile(lock, 'utf8')).toContain('someone-else');
  });

  it('breaks a lock left by a dead process or a too-old one, and removes its own lock after', async () => {
    const lock = path.join(dir, 'f.lock');
    const dead = 2 ** 22 + 12345; // above Linux's default pid_max, so no such process
    await writeFile(lock, `${dead}\n${os.hostname()}\n${Date.now()}\ncrashed\n`);
    expect(await withFileLock({ file: lock, timeoutMs: 1000 }, async () => 'ran')).toBe('ran');
    await expect(stat(lock)).rejects.toThrow(/ENOENT/);
    await writeFile(lock, `${process.pid}\nother-host\n${Date.now() - 60_000}\nold\n`);
    expect(await withFileLock({ file: lock, timeoutMs: 1000, staleMs: 30_000 }, async () => 'ran again')).toBe('ran again');
    await writeFile(lock, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    expect(await withFileLock({ file: lock, timeoutMs: 1000 }, async () => 'empty lock broken')).toBe('empty lock broken');
  });

  it('lets one holder in at a time', async () => {
    const lock = path.join(dir, 'f.lock');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withFileLock({ file: lock }, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
  });
});
