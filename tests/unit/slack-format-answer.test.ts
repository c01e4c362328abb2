import { describe, expect, it } from 'vitest';
import type { Answer, Citation } from '../../src/chat/answer-types.js';
import { decodeFeedbackValue } from '../../src/chat/slack/feedback-value.js';
import { asSharedBy, formatSlackAnswer, SLACK_LIMITS, withShareButton, type SlackBlock } from '../../src/chat/slack/format-slack-answer.js';

const BASE = 'https://news.example.org/kursk';
const SLUG = 'nk-troops-drone-warfare';
const HEADLINE = 'North Koreans fighting for Russia';
const URL43 = `${BASE}/articles/${SLUG}#p43`;
const headlineOf = (slug: string): string | undefined => (slug === SLUG ? HEADLINE : undefined);

function citation(paragraph: number, quote: string): Citation {
  return { id: `p${paragraph}`, article: SLUG, paragraph, text: `${quote} More words.`, quote };
}

function answer(overrides: Partial<Answer>): Answer {
  return { answer: '', grounded: true, confidence: 0.9, citations: [], related: [], answerer: 'extractive', notes: [], ...overrides };
}

function sections(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));
}

function contexts(blocks: readonly SlackBlock[]): string[][] {
  return blocks.flatMap((b) => (b.type === 'context' ? [b.elements.map((e) => e.text)] : []));
}

function buttonValues(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.value) : []));
}

/** A long synthetic answer: `count` distinct sentences, each with a marker before its full stop. */
function longAnswer(count: number): Answer {
  const sentences = Array.from({ length: count }, (_, i) => `Sentence number ${i} says R&D <costs> rose by ${i} percent [¶${(i % 60) + 1}].`);
  return answer({ answer: sentences.join(' '), citations: [citation(1, 'First.'), citation(2, 'Second.')] });
}

