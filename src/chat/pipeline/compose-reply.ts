import type { Lexicon } from '../../nlp/lexicon.js';
import type { Citation } from '../answer-types.js';
import { formatCitedSentence } from '../compose-answer.js';
import type { AnswerKind, QuestionModel } from './analyze-question.js';
import type { ArticleModel, SentenceModel } from './article-model.js';
import type { RankedSentence } from './rank.js';
import { askedWords, isNewValue, namesOf } from './match-answer-kind.js';

/**
 * Stage 5: an answer that reads as a reply, built only from the article's own words.
 * - A typed question gets its fact first: the number, name or date, cut verbatim from the answer sentence, then
 *   the sentence and its marker ("4,700 — Some 4,700 North Korean soldiers were killed ... [¶43].").
 * - A sentence that cannot stand alone (it opens with a pronoun, or leans on the one before: "So, too, has ...")
 *   is widened to the sentence before it in the paragraph; when it opens its paragraph, a leading "He" / "She"
 *   is replaced by the person's name in brackets, the convention for words that are not the article's.
 * - A quotation keeps its quotation marks and names its speaker: `Cha Du Hyeogn says: "..."`; the quoted words
 *   are verbatim, the frame around them is a template.
 * - A "why" or "how" answer may join the next sentences the ranker also found likely, from at most two paragraphs.
 * Every marker has a citation; each citation's `quote` is the paragraph text it quotes, word for word.
 */
export interface ComposedReply {
  readonly text: string;
  readonly citations: readonly Citation[];
}

export interface ComposeReplyOptions {
  readonly question: QuestionModel;
  readonly model: ArticleModel;
  readonly ranked: readonly RankedSentence[];
  /** WordNet, to tell a sentence's capitalised first word from a name. */
  readonly lexicon: Lexicon;
}

