import { describe, expect, it } from 'vitest';
import { createFrameBudget } from '../../src/chat/server/frame-budget.js';

describe('createFrameBudget', () => {
  it('takes a burst of twice the rate, then one frame per 1/rate seconds, and flags only the first frame over', () => {
    let clock = 0;
    const budget = createFrameBudget({ perSecond: 10, now: () => clock });
    const verdicts = Array.from({ length: 23 }, () => budget.take());
    expect(verdicts.slice(0, 20).every((v) => v === 'ok')).toBe(true);
    expect(verdicts.slice(20)).toEqual(['first-over', 'over', 'over']);
    clock += 100; // one frame's worth
    expect(budget.take()).toBe('ok');
    expect(budget.take()).toBe('over');
    expect(budget.dropped).toBe(4);
  });

  it('says flood once a stretch goes five seconds’ worth over the budget, and forgets a stretch after a quiet spell', () => {
    let clock = 0;
    const budget = createFrameBudget({ perSecond: 10, now: () => clock });
    for (let i = 0; i < 20; i += 1) budget.take();
    for (let i = 0; i < 50; i += 1) expect(budget.take()).not.toBe('flood');
    expect(budget.take()).toBe('flood');
    const calm = createFrameBudget({ perSecond: 10, now: () => clock });
    for (let i = 0; i < 60; i += 1) calm.take(); // 40 over
    clock += 2000; // the bucket refills: the next stretch starts from zero
    for (let i = 0; i < 20; i += 1) expect(calm.take()).toBe('ok');
    for (let i = 0; i < 50; i += 1) expect(calm.take()).not.toBe('flood');
  });

  it('closes a client that stays a little over the rate for long enough', () => {
    let clock = 0;
    const budget = createFrameBudget({ perSecond: 10, now: () => clock });
    let verdict = budget.take();
    let frames = 1;
    // 15 frames a second against a budget of 10: 5 over every second.
    while (verdict !== 'flood' && frames < 10_000) {
      clock += 1000 / 15;
      verdict = budget.take();
      frames += 1;
    }
    expect(verdict).toBe('flood');
    expect(clock / 1000).toBeGreaterThan(10);
    expect(clock / 1000).toBeLessThan(20);
  });

  it('refuses a rate that is not positive as a programming error', () => {
    expect(() => createFrameBudget({ perSecond: 0 })).toThrow('perSecond must be positive, got 0');
  });
});
