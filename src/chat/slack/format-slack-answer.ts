import type { Answer, Citation } from '../answer-types.js';
import { encodeFeedbackValue } from './feedback-value.js';

/** The Block Kit subset the bot sends. */
export type SlackTextObject =
  | { readonly type: 'mrkdwn'; readonly text: string }
  | { readonly type: 'plain_text'; readonly text: string; readonly emoji?: boolean };

export type SlackBlock =
  | { readonly type: 'section'; readonly text: SlackTextObject }
  | { readonly type: 'context'; readonly elements: readonly SlackTextObject[] }
  | { readonly type: 'divider' }
  | {
      readonly type: 'actions';
      readonly block_id: string;
      readonly elements: readonly SlackButton[];
    };

export interface SlackButton {
  readonly type: 'button';
  readonly action_id: string;
  readonly text: SlackTextObject;
  readonly value: string;
  readonly style?: 'primary' | 'danger';
}

/** A message body: `text` is the plain fallback (notifications, clients without Block Kit). */
export interface SlackMessage {
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
}

/** Block Kit limits this formatter stays within. */
export const SLACK_LIMITS = {
  sectionTextChars: 3000,
  blocksPerMessage: 50,
  contextElements: 10,
  contextTextChars: 3000,
  fallbackTextChars: 3000,
} as const;

/** Quotes longer than this are shortened in the Sources block. */
const MAX_QUOTE_CHARS = 500;
/** Sources beyond this many context blocks are summarized as "and N more". */
const MAX_SOURCE_BLOCKS = 3;

export const REFUSAL_HEADLINE = "The article doesn't say.";

export interface FormatSlackAnswerOptions {
  readonly answer: Answer;
  /** The question as asked; shown above the answer when `showQuestion`, and carried by the feedback buttons. */
  readonly question: string;
  /** The article the question was asked about (used by feedback when the answer cites nothing). */
  readonly article: string;
  /** Paragraph links are `${publicBaseUrl}/articles/<slug>#p12`, naming the article's slug. */
  readonly publicBaseUrl: string;
  /** The headline of an article, named in Sources beside each ¶N; without it (or for an unknown slug) the slug is shown. */
  readonly headlineOf?: (slug: string) => string | undefined;
  /** Repeat the question (slash commands: the reply stands alone in the channel). Default false. */
  readonly showQuestion?: boolean;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The URL of paragraph N; without an article, the article of the citation with that number. */
type ParagraphLinker = (paragraph: number, article?: string) => string;

/** `${publicBaseUrl}/articles/<slug>#p12`: the one shape of every paragraph link the bot sends. */
export function paragraphUrl(publicBaseUrl: string, slug: string, paragraph: number): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/articles/${encodeURIComponent(slug)}#p${paragraph}`;
}

function createParagraphLinker(options: FormatSlackAnswerOptions): ParagraphLinker {
  return (paragraph, article) => {
    const slug = article ?? options.answer.citations.find((c) => c.paragraph === paragraph)?.article ?? options.article;
    return paragraphUrl(options.publicBaseUrl, slug, paragraph);
  };
}

/** Headlines in Sources are cut to this many characters. */
const MAX_HEADLINE_CHARS = 150;

function articleName(options: FormatSlackAnswerOptions, slug: string): string {
  return shorten(options.headlineOf?.(slug) ?? slug, MAX_HEADLINE_CHARS);
}

/** Shortens to at most `max` characters at a word boundary, ending with an ellipsis. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** Escapes answer text and turns each `¶N` marker into a link to that paragraph. */
function renderAnswerText(text: string, link: ParagraphLinker): string {
  return escapeMrkdwn(text).replace(/¶(\d+)/g, (marker, n: string) => `<${link(Number(n))}|${marker}>`);
}

/**
 * Splits text into sentences, keeping a trailing `[¶N]` marker with the sentence it supports.
 * Packing only needs good break points, not linguistic precision.
 */
