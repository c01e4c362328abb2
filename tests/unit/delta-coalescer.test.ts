import { describe, expect, it } from 'vitest';
import { createDeltaCoalescer } from '../../src/chat/server/delta-coalescer.js';

function harness(options: { buffered?: () => number; max?: number } = {}) {
  const frames: Array<{ id: string; text: string }> = [];
  const coalescer = createDeltaCoalescer({
    send: (id, text) => frames.push({ id, text }),
    bufferedBytes: options.buffered ?? (() => 0),
    maxBufferedBytes: options.max ?? 1 << 20,
  });
  return { frames, coalescer };
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createDeltaCoalescer', () => {
  it('sends the deltas of one synchronous burst as one frame, in order', async () => {
    const { frames, coalescer } = harness();
    coalescer.begin('q1');
    for (const word of ['Some ', '4,700 ', 'soldiers ', '[¶43].']) coalescer.push(word);
    expect(frames).toEqual([]);
    await nextTick();
    expect(frames).toEqual([{ id: 'q1', text: 'Some 4,700 soldiers [¶43].' }]);
    expect(coalescer.counts()).toEqual({ sent: 1, skipped: 0 });
  });

  it('keeps deltas that arrive in separate ticks (an LLM stream) as separate frames', async () => {
    const { frames, coalescer } = harness();
    coalescer.begin('q1');
    coalescer.push('One ');
    await nextTick();
    coalescer.push('two ');
    coalescer.push('three');
    await nextTick();
    expect(frames.map((f) => f.text)).toEqual(['One ', 'two three']);
  });

  it('flush sends what is held at once, so a final frame sent next follows its deltas', () => {
    const { frames, coalescer } = harness();
    coalescer.begin('q1');
    coalescer.push('held');
    coalescer.flush();
    expect(frames).toEqual([{ id: 'q1', text: 'held' }]);
    coalescer.flush();
    expect(frames).toHaveLength(1);
  });

  it('settle drops an answer that came in one burst (the final frame carries it) and sends the tail of a streamed one', async () => {
    const { frames, coalescer } = harness();
    coalescer.begin('whole');
    for (const word of ['All ', 'at ', 'once.']) coalescer.push(word);
    coalescer.settle();
    await nextTick();
    expect(frames).toEqual([]);
    coalescer.begin('streamed');
    coalescer.push('First ');
    await nextTick();
    coalescer.push('then ');
    coalescer.push('the rest.');
    coalescer.settle();
    expect(frames.map((f) => f.text)).toEqual(['First ', 'then the rest.']);
    await nextTick();
    expect(frames).toHaveLength(2);
  });

  it('begin flushes the previous answer under its own id and restarts the counts', async () => {
    const { frames, coalescer } = harness();
    coalescer.begin('q1');
    coalescer.push('first');
    coalescer.begin('q2');
    coalescer.push('second');
    await nextTick();
    expect(frames).toEqual([
      { id: 'q1', text: 'first' },
      { id: 'q2', text: 'second' },
    ]);
    expect(coalescer.counts()).toEqual({ sent: 1, skipped: 0 });
  });

  it('drops the rest of an answer once the send buffer plus the held text would pass the cap, and counts what it dropped', async () => {
    let buffered = 0;
    const { frames, coalescer } = harness({ buffered: () => buffered, max: 10 });
    coalescer.begin('q1');
    coalescer.push('12345');
    coalescer.push('67890');
    coalescer.push('x');
    await nextTick();
    // Never resumed within the answer, even once the buffer drains: the reader sees no gap.
    buffered = 0;
    coalescer.push('y');
    await nextTick();
    expect(frames).toEqual([{ id: 'q1', text: '1234567890' }]);
    expect(coalescer.counts()).toEqual({ sent: 1, skipped: 2 });
    buffered = 8;
    coalescer.begin('q2');
    coalescer.push('abc');
    await nextTick();
    expect(frames).toHaveLength(1);
    expect(coalescer.counts()).toEqual({ sent: 0, skipped: 1 });
  });

  it('measures the cap in bytes, not characters', async () => {
    const { frames, coalescer } = harness({ max: 4 });
    coalescer.begin('q1');
    coalescer.push('¶¶');
    coalescer.push('¶');
    await nextTick();
    expect(frames).toEqual([{ id: 'q1', text: '¶¶' }]);
    expect(coalescer.counts().skipped).toBe(1);
  });
});
