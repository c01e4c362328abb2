import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/chat/answer-types.js';
import { createChannelPins } from '../../src/chat/slack/channel-pins.js';
import { createEventDeduper } from '../../src/chat/slack/event-deduper.js';
import { createReplayGuard } from '../../src/chat/slack/replay-guard.js';
import { createSharedAnswers } from '../../src/chat/slack/shared-answers.js';
import { openSlackStateStore, type SlackStateStore } from '../../src/chat/slack/slack-state-store.js';
import { createThreadConversations } from '../../src/chat/slack/thread-conversations.js';
import { SlackError } from '../../src/errors.js';
import { createMemoryLogger } from '../../src/logger.js';

let dir: string;
let file: string;
const open: SlackStateStore[] = [];

function reopen(): SlackStateStore {
  const store = openSlackStateStore({ file });
  open.push(store);
  return store;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-slack-state-'));
  file = path.join(dir, 'nested', 'slack-state.sqlite');
});
afterEach(async () => {
  for (const store of open.splice(0)) store.close();
  await rm(dir, { recursive: true, force: true });
});

const answer: Answer = {
  answer: 'Bulat is a medic [¶36].',
  grounded: true,
  confidence: 0.8,
  citations: [{ id: 'p36', article: 'a', paragraph: 36, text: 'Bulat is a medic.', quote: 'Bulat is a medic.' }],
  related: [{ id: 'p1', article: 'a', paragraph: 1, text: 'not history' }],
  answerer: 'extractive',
  notes: [],
};

describe('openSlackStateStore', () => {
  it('keeps claimed event ids, threads, pins and shared answers across a close and reopen of the same file', () => {
    const now = 1_000_000;
    const first = reopen();
    expect(createEventDeduper({ store: first, now: () => now }).claim('Ev1')).toBe(true);
    createThreadConversations({ store: first, now: () => now }).append('C1:1.0', { question: 'Who is Bulat?', answer }, ['a']);
    createChannelPins({ store: first }).set('C1', { articles: ['a', 'b'], pinnedBy: 'U1', pinnedAt: now });
    const shareId = createSharedAnswers({ store: first }).keep({ text: 'kept' }, now);
    first.close();

    const second = reopen();
    expect(createEventDeduper({ store: second, now: () => now + 1 }).claim('Ev1')).toBe(false);
    const threads = createThreadConversations({ store: second, now: () => now + 1 });
    expect(threads.history('C1:1.0')).toEqual([{ question: 'Who is Bulat?', answer: { ...answer, related: [] } }]);
    expect(threads.articles('C1:1.0')).toEqual(['a']);
    expect(createChannelPins({ store: second }).get('C1')).toEqual({ articles: ['a', 'b'], pinnedBy: 'U1', pinnedAt: now });
    expect(createSharedAnswers({ store: second }).take(shareId, now + 1)).toEqual({ text: 'kept' });
  });

  it('deletes expired rows on sweep and ignores them before that', () => {
    const store = reopen();
    const deduper = createEventDeduper({ store, ttlMs: 10, now: () => 0 });
    deduper.claim('Ev1');
    const shared = createSharedAnswers({ store, ttlMs: 10 });
    const id = shared.keep({ text: 'x' }, 0);
    expect(shared.take(id, 9)).toEqual({ text: 'x' });
    expect(shared.take(id, 10)).toBeUndefined();
    expect(store.sweep(10)).toBe(2);
    expect(store.sweep(10)).toBe(0);
  });

  it('moves a file that is not a database aside with a warning and starts empty', async () => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'this is not a sqlite database, just text that got here somehow'.repeat(100));
    const logger = createMemoryLogger();
    const store = openSlackStateStore({ file, logger });
    open.push(store);
    expect(createEventDeduper({ store }).claim('Ev1')).toBe(true);
    expect(logger.lines.join('')).toMatch(/slack state store was corrupt; moved aside and started empty file=".*slack-state\.sqlite" movedTo=".*\.corrupt-\d+"/);
    expect((await readdir(path.dirname(file))).some((name) => /^slack-state\.sqlite\.corrupt-\d+$/.test(name))).toBe(true);
  });

  it('throws SLACK_STATE_UNAVAILABLE naming the file when the directory cannot be written', async () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; a path under a regular file fails for everyone.
      await writeFile(path.join(dir, 'plain-file'), 'x');
      file = path.join(dir, 'plain-file', 'slack-state.sqlite');
    } else {
      await chmod(dir, 0o500);
    }
    let caught: unknown;
    try {
      reopen();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SlackError);
    expect(caught).toMatchObject({ code: 'SLACK_STATE_UNAVAILABLE' });
    expect((caught as Error).message).toContain(file);
    await chmod(dir, 0o700);
  });
});

describe('createReplayGuard', () => {
  it('refuses a (timestamp, signature) pair seen before, after a reopen too, until the timestamp would be stale', () => {
    const ts = 1_700_000_000;
    const nowMs = ts * 1000;
    const guard = createReplayGuard({ store: reopen() });
    expect(guard.claim(String(ts), 'v0=aa', nowMs)).toBe(true);
    expect(guard.claim(String(ts), 'v0=aa', nowMs + 1000)).toBe(false);
    expect(guard.claim(String(ts), 'v0=bb', nowMs + 1000)).toBe(true);
    expect(guard.claim(String(ts + 1), 'v0=aa', nowMs + 1000)).toBe(true);
    open[0]!.close();
    const restarted = createReplayGuard({ store: reopen() });
    expect(restarted.claim(String(ts), 'v0=aa', nowMs + 299_000)).toBe(false);
    // Past the window the signature check refuses it as stale; the guard no longer needs to remember it.
    expect(restarted.claim(String(ts), 'v0=aa', nowMs + 302_000)).toBe(true);
  });
});

describe('createChannelPins', () => {
  it('replaces a channel pin and clears it', () => {
    const pins = createChannelPins({ store: reopen() });
    pins.set('C1', { articles: ['a'], pinnedBy: 'U1', pinnedAt: 1 });
    pins.set('C1', { articles: ['b', 'c'], pinnedBy: 'U2', pinnedAt: 2 });
    expect(pins.get('C1')?.articles).toEqual(['b', 'c']);
    expect(pins.get('C2')).toBeUndefined();
    expect(pins.clear('C1')).toBe(true);
    expect(pins.clear('C1')).toBe(false);
    expect(pins.get('C1')).toBeUndefined();
  });
});
