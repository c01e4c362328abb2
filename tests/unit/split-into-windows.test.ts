import { describe, expect, it } from 'vitest';
import { MODEL_WINDOW_CHARS, splitIntoWindows } from '../../src/index/split-into-windows.js';

describe('splitIntoWindows', () => {
  it('returns a text that fits as one window, the same string', () => {
    const text = 'A short paragraph. It fits.';
    expect(splitIntoWindows(text, 100)).toEqual([text]);
    expect(splitIntoWindows('x'.repeat(MODEL_WINDOW_CHARS))).toHaveLength(1);
  });

  it('cuts a long text after sentence ends, every window within the limit, nothing lost or reordered', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something "quoted."`);
    const text = sentences.join(' ');
    const windows = splitIntoWindows(text, 200);
    expect(windows.length).toBeGreaterThan(5);
    for (const window of windows) {
      expect(window.length).toBeLessThanOrEqual(200);
      expect(window).toMatch(/^Sentence number \d+/);
      expect(window).toMatch(/\."$/);
    }
    expect(windows.join(' ')).toBe(text);
  });

  it('cuts at a space when a window holds no sentence end, and inside a word only when it has no space', () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const byWords = splitIntoWindows(words, 50);
    for (const window of byWords) expect(window.length).toBeLessThanOrEqual(50);
    expect(byWords.join(' ')).toBe(words);
    expect(byWords.every((window) => /^word\d+( word\d+)*$/.test(window))).toBe(true);
    expect(splitIntoWindows('y'.repeat(120), 50)).toEqual(['y'.repeat(50), 'y'.repeat(50), 'y'.repeat(20)]);
  });

  it('never separates the two halves of a surrogate pair', () => {
    const text = '😀'.repeat(30); // 60 UTF-16 code units, no spaces
    const windows = splitIntoWindows(text, 7);
    expect(windows.join('')).toBe(text);
    for (const window of windows) expect(window.length).toBeLessThanOrEqual(7);
    for (const window of windows) expect([...window].every((c) => c === '😀')).toBe(true);
  });

  it('splits a 1,000,000-character paragraph into windows that cover it', () => {
    const text = 'The council met again on Tuesday. '.repeat(30_000);
    const windows = splitIntoWindows(text);
    expect(windows.length).toBeGreaterThanOrEqual(Math.ceil(text.length / MODEL_WINDOW_CHARS));
    expect(windows.join(' ')).toBe(text.trimEnd());
  });

  it('refuses a window of less than two characters', () => {
    expect(() => splitIntoWindows('abc', 1)).toThrow('maxChars must be a whole number of at least 2, got 1');
  });
});
