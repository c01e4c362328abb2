import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/chat/answer-types.js';
import { createStandaloneQuestion } from '../../src/chat/standalone-question.js';
import { createTextAnalyzer } from '../../src/nlp/text-analyzer.js';

const standaloneQuestion = createStandaloneQuestion({ analyzer: createTextAnalyzer() });

const answer = (quote: string): Answer => ({
  answer: quote,
  grounded: true,
  confidence: 0.9,
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
      'What happened to the soldier Bulat wounded?',
    );
  });

  it('makes a possessive pronoun possessive', () => {
    const history = [{ question: 'Who is Maksym?', answer: answer('Maksym, a drone operator') }];
    expect(standaloneQuestion('How old is his unit?', history)).toBe("How old is Maksym's unit?");
  });

  it('carries the subject through a longer conversation', () => {
    const history = [
      { question: 'Who is Maksym?', answer: answer('Maksym, a drone operator') },
      { question: 'How old is he?', answer: answer('Maksym, 22, an FPV drone operator') },
    ];
    expect(standaloneQuestion('What did he say about his drones?', history)).toBe("What did Maksym say about his drones?");
  });

  it('appends the earlier question when "that" points back at it', () => {
    const history = [{ question: 'What did the soldiers wrap themselves in at night?', answer: answer('Mylar ponchos') }];
    expect(standaloneQuestion('Did that work?', history)).toBe(
      'Did that work? (What did the soldiers wrap themselves in at night?)',
    );
  });

  it('leaves a short follow-up that names its own subject alone', () => {
    const history = [{ question: 'Who is Bulat?', answer: answer('call sign is Bulat') }];
    expect(standaloneQuestion('How old is Maksym?', history)).toBe('How old is Maksym?');
  });

  it('leaves a question that stands alone as it is', () => {
    const history = [{ question: 'Who is Bulat?', answer: answer('call sign is Bulat') }];
    expect(standaloneQuestion('How many North Korean soldiers were killed in Kursk?', history)).toBe(
      'How many North Korean soldiers were killed in Kursk?',
    );
  });
});
