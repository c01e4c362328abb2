import { describe, expect, it } from 'vitest';
import type { Answer, ConversationTurn } from '../../src/chat/answer-types.js';
import { openSlackStateStore } from '../../src/chat/slack/slack-state-store.js';
import { createThreadConversations, threadKey, type ThreadConversationsOptions } from '../../src/chat/slack/thread-conversations.js';

function threadsWith(options: Omit<ThreadConversationsOptions, 'store'> = {}) {
  return createThreadConversations({ store: openSlackStateStore({ file: ':memory:' }), ...options });
}

function turn(question: string): ConversationTurn {
  const answer: Answer = { answer: 'a', grounded: true, confidence: 0.9, citations: [], related: [], answerer: 'extractive', notes: [] };
  return { question, answer };
}

describe('createThreadConversations', () => {
  it('returns the turns of a thread oldest first and nothing for another thread', () => {
    const threads = threadsWith();
    threads.append(threadKey('C1', '1.0'), turn('one'));
    threads.append(threadKey('C1', '1.0'), turn('two'));
    expect(threads.history(threadKey('C1', '1.0')).map((t) => t.question)).toEqual(['one', 'two']);
    expect(threads.history(threadKey('C2', '1.0'))).toEqual([]);
  });

  it('keeps the last options.maxTurns turns of a thread', () => {
    const threads = threadsWith({ maxTurns: 2 });
    for (const q of ['a', 'b', 'c']) threads.append('t', turn(q));
    expect(threads.history('t').map((t) => t.question)).toEqual(['b', 'c']);
  });

  it('forgets the least recently used thread beyond options.maxThreads', () => {
    const threads = threadsWith({ maxThreads: 2 });
    threads.append('a', turn('1'));
    threads.append('b', turn('2'));
    threads.append('a', turn('3'));
    threads.append('c', turn('4'));
    expect(threads.size).toBe(2);
    expect(threads.history('b')).toEqual([]);
    expect(threads.history('a')).toHaveLength(2);
  });

  it('forgets a thread idle for longer than options.ttlMs', () => {
    let now = 0;
    const threads = threadsWith({ ttlMs: 100, now: () => now });
    threads.append('t', turn('q'));
    now = 99;
    expect(threads.history('t')).toHaveLength(1);
    now = 100;
    expect(threads.history('t')).toEqual([]);
    expect(threads.size).toBe(0);
  });

  it('returns a copy, so callers cannot change the stored history', () => {
    const threads = threadsWith();
    threads.append('t', turn('q'));
    (threads.history('t') as ConversationTurn[]).push(turn('x'));
    expect(threads.history('t')).toHaveLength(1);
  });
});
