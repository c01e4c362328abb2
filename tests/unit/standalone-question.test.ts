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

  describe('with the article\'s name registry', () => {
    const kinds: Record<string, 'person' | 'place' | 'other'> = { 'Ed Salas': 'person', Salas: 'person', 'Ridgeline Renewables': 'other', 'Dana Cole': 'person', Marlow: 'place' };
    const withRegistry = createStandaloneQuestion({ analyzer: createTextAnalyzer(), nameKind: (name) => kinds[name] ?? 'other' });

    it('takes "he" for the person the previous answer named when the question named nobody', () => {
      const history = [{ question: 'Who runs the transit agency?', answer: answer('The agency is led by Ed Salas, who took over in 2021.') }];
      expect(withRegistry('What did he say about the cuts?', history)).toBe('What did Ed Salas say about the cuts?');
      // Without the registry a full name from the answer is the only guess, and the same one here.
      expect(standaloneQuestion('What did he say about the cuts?', history)).toBe('What did Ed Salas say about the cuts?');
    });

    it('never takes a company for "she": the person the answer quotes instead', () => {
      const history = [{ question: 'Who speaks for Ridgeline Renewables?', answer: answer('Dana Cole, a spokeswoman for the company, said work starts in May.') }];
      expect(withRegistry('And what did she say?', history)).toBe('And what did Dana Cole say?');
      expect(standaloneQuestion('And what did she say?', history)).toBe('And what did Ridgeline Renewables say?');
    });

    it('keeps a person the previous question named over one the answer names', () => {
      const history = [{ question: 'What did Salas decide?', answer: answer('Salas told Dana Cole the routes would be cut.') }];
      expect(withRegistry('Why did he decide that?', history)).toBe('Why did Salas decide that?');
    });
  });
});
