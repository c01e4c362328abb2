import { describe, expect, it } from 'vitest';
import { createDeadline, iterateUntil, raceSignal } from '../../src/chat/llm/deadline.js';
import { LlmError } from '../../src/chat/llm/llm-error.js';

describe('createDeadline', () => {
  it('aborts with LLM_TIMEOUT naming the limit when the time is up', async () => {
    const deadline = createDeadline({ timeoutMs: 20, what: 'the answer' });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut()).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(LlmError);
    expect(deadline.signal.reason).toMatchObject({ code: 'LLM_TIMEOUT', message: 'the answer took longer than LLM_TIMEOUT_MS (20 ms)' });
    deadline.clear();
  });

  it("aborts with the caller's reason when the caller aborts, and is not a timeout", () => {
    const caller = new AbortController();
    const deadline = createDeadline({ timeoutMs: 10_000, signal: caller.signal, what: 'x' });
    const reason = new Error('reader left');
    caller.abort(reason);
    expect(deadline.signal.reason).toBe(reason);
    expect(deadline.timedOut()).toBe(false);
    deadline.clear();
  });

  it('never fires after clear()', async () => {
    const deadline = createDeadline({ timeoutMs: 10, what: 'x' });
    deadline.clear();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(deadline.signal.aborted).toBe(false);
  });
});

describe('raceSignal and iterateUntil', () => {
  it('rejects with the reason while the promise never settles', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 10);
    await expect(raceSignal(new Promise<never>(() => {}), controller.signal)).rejects.toBe(reason);
  });

  it('stops iterating a producer that hangs and ignores the signal', async () => {
    async function* stuck(): AsyncGenerator<string> {
      yield 'a';
      await new Promise<never>(() => {});
    }
    const controller = new AbortController();
    const seen: string[] = [];
    const reason = new Error('time');
    setTimeout(() => controller.abort(reason), 20);
    await expect(
      (async () => {
        for await (const item of iterateUntil(stuck(), controller.signal)) seen.push(item);
      })(),
    ).rejects.toBe(reason);
    expect(seen).toEqual(['a']);
  });

  it('ends normally with the producer', async () => {
    async function* three(): AsyncGenerator<number> {
      yield* [1, 2, 3];
    }
    const seen: number[] = [];
    for await (const n of iterateUntil(three(), new AbortController().signal)) seen.push(n);
    expect(seen).toEqual([1, 2, 3]);
  });
});
