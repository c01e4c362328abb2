import { describe, expect, it } from 'vitest';
import { formatSlackHelp } from '../../src/chat/slack/format-slack-help.js';
import { parseAskText, resolveSlug } from '../../src/chat/slack/parse-ask-text.js';

const SLUGS = ['nk-troops-drone-warfare', 'local-marlow-springs-bus-fare-sunday-cuts', 'local-river-flood'];

describe('resolveSlug', () => {
  it('accepts a slug, any case, and a unique hyphenated start of one', () => {
    expect(resolveSlug('NK-Troops-Drone-Warfare', SLUGS)).toBe('nk-troops-drone-warfare');
    expect(resolveSlug('nk-troops', SLUGS)).toBe('nk-troops-drone-warfare');
    expect(resolveSlug('local-marlow', SLUGS)).toBe('local-marlow-springs-bus-fare-sunday-cuts');
  });

  it('refuses an ambiguous start, a start without a hyphen and a plain word', () => {
    expect(resolveSlug('local-', SLUGS)).toBeUndefined();
    expect(resolveSlug('local', SLUGS)).toBeUndefined();
    expect(resolveSlug('nk', SLUGS)).toBeUndefined();
    expect(resolveSlug('How', SLUGS)).toBeUndefined();
  });
});

describe('parseAskText', () => {
  it.each([
    ['', { kind: 'help', prefix: undefined }],
    ['help', { kind: 'help', prefix: undefined }],
    ['help LOCAL', { kind: 'help', prefix: 'local' }],
    ['pin', { kind: 'show_pin' }],
    ['pin nk-troops local-marlow nk-troops-drone-warfare', { kind: 'pin', articles: ['nk-troops-drone-warfare', 'local-marlow-springs-bus-fare-sunday-cuts'] }],
    ['unpin', { kind: 'unpin' }],
    ['summarize nk-troops', { kind: 'summarize', article: 'nk-troops-drone-warfare' }],
    ['key points local-marlow', { kind: 'summarize', article: 'local-marlow-springs-bus-fare-sunday-cuts' }],
    ['summary', { kind: 'summarize', article: undefined }],
    ['nk-troops  How many died?', { kind: 'question', article: 'nk-troops-drone-warfare', question: 'How many died?' }],
    ['How many died?', { kind: 'question', article: undefined, question: 'How many died?' }],
  ])('reads %j', (text, expected) => {
    expect(parseAskText(text, SLUGS)).toEqual(expected);
  });

  it.each([
    'pin the blame on whom?',
    'help me understand the vote',
    'summarize the council vote',
    'unpin what?',
    'nk-troops',
  ])('keeps %j a question: a command word followed by words that are not slugs asks something', (text) => {
    expect(parseAskText(text, SLUGS)).toEqual({ kind: 'question', article: undefined, question: text });
  });
});

describe('formatSlackHelp', () => {
  const articles = Array.from({ length: 30 }, (_, i) => ({ slug: `story-${String(i).padStart(2, '0')}`, headline: `Headline <${i}>` }));

  it('lists at most 15 articles with their headlines and says how to narrow the list', () => {
    const help = formatSlackHelp({ command: '/ask', articles, pinned: ['story-03'] });
    expect(help.text).toContain('*Articles (30)*');
    expect(help.text).toContain('• `story-00` Headline &lt;0&gt;');
    expect(help.text).toContain('• `story-14`');
    expect(help.text).not.toContain('`story-15`');
    expect(help.text).toContain('…and 15 more: `/ask help &lt;first letters&gt;` narrows the list.');
    expect(help.text).toContain('This channel is pinned to `story-03`.');
  });

  it('lists only the slugs starting with a prefix (slug completion)', () => {
    const help = formatSlackHelp({ command: '/ask', articles, prefix: 'story-2' });
    expect(help.text).toContain('*Articles starting with `story-2` (10 of 30)*');
    expect(help.text.match(/• `story-2\d`/g)).toHaveLength(10);
    expect(help.text).not.toContain('`story-19`');
  });
});