/** Kinds whose answer is one value worth putting first. */
const FACT_KINDS = new Set<AnswerKind>(['count', 'money', 'percent', 'time', 'duration', 'age', 'person', 'place', 'name']);
/** Openings that lean on the sentence before (closed-class English connectives and pronouns). */
const LEANS_BACK = /^["“]?(?:so|but|and|also|still|yet|then|however|instead|meanwhile|this|that|these|those|it|its|he|she|they|him|her|them|his|their|there)\b/i;
const HE_SHE = /^(He|She)\b/;

export function composeReply(options: ComposeReplyOptions): ComposedReply {
  const { question, model, ranked } = options;
  const best = ranked[0]!.row.sentence;
  const picks: SentenceModel[][] = [widen(model, best)];
  const kind = question.expects;
  if (kind === 'reason' || kind === 'manner') {
    // A second likely sentence right after the first (the cause told after its premise), or one more paragraph.
    const top = ranked[0]!.probability;
    for (const entry of ranked.slice(1, 4)) {
      const s = entry.row.sentence;
      if (entry.probability < top * 0.5) break;
      if (picks.flat().some((x) => x.id === s.id)) continue;
      const sameParagraph = picks[0]!.some((x) => x.paragraphIndex === s.paragraphIndex);
      if (sameParagraph && s.id === Math.max(...picks[0]!.map((x) => x.id)) + 1) picks[0]!.push(s);
      else if (!sameParagraph && picks.length < 2 && Math.abs(s.paragraphIndex - best.paragraphIndex) === 1) picks.push(widen(model, s));
      if (picks.flat().length >= 3) break;
    }
  }
  const citations: Citation[] = [];
  const parts: string[] = [];
  const fact = FACT_KINDS.has(kind) ? factOf(question, model, options.lexicon, best) : undefined;
  if (fact !== undefined) parts.push(`${fact} —`);
  for (const group of picks) {
    const paragraph = group[0]!.paragraph;
    const start = group[0]!.sentence.start;
    const end = group.at(-1)!.sentence.end;
    const quote = paragraph.text.slice(start, end);
    citations.push({ id: paragraph.id, article: paragraph.article, paragraph: paragraph.number, text: paragraph.text, quote });
    parts.push(present(quote, group, model));
  }
  return { text: parts.join(' '), citations };
}

/** The sentence, with the one before it when it leans back and both are in the same paragraph. */
function widen(model: ArticleModel, s: SentenceModel): SentenceModel[] {
  const previousId = s.indexInParagraph > 0 ? model.paragraphs[s.paragraphIndex]!.sentences[s.indexInParagraph - 1] : undefined;
  const bareQuote = s.quoted && s.speaker !== undefined && !s.sentence.text.includes(lastName(s.speaker)) && /^["“]/.test(s.sentence.text);
  if (previousId !== undefined && LEANS_BACK.test(s.sentence.text) && !bareQuote) return [model.sentences[previousId]!, s];
  return [s];
}

/** The cited text as the reader sees it: a named speaker for a quotation, a named subject for a lone pronoun. */
function present(quote: string, group: readonly SentenceModel[], model: ArticleModel): string {
  const first = group[0]!;
  const marker = first.paragraph.number;
  const speaker = first.speaker;
  if (speaker !== undefined && /^["“]/.test(quote.trim()) && !quote.includes(lastName(speaker))) {
    // A quotation that does not name its speaker: name them in a template frame; the quote stays verbatim.
    const words = quotedWords(quote);
    if (words !== undefined) return `${speaker} ${speechVerb(model, first)}: “${words}” [¶${marker}]`;
  }
  const referent = first.referent;
  if (referent !== undefined && first.indexInParagraph === 0 && HE_SHE.test(quote)) {
    return formatCitedSentence(quote.replace(HE_SHE, `[${referent}]`), marker);
  }
  return formatCitedSentence(quote, marker);
}

/** The words inside the quotation marks of a quote, joined (verbatim, without the attribution around them). */
function quotedWords(quote: string): string | undefined {
  const parts = [...quote.matchAll(/["“]([^"”]+)["”]?/g)].map((m) => m[1]!.trim().replace(/,$/, ''));
  if (parts.length === 0) return undefined;
  return parts.join(' … ');
}

/** "says" or "said", as the article attributes this speaker's words nearby. */
function speechVerb(model: ArticleModel, s: SentenceModel): string {
  const paragraph = model.paragraphs[s.paragraphIndex]!;
  for (const id of paragraph.sentences) {
    for (const t of model.sentences[id]!.analysis.tokens) if (t.lemma === 'say' && t.pos === 'VERB') return t.text.toLowerCase() === 'says' ? 'says' : 'said';
  }
  return 'said';
}

function lastName(name: string): string {
  return name.split(/\s+/).at(-1) ?? name;
}

/**
 * The answer's value, verbatim from the sentence: the value of the asked kind the question does not already
 * hold (a number for "how many", a date for "when", a person's name for "who"), or undefined when there is
 * no single such value.
 */
function factOf(question: QuestionModel, model: ArticleModel, lexicon: Lexicon, s: SentenceModel): string | undefined {
  const fresh = isNewValue(askedWords(question));
  const entities = s.analysis.entities;
  const pick = (kinds: readonly string[]): string | undefined => {
    const found = entities.filter((e) => kinds.includes(e.kind) && fresh(e.text));
    return found.length === 1 ? found[0]!.text : undefined;
  };
  switch (question.expects) {
    // Only a value of the asked type goes first: "$285,000 —" is no answer to "how many drivers?", and a
    // wrong-typed value in front of the sentence would make a weak answer look sure. "How much" asks for any
    // quantity (an amount, a share, a number); "how many" only for a count.
    case 'count':
      return question.asksCount ? pick(['number']) : pick(['number', 'percent', 'money']);
    case 'percent':
      return pick(['percent']);
    case 'money':
      return pick(['money']) ?? pick(['number']);
    case 'time':
      return pick(['date', 'time']);
    case 'duration':
      return pick(['duration']);
    case 'age': {
      const tokens = s.analysis.tokens;
      const ages = tokens.filter((t, i) => /^\d{1,3}$/.test(t.text) && (tokens[i + 2]?.lemma === 'year' || tokens[i - 1]?.text === ','));
      return ages.length === 1 ? ages[0]!.text : undefined;
    }
    case 'person': {
      const people = s.people.filter(fresh);
      return people.length === 1 ? people[0] : undefined;
    }
    case 'name': {
      const names = namesOf({ question, model, lexicon }, s, fresh);
      return names.length === 1 ? names[0] : undefined;
    }
    case 'place': {
      const places = s.places.filter(fresh);
      return places.length === 1 ? places[0] : model.article.dateline !== undefined && s.sentence.text.startsWith(model.article.dateline) ? model.article.dateline : undefined;
    }
    default:
      return undefined;
  }
}
