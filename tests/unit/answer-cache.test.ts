import { describe, expect, it } from 'vitest';
import { AnswerCache, type AnswerKeyParts } from '../../src/chat/answer-cache.js';
import type { Answer, ConversationTurn } from '../../src/chat/answer-types.js';

function answer(text: string, quote = 'Quote.'): Answer {
  return {
    answer: text,
    grounded: true,
    confidence: 0.9,
    citations: [{ id: 'p3', article: 'nk', paragraph: 3, text: `Paragraph. ${quote}`, quote }],
    related: [],
    answerer: 'extractive',
    notes: [],
  };
}

const base: AnswerKeyParts = { question: 'Who is Vlad?', article: undefined, retriever: 'hybrid', history: [] };

describe('AnswerCache', () => {
  describe('.key', () => {
    it('is the same for the same question and conversation', () => {
      const history: ConversationTurn[] = [{ question: 'Who is Bulat?', answer: answer('A sniper [¶20].') }];
      expect(AnswerCache.key({ ...base, history })).toBe(AnswerCache.key({ ...base, history: [...history] }));
    });

    it('differs when the question, article, retriever or any earlier turn differs', () => {
      const turn: ConversationTurn = { question: 'Who is Bulat?', answer: answer('A sniper [¶20].') };
      const keys = [
        AnswerCache.key(base),
        AnswerCache.key({ ...base, question: 'Who is vlad?' }),
        AnswerCache.key({ ...base, article: 'nk' }),
        AnswerCache.key({ ...base, retriever: 'bm25' }),
        AnswerCache.key({ ...base, history: [turn] }),
        AnswerCache.key({ ...base, history: [{ ...turn, answer: answer('A sniper [¶20].', 'Other quote.') }] }),
      ];
      expect(new Set(keys).size).toBe(keys.length);
    });
  });

  describe('#get / #set', () => {
    it('returns what was stored and counts hits and misses', () => {
      const cache = new AnswerCache({ capacity: 2 });
      const stored = { answer: answer('Vlad is a soldier [¶13].'), deltas: ['Vlad ', 'is ', 'a ', 'soldier ', '[¶13].'] };
      expect(cache.get('k')).toBeUndefined();
      cache.set('k', stored);
      expect(cache.get('k')).toBe(stored);
      expect(cache.stats).toEqual({ hits: 1, misses: 1, size: 1 });
    });

    it('evicts the least recently used entry beyond its capacity', () => {
      const cache = new AnswerCache({ capacity: 2 });
      const entry = (text: string) => ({ answer: answer(text), deltas: [text] });
      cache.set('a', entry('A'));
      cache.set('b', entry('B'));
      cache.get('a');
      cache.set('c', entry('C'));
      expect(cache.get('b')).toBeUndefined();
      expect(cache.get('a')?.answer.answer).toBe('A');
      expect(cache.get('c')?.answer.answer).toBe('C');
    });

    it('stores nothing with capacity 0 and refuses a negative capacity', () => {
      const cache = new AnswerCache({ capacity: 0 });
      cache.set('a', { answer: answer('A'), deltas: ['A'] });
      expect(cache.get('a')).toBeUndefined();
      expect(() => new AnswerCache({ capacity: -1 })).toThrow('capacity must be a whole number, got -1');
    });
  });
});