function splitAnswerSentences(text: string): string[] {
  return text.split(/(?<=[.!?…]["”’')\]]*(?:\s*\[[^\]\n]{1,40}\])*)\s+(?!\[)/u).filter((s) => s !== '');
}

/**
 * Packs rendered pieces into chunks of at most `max` characters, splitting on sentence boundaries,
 * then on words for an overlong sentence, then on characters for an overlong word.
 */
function packSections(text: string, link: ParagraphLinker, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  const push = (raw: string, level: 'sentence' | 'word' | 'char'): void => {
    const rendered = renderAnswerText(raw, link);
    if (rendered.length > max) {
      if (level === 'sentence') for (const word of raw.split(/\s+/)) push(word, 'word');
      // &amp; is the longest expansion (5x) of a character outside a marker.
      else for (let i = 0; i < raw.length; i += Math.floor(max / 5)) push(raw.slice(i, i + Math.floor(max / 5)), 'char');
      return;
    }
    const joiner = current === '' || level === 'char' ? '' : ' ';
    if (current.length + joiner.length + rendered.length > max) {
      chunks.push(current);
      current = rendered;
    } else {
      current += joiner + rendered;
    }
  };
  for (const sentence of splitAnswerSentences(text.trim())) push(sentence, 'sentence');
  if (current !== '') chunks.push(current);
  return chunks;
}

function sourceLine(citation: Citation, link: ParagraphLinker, name: string): string {
  const label = `${escapeMrkdwn(name)}, ¶${citation.paragraph}`;
  return `<${link(citation.paragraph, citation.article)}|${label}> “${escapeMrkdwn(shorten(citation.quote, MAX_QUOTE_CHARS))}”`;
}

/** Context blocks listing each cited paragraph once, with its article's headline, its quote and a link to it. */
function sourcesBlocks(options: FormatSlackAnswerOptions, link: ParagraphLinker): SlackBlock[] {
  const { citations } = options.answer;
  const unique = citations.filter((c, i) => citations.findIndex((o) => o.id === c.id && o.article === c.article) === i);
  const elements: SlackTextObject[] = [{ type: 'mrkdwn', text: '*Sources*' }];
  const capacity = MAX_SOURCE_BLOCKS * SLACK_LIMITS.contextElements - 1;
  const shown = unique.length > capacity ? unique.slice(0, capacity - 1) : unique;
  for (const citation of shown) elements.push({ type: 'mrkdwn', text: sourceLine(citation, link, articleName(options, citation.article)) });
  if (shown.length < unique.length) {
    elements.push({ type: 'mrkdwn', text: `…and ${unique.length - shown.length} more` });
  }
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.contextElements) {
    blocks.push({ type: 'context', elements: elements.slice(i, i + SLACK_LIMITS.contextElements) });
  }
  return blocks;
}

function feedbackBlock(options: FormatSlackAnswerOptions): SlackBlock {
  const { answer } = options;
  const cited = [...new Set(answer.citations.map((c) => c.id))];
  const value = encodeFeedbackValue({
    question: options.question,
    article: answer.citations[0]?.article ?? options.article,
    cited,
    grounded: answer.grounded,
  });
  const button = (actionId: string, label: string) => ({
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text: label, emoji: true },
    value,
  });
  return {
    type: 'actions',
    block_id: 'feedback',
    elements: [
      button('feedback_helpful', '👍 Helpful'),
      button('feedback_wrong_paragraph', 'Wrong paragraph cited'),
      button('feedback_not_in_article', 'Not in the article'),
    ],
  };
}

function refusalText(answer: Answer): string {
  const text = answer.answer.replace(/\s*\[¶[^\]]*\]/g, '').trim();
  if (text === '') return REFUSAL_HEADLINE;
  return /^the article (doesn[’']t|does not) say/i.test(text) ? text : `${REFUSAL_HEADLINE} ${text}`;
}

function fallbackText(options: FormatSlackAnswerOptions): string {
  const { answer } = options;
  const link = createParagraphLinker(options);
  if (!answer.grounded) return escapeMrkdwn(shorten(refusalText(answer), SLACK_LIMITS.fallbackTextChars));
  const sources = answer.citations.map(
    (c) => `${escapeMrkdwn(articleName(options, c.article))}, ¶${c.paragraph} ${link(c.paragraph, c.article)} “${escapeMrkdwn(shorten(c.quote, 200))}”`,
  );
  const tail = sources.length === 0 ? '' : `\n\nSources:\n${sources.join('\n')}`;
  const body = escapeMrkdwn(shorten(answer.answer, Math.max(200, SLACK_LIMITS.fallbackTextChars - tail.length)));
  return shorten(`${body}${tail}`, SLACK_LIMITS.fallbackTextChars);
}

/**
 * Shapes an engine `Answer` as a Slack message: the answer in sections of at most 3,000 characters
 * (split on sentence boundaries, `¶N` markers linked to the paragraph on the article page), a Sources context block
 * (each cited paragraph once with its quote), feedback buttons, and a plain-text fallback. A refusal
 * (`grounded: false`) says "The article doesn't say" and lists no sources. All article and question text
 * is mrkdwn-escaped. The message never exceeds 50 blocks: an answer too long for them is shortened.
 */
export function formatSlackAnswer(options: FormatSlackAnswerOptions): SlackMessage {
  const { answer } = options;
  const link = createParagraphLinker(options);
  const head: SlackBlock[] = [];
  if (options.showQuestion === true) {
    head.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `*Q:* ${escapeMrkdwn(shorten(options.question, 2900))}` }] });
  }
  const tail: SlackBlock[] = answer.grounded ? sourcesBlocks(options, link) : [];
  tail.push(feedbackBlock(options));

  // A refusal opens with "The article doesn't say" in bold; its own text must then fit beside it.
  let headline = '';
  let text = answer.answer;
  if (!answer.grounded) {
    const refusal = refusalText(answer);
    const opening = /^the article (doesn[’']t|does not) say\.?/i.exec(refusal)?.[0] ?? REFUSAL_HEADLINE;
    headline = `*${escapeMrkdwn(opening)}*`;
    text = refusal.startsWith(opening) ? refusal.slice(opening.length) : refusal;
  }
  let body = packSections(text, link, SLACK_LIMITS.sectionTextChars - headline.length - 1);
  body = [[headline, body[0] ?? ''].filter((t) => t !== '').join(' ') || '…', ...body.slice(1)];
  // One block is kept free for a "Share with channel" button or a "Shared by" line (withShareButton, asSharedBy).
  const room = SLACK_LIMITS.blocksPerMessage - 1 - head.length - tail.length;
  if (body.length > room) {
    const note = ' … _(answer shortened for Slack)_';
    const cut = (body[room - 1] ?? '').slice(0, SLACK_LIMITS.sectionTextChars - note.length);
    // Links and entities contain no spaces, so cutting at a space never breaks one.
    const space = cut.lastIndexOf(' ');
    body = [...body.slice(0, room - 1), `${space > 0 ? cut.slice(0, space) : cut}${note}`];
  }
  const sections: SlackBlock[] = body.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
  return { text: fallbackText(options), blocks: [...head, ...sections, ...tail] };
}

/** Action id of the "Share with channel" button; its value is the id of the kept answer. */
export const SHARE_ACTION_ID = 'share_answer';

/** The message with a "Share with channel" button before its feedback buttons (the asker's private copy). */
export function withShareButton(message: SlackMessage, shareId: string): SlackMessage {
  const blocks = [...(message.blocks ?? [])];
  const feedbackAt = blocks.findIndex((b) => b.type === 'actions' && b.block_id === 'feedback');
  const share: SlackBlock = {
    type: 'actions',
    block_id: 'share',
    elements: [{ type: 'button', action_id: SHARE_ACTION_ID, style: 'primary', text: { type: 'plain_text', text: 'Share with channel' }, value: shareId }],
  };
  blocks.splice(feedbackAt < 0 ? blocks.length : feedbackAt, 0, share);
  return { ...message, blocks };
}

/** The message as posted to the channel by the asker: a "Shared by" line first. */
export function asSharedBy(message: SlackMessage, user: string): SlackMessage {
  const note: SlackBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: `Shared by <@${escapeMrkdwn(user)}>` }] };
  return { ...message, blocks: [note, ...(message.blocks ?? [])] };
}

/** A short notice (errors, acknowledgements) as a message. */
export function formatSlackNotice(text: string): SlackMessage {
  const escaped = escapeMrkdwn(shorten(text, SLACK_LIMITS.sectionTextChars));
  return { text: escaped, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escaped } }] };
}
