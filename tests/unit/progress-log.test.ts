import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.js';
import { createProgressLog, formatDuration } from '../../src/index/progress-log.js';

describe('createProgressLog', () => {
  it('logs at most once per interval with done/total, the rate and the time left, and always the last item', () => {
    const logger = createMemoryLogger();
    let clock = 1_000_000;
    const progress = createProgressLog({ logger, message: 'index: embedding', total: 1000, intervalMs: 5000, now: () => clock });
    for (let done = 10; done <= 1000; done += 10) {
      clock += 1000; // 10 texts a second
      progress.update(done);
    }
    // 100 updates over 100 s: one line every 5 s, the last one included.
    expect(logger.lines).toHaveLength(20);
    expect(logger.lines[0]).toMatch(/info index: embedding done="50\/1000" perSecond=10 eta="1m 35s"\n$/);
    expect(logger.lines.at(-1)).toMatch(/done="1000\/1000" perSecond=10 s=100\n$/);
  });

  it('adds the caller’s fields to each line', () => {
    const logger = createMemoryLogger();
    let clock = 0;
    const progress = createProgressLog({
      logger,
      message: 'index: embedding',
      total: 30,
      intervalMs: 0,
      now: () => (clock += 500),
      fields: (done) => ({ paragraphs: `${Math.min(done, 10)}/10` }),
    });
    progress.update(20);
    expect(logger.lines[0]).toMatch(/done="20\/30" paragraphs="10\/10" perSecond=40 eta="0s"/);
  });
});

describe('formatDuration', () => {
  it('writes seconds, minutes and hours the way an operator reads them', () => {
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(95)).toBe('1m 35s');
    expect(formatDuration(7300)).toBe('2h 1m');
  });
});
