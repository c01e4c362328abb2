import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/chat/answer-types.js';
import {
  isBareQuoteFragment,
  selectStarterQuestions,
  STARTER_MIN_CONFIDENCE,
} from '../../src/chat/server/suggest-starter-questions.js';

function answer(text: string, confidence: number, grounded = true): Answer {
  return {
    answer: text,
    grounded,
    confidence,
    citations: grounded ? [{ id: 'p1', article: 'a', paragraph: 1, text, quote: text }] : [],
    related: [],
    answerer: 'extractive',
    notes: [],
  };
}

describe('selectStarterQuestions', () => {
  const answers: Record<string, Answer> = {
    'Sure?': answer('The council voted 7-2 on Tuesday to build a concrete flood barrier [¶2].', 0.95),
    'Unsure?': answer('The council voted 7-2 on Tuesday to build a concrete flood barrier [¶2].', STARTER_MIN_CONFIDENCE - 0.01),
    'Quote?': answer('"That," Hale said, "is the part nobody wants to talk about." [¶7]', 0.99),
    'Refused?': answer("The article doesn't say.", 0.3, false),
    'Also sure?': answer('Most of the money comes from a federal resilience grant, with the rest from a local bond [¶5].', 0.9),
    'Third?': answer('Critics argued the barrier would push water onto farms downstream [¶6].', 0.85),
  };
  const ask = async (question: string): Promise<Answer> => {
    if (question === 'Crash?') throw new Error('engine failed');
    return answers[question]!;
  };

  it('keeps, in order, only grounded answers at least as sure as the threshold that are not bare quotes', async () => {
    const chosen = await selectStarterQuestions(['Unsure?', 'Sure?', 'Quote?', 'Crash?', 'Refused?', 'Also sure?', 'Third?'], ask);
    expect(chosen).toEqual(['Sure?', 'Also sure?', 'Third?']);
  });

  it('stops at max and honours its own threshold', async () => {
    expect(await selectStarterQuestions(['Sure?', 'Also sure?', 'Third?'], ask, { max: 2 })).toEqual(['Sure?', 'Also sure?']);
    expect(await selectStarterQuestions(['Sure?', 'Also sure?', 'Third?'], ask, { minConfidence: 0.92 })).toEqual(['Sure?']);
  });
});

describe('isBareQuoteFragment', () => {
  it.each([
    ['"That," he says, "is a fact." [¶68]', true],
    ['"20, 30 soldiers" [¶15]', true],
    ['Natarajan is skeptical [¶46].', true],
    ['"So it is a much more disciplined way of fighting that we observed from Russians," Vlad said [¶16].', true],
    ['Some 4,700 North Korean soldiers were killed fighting in Kursk, according to South Korea\'s spy agency [¶43].', false],
    ['"They learned very quickly," said Capt. Oleh Shyriaiev, who commands the 225th Separate Assault Brigade, after two years at the front [¶6].', false],
  ])('%s -> %s', (text, expected) => {
    expect(isBareQuoteFragment(answer(text, 1))).toBe(expected);
  });
});
