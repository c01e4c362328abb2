import { describe, expect, it } from 'vitest';
import { createEventDeduper, type EventDeduperOptions } from '../../src/chat/slack/event-deduper.js';
import { openSlackStateStore } from '../../src/chat/slack/slack-state-store.js';

/** Each deduper gets its own in-memory store; tests/unit/slack-state-store.test.ts covers the file-backed one. */
function deduperWith(options: Omit<EventDeduperOptions, 'store'> = {}) {
  return createEventDeduper({ store: openSlackStateStore({ file: ':memory:' }), ...options });
}

describe('createEventDeduper', () => {
  it('lets the first claim of an event id win and refuses every later one', () => {
    const deduper = deduperWith();
    expect([deduper.claim('Ev1'), deduper.claim('Ev1'), deduper.claim('Ev2'), deduper.claim('Ev1')]).toEqual([true, false, true, false]);
  });

  it('forgets an id after options.ttlMs', () => {
    let now = 0;
    const deduper = deduperWith({ ttlMs: 1000, now: () => now });
    expect(deduper.claim('Ev1')).toBe(true);
    now = 999;
    expect(deduper.claim('Ev1')).toBe(false);
    now = 1000;
    expect(deduper.claim('Ev1')).toBe(true);
  });

  it('keeps at most options.maxEntries ids, forgetting the oldest first', () => {
    const deduper = deduperWith({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) expect(deduper.claim(id)).toBe(true);
    expect(deduper.size).toBe(3);
    expect(deduper.claim('d')).toBe(false);
    expect(deduper.claim('a')).toBe(true);
  });

  it('drops expired ids so memory does not grow with time', () => {
    let now = 0;
    const deduper = deduperWith({ ttlMs: 10, now: () => now });
    for (let i = 0; i < 100; i += 1) {
      now = i * 5;
      deduper.claim(`Ev${i}`);
    }
    expect(deduper.size).toBe(2);
  });

  it('rejects contradictory options with a RangeError', () => {
    expect(() => deduperWith({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => deduperWith({ ttlMs: -1 })).toThrow(RangeError);
  });
});
