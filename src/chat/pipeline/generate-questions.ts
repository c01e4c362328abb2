import type { Lexicon } from '../../nlp/lexicon.js';
import type { TextToken } from '../../nlp/text-analyzer.js';
import { seededRandom, shuffle } from '../../seeded-random.js';
import type { ArticleModel, SentenceModel } from './article-model.js';

/**
 * Questions an article answers, generated from its own sentences: labelled data any article brings, used to train
 * the ranker and the answerability model, and as candidate starter questions. Templates over what a sentence holds:
 * - a number, amount or date becomes "How many / How much / When ..." over the rest of its clause
 *   ("Some 4,700 North Korean soldiers were killed fighting in Kursk" -> "How many North Korean soldiers were
 *   killed fighting in Kursk?");
 * - a person or place name becomes "Who / Where ..." over the clause without it;
 * - a quotation with a known speaker becomes "What did <speaker> say about <its key words>?";
 * - "because" / "so that" clauses become "Why <the clause before>?";
 * - every other informative sentence, a cloze-style "What about <its key words>?".
 * With `paraphrase`, a share of the content words is swapped for a WordNet synonym, so the training data does not
 * teach the ranker that readers always reuse the article's words.
 */
export interface GeneratedQuestion {
  readonly question: string;
  readonly kind: 'count' | 'money' | 'time' | 'person' | 'place' | 'quote' | 'reason' | 'cloze';
  /** The sentence it was made from. */
  readonly sentence: SentenceModel;
  /** The words of the answer in that sentence (the number, name or date), when there is one. */
  readonly answer: string | undefined;
}

export interface GenerateQuestionsOptions {
  readonly model: ArticleModel;
  readonly lexicon: Lexicon;
  /** Swap about this share of content words for a synonym (0..1); default 0. */
  readonly paraphrase?: number;
  /** Deterministic pseudo-random source in [0, 1); default a fixed-seed generator. */
  readonly random?: () => number;
  /** At most this many questions per sentence; default 2. */
  readonly perSentence?: number;
}

export function generateQuestions(options: GenerateQuestionsOptions): GeneratedQuestion[] {
  const { model, lexicon } = options;
  const random = options.random ?? seededRandom(7);
  const paraphrase = options.paraphrase ?? 0;
  const perSentence = options.perSentence ?? 2;
  const out: GeneratedQuestion[] = [];
  for (const s of model.sentences) {
    const words = s.analysis.tokens.filter((t) => t.pos !== 'PUNCT');
    if (words.length < 6) continue;
    const made: GeneratedQuestion[] = [];
    const push = (kind: GeneratedQuestion['kind'], lead: string, tokens: readonly TextToken[], answer: string | undefined): void => {
      const body = render(tokens, lexicon, paraphrase, random);
      if (body.split(' ').length < 3) return;
      made.push({ question: `${lead} ${body}?`.replace(/\s+/g, ' '), kind, sentence: s, answer });
    };
    const tokens = s.analysis.tokens;
    for (const entity of s.analysis.entities) {
      const clause = clauseAround(tokens, entity.firstToken, entity.lastToken);
      if (entity.kind === 'number') {
        const after = tokens.slice(entity.lastToken + 1, clause.end);
        push('count', 'How many', after, entity.text);
      } else if (entity.kind === 'money') {
        push('money', 'How much', [...tokens.slice(clause.start, entity.firstToken), ...tokens.slice(entity.lastToken + 1, clause.end)].filter(notDeterminer), entity.text);
      } else if (entity.kind === 'date') {
        push('time', 'When', withoutPreposition(tokens, clause.start, entity.firstToken, entity.lastToken, clause.end), entity.text);
      }
    }
    for (const span of s.analysis.names) {
      const kind = model.nameKind(span.text);
      if (kind === 'person') {
        // A person who is the subject: "Andriy Chernyak, a spokesman ..., told NPR that ..." -> "Who told NPR that ...?"
        const clause = clauseAround(tokens, span.firstToken, span.lastToken);
        if (clause.start !== span.firstToken) continue;
        let from = span.lastToken + 1;
        if (tokens[from]?.text === ',') {
          const close = tokens.findIndex((t, i) => i > from && t.text === ',');
          if (close === -1) continue;
          from = close + 1;
        }
        if (tokens[from]?.pos !== 'VERB' && tokens[from]?.pos !== 'AUX') continue;
        push('person', 'Who', tokens.slice(from, clauseAround(tokens, from, from).end), span.text);
      } else if (kind === 'place') {
        // "... in Kursk" at the end of a clause: "Where <the clause without it>?" reads as a reader's question only
        // when the clause opens with its subject.
        const clause = clauseAround(tokens, span.firstToken, span.lastToken);
        if (tokens[span.firstToken - 1]?.pos !== 'ADP' || span.lastToken + 1 !== clause.end || tokens[clause.start]?.pos === 'ADP') continue;
        push('place', 'Where', tokens.slice(clause.start, span.firstToken - 1), span.text);
      }
    }
    if (s.speaker !== undefined && s.quoted) {
      push('quote', `What did ${s.speaker} say about`, keyWords(s, 3), undefined);
    }
    const because = tokens.findIndex((t) => t.lemma === 'because' || (t.lemma === 'so' && tokens[tokens.indexOf(t) + 1]?.lemma === 'that'));
    if (because > 3) push('reason', 'Why', tokens.slice(0, because), undefined);
    if (made.length === 0) push('cloze', 'What about', keyWords(s, 4), undefined);
    // Keep a varied handful.
    shuffle(made, random);
    out.push(...made.slice(0, perSentence));
  }
  return out;
}