describe('formatSlackAnswer', () => {
  it('links each ¶N marker to /articles/<slug>#pN and lists each cited paragraph once with its headline and quote in Sources', () => {
    const message = formatSlackAnswer({
      answer: answer({
        answer: 'Some 4,700 North Korean soldiers were killed fighting in Kursk [¶43]. Most died early [¶43].',
        citations: [citation(43, 'Some 4,700 North Korean soldiers were killed.'), citation(43, 'Some 4,700 North Korean soldiers were killed.')],
      }),
      question: 'How many died?',
      article: SLUG,
      publicBaseUrl: BASE,
      headlineOf,
    });
    expect(sections(message.blocks!)).toEqual([
      `Some 4,700 North Korean soldiers were killed fighting in Kursk [<${URL43}|¶43>]. Most died early [<${URL43}|¶43>].`,
    ]);
    expect(contexts(message.blocks!)).toEqual([['*Sources*', `<${URL43}|${HEADLINE}, ¶43> “Some 4,700 North Korean soldiers were killed.”`]]);
    expect(message.text).toContain('Some 4,700 North Korean soldiers were killed fighting in Kursk [¶43].');
    expect(message.text).toContain(`${HEADLINE}, ¶43 ${URL43}`);
  });

  it('links paragraphs of another article to its own page, naming it by slug when its headline is unknown', () => {
    const other: Citation = { id: 'p7', article: 'second-story', paragraph: 7, text: 'T.', quote: 'T.' };
    const message = formatSlackAnswer({
      answer: answer({ answer: 'T [¶7].', citations: [other] }),
      question: 'Q',
      article: SLUG,
      publicBaseUrl: `${BASE}/`,
    });
    expect(sections(message.blocks!)).toEqual([`T [<${BASE}/articles/second-story#p7|¶7>].`]);
    expect(contexts(message.blocks!)[0]?.[1]).toBe(`<${BASE}/articles/second-story#p7|second-story, ¶7> “T.”`);
    expect(message.text).toContain(`second-story, ¶7 ${BASE}/articles/second-story#p7`);
  });

  it('mrkdwn-escapes &, < and > in the answer, the quotes, the question and the fallback', () => {
    const message = formatSlackAnswer({
      answer: answer({ answer: 'A <b> & C [¶2].', citations: [citation(2, 'Quote <i> & more.')] }),
      question: 'Is <@U1> & co > all?',
      article: SLUG,
      publicBaseUrl: BASE,
      showQuestion: true,
    });
    const [questionBlock, sources] = contexts(message.blocks!);
    expect(questionBlock).toEqual(['*Q:* Is &lt;@U1&gt; &amp; co &gt; all?']);
    expect(sections(message.blocks!)).toEqual([`A &lt;b&gt; &amp; C [<${BASE}/articles/${SLUG}#p2|¶2>].`]);
    expect(sources?.[1]).toBe(`<${BASE}/articles/${SLUG}#p2|${SLUG}, ¶2> “Quote &lt;i&gt; &amp; more.”`);
    expect(message.text.startsWith('A &lt;b&gt; &amp; C [¶2].')).toBe(true);
  });

  it('shows a refusal as "The article doesn\'t say" with no sources but with feedback buttons', () => {
    const message = formatSlackAnswer({
      answer: answer({
        answer: "The article doesn't say. I can only answer from the article's paragraphs, and none of them answers this.",
        grounded: false,
        related: [{ id: 'p3', article: SLUG, paragraph: 3, text: 'Unrelated.' }],
      }),
      question: 'What is the capital of France?',
      article: SLUG,
      publicBaseUrl: BASE,
    });
    expect(sections(message.blocks!)).toEqual([
      "*The article doesn't say.* I can only answer from the article's paragraphs, and none of them answers this.",
    ]);
    expect(contexts(message.blocks!)).toEqual([]);
    expect(JSON.stringify(message.blocks)).not.toContain('#p3');
    expect(message.text.startsWith("The article doesn't say.")).toBe(true);
    expect(decodeFeedbackValue(buttonValues(message.blocks!)[0]!)).toEqual({
      question: 'What is the capital of France?',
      article: SLUG,
      cited: [],
      grounded: false,
    });
  });

  it('gives the three feedback buttons a value that rebuilds the labelled case', () => {
    const message = formatSlackAnswer({
      answer: answer({ answer: 'X [¶39]. Y [¶36].', citations: [citation(39, 'X.'), citation(36, 'Y.'), citation(39, 'X.')] }),
      question: 'What happened to him?',
      article: 'other-default',
      publicBaseUrl: BASE,
    });
    const actions = message.blocks!.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => e.action_id)).toEqual([
      'feedback_helpful',
      'feedback_wrong_paragraph',
      'feedback_not_in_article',
    ]);
    const values = buttonValues(message.blocks!);
    expect(new Set(values).size).toBe(1);
    expect(decodeFeedbackValue(values[0]!)).toEqual({ question: 'What happened to him?', article: SLUG, cited: ['p39', 'p36'], grounded: true });
  });

  it('keeps button values within 2,000 characters for a 1,000-character question full of quotes', () => {
    const question = '"'.repeat(1000);
    const message = formatSlackAnswer({ answer: answer({ answer: 'X [¶1].', citations: [citation(1, 'X.')] }), question, article: SLUG, publicBaseUrl: BASE });
    const value = buttonValues(message.blocks!)[0]!;
    expect(value.length).toBeLessThanOrEqual(2000);
    const decoded = decodeFeedbackValue(value)!;
    expect(decoded.cited).toEqual(['p1']);
    expect(decoded.question.endsWith('…')).toBe(true);
    expect(decoded.question.length).toBeGreaterThan(900);
  });

  it('puts Share with channel before the feedback buttons, and a Shared by line on top of a shared copy', () => {
    const message = formatSlackAnswer({ answer: answer({ answer: 'X [¶1].', citations: [citation(1, 'X.')] }), question: 'Q', article: SLUG, publicBaseUrl: BASE });
    const shareable = withShareButton(message, 'f'.repeat(24));
    const actions = shareable.blocks!.filter((b) => b.type === 'actions');
    expect(actions.map((b) => b.type === 'actions' && [b.block_id, b.elements.map((e) => e.action_id)])).toEqual([
      ['share', ['share_answer']],
      ['feedback', ['feedback_helpful', 'feedback_wrong_paragraph', 'feedback_not_in_article']],
    ]);
    expect(buttonValues(shareable.blocks!)[0]).toBe('f'.repeat(24));
    expect(contexts(asSharedBy(message, 'U0ED<>').blocks!)[0]).toEqual(['Shared by <@U0ED&lt;&gt;>']);
  });

  describe('Block Kit limits', () => {
    it('splits a long answer into sections of at most 3,000 characters on sentence boundaries', () => {
      const message = formatSlackAnswer({ answer: longAnswer(300), question: 'Q', article: SLUG, publicBaseUrl: BASE });
      const texts = sections(message.blocks!);
      expect(texts.length).toBeGreaterThan(5);
      for (const text of texts) {
        expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionTextChars);
        expect(text).toMatch(/^Sentence number \d+ /);
        expect(text).toMatch(/\|¶\d+>\]\.$/);
      }
      // Nothing lost or duplicated: every sentence appears exactly once, in order.
      const numbers = texts.join(' ').match(/Sentence number (\d+)/g)!.map((s) => Number(s.split(' ')[2]));
      expect(numbers).toEqual(Array.from({ length: 300 }, (_, i) => i));
      expect(message.blocks!.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackTextChars);
    });

    it('shortens an answer too long for 50 blocks and says so, leaving room for a Share button or a Shared by line', () => {
      const message = formatSlackAnswer({ answer: longAnswer(3000), question: 'Q', article: SLUG, publicBaseUrl: BASE, showQuestion: true });
      const blocks = message.blocks!;
      expect(blocks.length).toBe(SLACK_LIMITS.blocksPerMessage - 1);
      expect(withShareButton(message, 'a'.repeat(24)).blocks).toHaveLength(SLACK_LIMITS.blocksPerMessage);
      expect(asSharedBy(message, 'U1').blocks).toHaveLength(SLACK_LIMITS.blocksPerMessage);
      const texts = sections(blocks);
      expect(texts.every((t) => t.length <= SLACK_LIMITS.sectionTextChars)).toBe(true);
      expect(texts.at(-1)).toMatch(/_\(answer shortened for Slack\)_$/);
      expect(blocks.at(-1)?.type).toBe('actions');
    });

    it('splits a sentence longer than 3,000 characters on words', () => {
      const sentence = `${'word '.repeat(1500)}end [¶5].`;
      const message = formatSlackAnswer({ answer: answer({ answer: sentence, citations: [citation(5, 'Q.')] }), question: 'Q', article: SLUG, publicBaseUrl: BASE });
      const texts = sections(message.blocks!);
      expect(texts.length).toBe(3);
      expect(texts.every((t) => t.length <= SLACK_LIMITS.sectionTextChars && !t.startsWith(' '))).toBe(true);
      expect(texts.join(' ').split('word').length - 1).toBe(1500);
    });

    it('puts at most 10 elements in each Sources context block and shortens long quotes', () => {
      const many = Array.from({ length: 25 }, (_, i) => citation(i + 1, `${'Long quote. '.repeat(100)}${i}`));
      const message = formatSlackAnswer({
        answer: answer({ answer: many.map((c) => `S${c.paragraph} [¶${c.paragraph}].`).join(' '), citations: many }),
        question: 'Q',
        article: SLUG,
        publicBaseUrl: BASE,
      });
      const blocks = contexts(message.blocks!);
      expect(blocks.map((b) => b.length)).toEqual([10, 10, 6]);
      const lines = blocks.flat().slice(1);
      expect(lines).toHaveLength(25);
      expect(lines.every((l) => l.length <= 600 && l.endsWith('…”'))).toBe(true);
    });
  });
});
