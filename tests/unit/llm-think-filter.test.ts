import { describe, expect, it } from 'vitest';
import { createThinkFilter, stripThinking } from '../../src/chat/llm/think-filter.js';

function run(tokens: readonly string[]): string {
  const filter = createThinkFilter();
  return tokens.map((t) => filter.push(t)).join('') + filter.flush();
}

describe('createThinkFilter', () => {
  it('drops a reasoning block at the start, even with its tags split across tokens', () => {
    expect(run(['<thi', 'nk>The user asks', ' about ¶43.</th', 'ink>\n\nSome 4,700 ', 'died [¶43].'])).toBe('Some 4,700 died [¶43].');
  });

  it('passes text without a reasoning block through unchanged, token by token', () => {
    const filter = createThinkFilter();
    expect(filter.push('Some ')).toBe('Some ');
    expect(filter.push('<b>4,700</b>')).toBe('<b>4,700</b>');
    expect(filter.flush()).toBe('');
  });

  it('returns held text at flush when the stream is only the start of a tag', () => {
    expect(run(['<th'])).toBe('<th');
  });

  it('swallows an unterminated reasoning block', () => {
    expect(run(['<think>still thinking'])).toBe('');
  });
});

describe('stripThinking', () => {
  it('removes a leading block from a whole reply', () => {
    expect(stripThinking('<think>hmm</think>\nWhat happened to Bulat?')).toBe('What happened to Bulat?');
    expect(stripThinking('What happened to Bulat?')).toBe('What happened to Bulat?');
  });
});
