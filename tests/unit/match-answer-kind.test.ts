import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../../src/chat/pipeline/analyze-question.js';
import { createKindMatcher } from '../../src/chat/pipeline/match-answer-kind.js';
import { createLexicon } from '../../src/nlp/lexicon.js';
import { createTextAnalyzer } from '../../src/nlp/text-analyzer.js';
import { articleModelOf } from '../helpers/article-model.js';

const tools = { analyzer: createTextAnalyzer(), lexicon: createLexicon() };
const PAGE = `Storm cleanup drags on

HOLLIS, Ore. — City crews and a contractor hauled about 61,000 cubic yards of limbs to the old county fairgrounds.

The contractor, Brightline Tree Services, finished in March.

The cleanup is paid for by a federal program called Public Assistance, run by the Federal Emergency Management Agency.

A neighbor in Portland lent the family a generator.

Work resumed on Monday.`;

const model = articleModelOf(PAGE, tools);
const sentence = (start: string) => model.sentences.find((s) => s.sentence.text.startsWith(start))!;
const matches = (question: string, start: string): boolean => {
  const q = analyzeQuestion(question, tools);
  return createKindMatcher({ kind: q.expects, question: q, model, lexicon: tools.lexicon })(sentence(start));
};

describe('answer kind "name"', () => {
  it('is met by a name that is the asked thing\'s own: in apposition, after "called", or holding the word', () => {
    expect(matches('What is the program that pays for the cleanup called?', 'The cleanup is paid')).toBe(true);
    expect(matches('What is the name of the agency that runs the program?', 'The cleanup is paid')).toBe(true);
  });

  it('is not met by another name in a sentence that mentions the asked thing unnamed', () => {
    // "HOLLIS" and "Ore." name the town, not the fairgrounds.
    expect(matches('What is the name of the fairgrounds where the limbs went?', 'HOLLIS')).toBe(false);
  });

  it('takes any new name when the sentence does not mention the asked thing, and never a date', () => {
    expect(analyzeQuestion('What was the name of the storm?', tools).expects).toBe('name');
    expect(matches('What was the name of the storm?', 'The contractor, Brightline')).toBe(true);
    expect(matches('What was the name of the storm?', 'Work resumed on Monday')).toBe(false);
  });
});
