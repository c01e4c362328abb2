import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/chat/answer-types.js';
import { standaloneQuestion } from '../../src/chat/standalone-question.js';

const answer = (quote: string): Answer => ({
  answer: quote,
  grounded: true,
  citations: [{ id: 'p36', article: 'a', paragraph: 36, text: quote, quote }],
  related: [],
  answerer: 'extractive',
  notes: [],
});

describe('standaloneQuestion', () => {
  it('returns a first question unchanged', () => {
    expect(standaloneQuestion('Who is Bulat?', [])).toBe('Who is Bulat?');
  });

  it('puts the earlier subject in place of a pronoun', () => {
    const history = [{ question: 'Who is Bulat?', answer: answer('a fighter whose call sign is Bulat') }];
    expect(standaloneQuestion('What happened to the soldier he wounded?', history)).toBe(
      'What happened to the soldier Bulat wounded? (Bulat)',
    );
  });

  it('makes a possessive pronoun possessive', () => {
    const history = [{ question: 'Who is Maksym?', answer: answer('Maksym, a drone operator') }];
    expect(standaloneQuestion('How old is his unit?', history)).toBe("How old is Maksym's unit? (Maksym)");
  });

  it('leaves a question that stands alone as it is', () => {
    const history = [{ question: 'Who is Bulat?', answer: answer('call sign is Bulat') }];
    expect(standaloneQuestion('How many North Korean soldiers were killed in Kursk?', history)).toBe(
      'How many North Korean soldiers were killed in Kursk?',
    );
  });
});