function notDeterminer(t: TextToken): boolean {
  return t.pos !== 'DET';
}

/**
 * The clause holding tokens [first, last]: bounded by sentence punctuation, dashes and semicolons, and after the
 * answer also by a comma ("killed fighting in Kursk, according to ..." stops at "Kursk").
 */
function clauseAround(tokens: readonly TextToken[], first: number, last: number): { start: number; end: number } {
  let start = first;
  while (start > 0 && !isBoundary(tokens[start - 1]!)) start -= 1;
  let end = last + 1;
  while (end < tokens.length && !isBoundary(tokens[end]!) && !(tokens[end]!.text === ',' && end > last + 2)) end += 1;
  return { start, end };
}

function isBoundary(t: TextToken): boolean {
  return t.pos === 'PUNCT' && /^[.;:!?—–"“”]$/.test(t.text);
}

/** The clause without the answer and a preposition that introduced it ("in June 2024"). */
function withoutPreposition(tokens: readonly TextToken[], start: number, first: number, last: number, end: number): TextToken[] {
  const before = tokens.slice(start, first);
  if (before.at(-1)?.pos === 'ADP') before.pop();
  return [...before, ...tokens.slice(last + 1, end)];
}

/** The sentence's rarest content words, in text order. */
function keyWords(s: SentenceModel, count: number): TextToken[] {
  const content = s.analysis.tokens.filter((t) => !t.stop && (t.pos === 'NOUN' || t.pos === 'PROPN' || t.pos === 'VERB' || t.pos === 'ADJ'));
  return content.slice(0, Math.max(count, Math.ceil(content.length / 2))).slice(0, count + 2);
}

function render(tokens: readonly TextToken[], lexicon: Lexicon, paraphrase: number, random: () => number): string {
  const words: string[] = [];
  let previousEnd = -1;
  for (const t of tokens) {
    if (t.pos === 'PUNCT' && t.text !== '-') continue;
    // Tokens the text wrote together ("Korea's", "31-year-old") stay together.
    const joined = t.start === previousEnd && words.length > 0;
    previousEnd = t.end;
    let word = t.text;
    if (paraphrase > 0 && !t.stop && (t.pos === 'NOUN' || t.pos === 'VERB' || t.pos === 'ADJ') && random() < paraphrase) {
      const pos = t.pos === 'NOUN' ? 'noun' : t.pos === 'VERB' ? 'verb' : 'adj';
      const synonyms = [...lexicon.related(t.lemma, pos)].filter(([w, c]) => c >= 0.9 && w !== t.lemma && !w.includes(' ')).map(([w]) => w);
      if (synonyms.length > 0) word = synonyms[Math.floor(random() * synonyms.length)]!;
    }
    if (joined) words[words.length - 1] += word;
    else words.push(word);
  }
  return words.join(' ').trim();
}
