import { tokenize } from '../../index/tokenize.js';
import type { Lexicon } from '../../nlp/lexicon.js';
import type { AnswerKind, QuestionModel } from './analyze-question.js';
import { sentenceCosine, vectorCosine, type ArticleModel, type SentenceModel } from './article-model.js';
import { createKindMatcher } from './match-answer-kind.js';
import { matchTerms, termCloseness, type TermMatcher } from './match-terms.js';

/**
 * Stage 2 of the answering pipeline: the feature table. Every candidate sentence of the article gets one row of
 * these measurements; the trained ranker (rank.ts) weighs them. Names, meanings and order are the model artifact's
 * contract: a model trained on another table is refused at load.
 */
export const SENTENCE_FEATURES = [
  ['cosSentence', 'cosine of question and sentence (Universal Sentence Encoder)'],
  ['cosSentenceGap', 'the same minus the best sentence cosine in the article (0 for the best)'],
  ['cosParagraph', 'cosine of question and the sentence\'s paragraph'],
  ['cosParagraphGap', 'the same minus the best paragraph cosine in the article'],
  ['cosParagraphBest', 'best sentence cosine within the paragraph'],
  ['cosPrevious', 'cosine of question and the previous sentence of the paragraph (0 for the first)'],
  ['cosNext', 'cosine of question and the next sentence of the paragraph (0 for the last)'],
  ['bm25Paragraph', 'BM25 of the paragraph with the article\'s statistics, over the article\'s best'],
  ['bm25Sentence', 'BM25 of the sentence among the article\'s sentences, over the best'],
  ['coverSentence', 'IDF-weighted share of question words in the sentence, exact'],
  ['coverSentenceMeaning', 'the same counting WordNet synonyms, hypernyms and derivations by closeness'],
  ['coverParagraph', 'IDF-weighted share of question words in the paragraph and its heading, exact'],
  ['coverParagraphMeaning', 'the same with WordNet closeness'],
  ['coverWindow', 'share (with WordNet) over the sentence and its neighbours'],
  ['coverPrevious', 'share (with WordNet) in the previous sentence of the paragraph: a premise restated before its answer'],
  ['namesSentence', 'share of the question\'s names found in the sentence'],
  ['namesParagraph', 'share of the question\'s names found in the paragraph'],
  ['phrase', 'share of the question\'s adjacent word pairs found adjacent in the sentence'],
  ['kindExpected', 'the question asks for a typed answer (a count, time, person, place, reason, quote, ...)'],
  ['kindMatch', 'the sentence holds an answer of the asked kind that the question does not already hold'],
  ['kindMiss', 'a typed question and a sentence without such an answer'],
  ['kindMatchCount', 'kindMatch on a count or amount question'],
  ['kindMatchTime', 'kindMatch on a time or duration question'],
  ['kindMatchPerson', 'kindMatch on a person question'],
  ['kindMatchPlace', 'kindMatch on a place question'],
  ['kindMatchReason', 'kindMatch on a why question'],
  ['countNoun', 'a number in the sentence counts the thing the question counts ("4,700 soldiers" for "how many troops")'],
  ['speakerMatch', 'the question asks for someone\'s words and the sentence reports that person\'s words'],
  ['speakerOther', 'the question asks for someone\'s words and the sentence reports someone else\'s or nobody\'s'],
  ['introduces', 'the sentence introduces the name the question asks to identify ("Bulat, 25, a fighter")'],
  ['quoted', 'the sentence holds a quotation'],
  ['datelinePlace', 'a where question and the sentence opening with the story\'s dateline (where it was reported from)'],
  ['whyHowPrevious', 'coverPrevious on a why / how question: the answer follows the sentence restating the premise'],
  ['position', 'paragraph position in the article, 0 (top) to 1'],
  ['firstSentence', 'the sentence opens its paragraph'],
  ['caption', 'the paragraph is a photo caption'],
  ['pronounStart', 'the sentence opens with a pronoun'],
  ['length', 'log of the sentence\'s word count'],
  ['repeated', 'an answer earlier in the conversation quoted this sentence'],
  ['repeatedParagraph', 'an answer earlier in the conversation cited this paragraph'],
] as const;

export type SentenceFeatureName = (typeof SENTENCE_FEATURES)[number][0];
export const SENTENCE_FEATURE_NAMES: readonly SentenceFeatureName[] = SENTENCE_FEATURES.map(([name]) => name);
const INDEX = new Map<string, number>(SENTENCE_FEATURE_NAMES.map((name, i) => [name, i]));

export interface CandidateRow {
  readonly sentence: SentenceModel;
  readonly features: Float64Array;
  /** Closeness of each question word (in `QuestionContext.matchers` order) to the sentence's paragraph. */
  readonly paragraphCloseness: Float64Array;
}

export interface QuestionContext {
  readonly question: QuestionModel;
  readonly matchers: readonly TermMatcher[];
  readonly rows: readonly CandidateRow[];
  /** Best sentence and paragraph cosine among the candidates. */
  readonly maxCosSentence: number;
  readonly maxCosParagraph: number;
  /** IDF-weighted share of question words the article mentions at all (WordNet closeness counted). */
  readonly articleCoverage: number;
  /** IDF-weighted share of question words the article never mentions, not even through WordNet. */
  readonly unmatchedShare: number;
  /** Question names with no token anywhere in the article. */
  readonly unmatchedNames: number;
  /** Raw best paragraph BM25 over the question's total IDF: how strongly the words appear at all. */
  readonly bm25Strength: number;
}

export interface ComputeFeaturesOptions {
  readonly question: QuestionModel;
  readonly model: ArticleModel;
  readonly vector: ArrayLike<number>;
  readonly lexicon: Lexicon;
  /** Sentence texts quoted and paragraph ids cited by the conversation's last answers. */
  readonly history?: { readonly quotes: readonly string[]; readonly paragraphs: ReadonlySet<string> };
  /** Paragraph ids to leave out (training: a question whose answer was removed from the article). */
  readonly exclude?: ReadonlySet<string>;
}

/** Stage 1 and 2: every sentence of the article is a candidate; each gets its feature row. */
export function computeFeatures(options: ComputeFeaturesOptions): QuestionContext {
  const { question, model, vector, lexicon } = options;
  const exclude = options.exclude;
  const matchers = matchTerms(question, model, lexicon);
  const allowed = (s: SentenceModel): boolean => !s.addressesAssistant && (exclude === undefined || !exclude.has(s.paragraph.id));
  const sentences = model.sentences.filter(allowed);

  const cos = new Float64Array(model.sentences.length);
  for (const s of sentences) cos[s.id] = sentenceCosine(model, vector, s);
  const paragraphCos = new Float64Array(model.paragraphs.length);
  const paragraphBest = new Float64Array(model.paragraphs.length).fill(-1);
  for (const s of sentences) paragraphBest[s.paragraphIndex] = Math.max(paragraphBest[s.paragraphIndex]!, cos[s.id]!);
  model.paragraphs.forEach((p, i) => {
    paragraphCos[i] = vectorCosine(vector, p.vector);
  });
  let maxCosSentence = -1;
  let maxCosParagraph = -1;
  for (const s of sentences) {
    maxCosSentence = Math.max(maxCosSentence, cos[s.id]!);
    maxCosParagraph = Math.max(maxCosParagraph, paragraphCos[s.paragraphIndex]!);
  }

  const queryText = question.terms.map((t) => t.text).join(' ');
  const paragraphBm25 = new Map<number, number>();
  for (const hit of model.paragraphBm25.search(queryText, model.paragraphs.length)) paragraphBm25.set(hit.doc, hit.score);
  const sentenceBm25 = new Map<number, number>();
  for (const hit of model.sentenceBm25.search(queryText, model.sentences.length)) sentenceBm25.set(hit.doc, hit.score);
  let maxParagraphBm25 = 0;
  let maxSentenceBm25 = 0;
  for (const s of sentences) {
    maxParagraphBm25 = Math.max(maxParagraphBm25, paragraphBm25.get(s.paragraphIndex) ?? 0);
    maxSentenceBm25 = Math.max(maxSentenceBm25, sentenceBm25.get(s.id) ?? 0);
  }
  const idfTotal = matchers.reduce((a, m) => a + m.weight, 0);

  // How close each question word comes to each sentence (1: the word itself), once per sentence and paragraph;
  // every coverage feature below is a weighted sum over these.
  const closeness = new Map<number, Float64Array>();
  for (const s of sentences) {
    const c = new Float64Array(matchers.length);
    matchers.forEach((m, k) => {
      c[k] = termCloseness(m, s.terms, s.lemmas);
    });
    closeness.set(s.id, c);
  }
  const paragraphCloseness = new Map<number, Float64Array>();
  const paragraphOf = (s: SentenceModel): Float64Array => {
    let merged = paragraphCloseness.get(s.paragraphIndex);
    if (merged === undefined) {
      const p = model.paragraphs[s.paragraphIndex]!;
      const section = tokenize(p.paragraph.section ?? '');
      const c = new Float64Array(matchers.length);
      matchers.forEach((m, k) => {
        c[k] = termCloseness(m, section, []);
      });
      for (const id of p.sentences) {
        const own = closeness.get(id);
        if (own !== undefined) for (let k = 0; k < own.length; k += 1) c[k] = Math.max(c[k]!, own[k]!);
      }
      paragraphCloseness.set(s.paragraphIndex, c);
      merged = c;
    }
    return merged;
  };
  const cover = (cs: ReadonlyArray<Float64Array | undefined>, expanded: boolean): number => {
    if (idfTotal === 0) return 0;
    let hit = 0;
    matchers.forEach((m, k) => {
      let best = 0;
      for (const c of cs) if (c !== undefined && c[k]! > best) best = c[k]!;
      hit += m.weight * (expanded ? best : best === 1 ? 1 : 0);
    });
    return hit / idfTotal;
  };

  const nameStems = question.names.map((n) => model.names.nameTokens(n).flatMap((t) => tokenize(t)));
  const kind = question.expects;
  const typed = kind !== 'other' && kind !== 'yesno' && kind !== 'definition';
  const whyHow = kind === 'reason' || kind === 'manner';
  const pairs = adjacentPairs(question);
  const historyQuotes = options.history?.quotes ?? [];
  const historyParagraphs = options.history?.paragraphs ?? new Set<string>();
  const kindMatcher = typed ? createKindMatcher({ kind, question, model, lexicon }) : undefined;
  const countMatcher = question.countNoun === undefined ? undefined : matchers.find((m) => m.term.lemma === question.countNoun);

  const dateline = model.article.dateline;
  const datelineSentence = dateline === undefined ? -1 : (model.sentences.find((x) => x.sentence.text.startsWith(dateline))?.id ?? -1);

  const rows: CandidateRow[] = [];
  for (const s of sentences) {
    const f = new Float64Array(SENTENCE_FEATURE_NAMES.length);
    const set = (name: SentenceFeatureName, value: number): void => {
      f[INDEX.get(name)!] = value;
    };
    const p = model.paragraphs[s.paragraphIndex]!;
    const previousId = s.indexInParagraph > 0 ? p.sentences[s.indexInParagraph - 1] : undefined;
    const previous = previousId === undefined ? undefined : model.sentences[previousId];
    const nextId = p.sentences[s.indexInParagraph + 1];
    const following = nextId === undefined ? undefined : model.sentences[nextId];
    const own = closeness.get(s.id)!;
    const before = previous === undefined ? undefined : closeness.get(previous.id);
    const after = following === undefined ? undefined : closeness.get(following.id);
    const paragraphSet = paragraphOf(s);

    set('cosSentence', cos[s.id]!);
    set('cosSentenceGap', cos[s.id]! - maxCosSentence);
    set('cosParagraph', paragraphCos[s.paragraphIndex]!);
    set('cosParagraphGap', paragraphCos[s.paragraphIndex]! - maxCosParagraph);
    set('cosParagraphBest', paragraphBest[s.paragraphIndex]!);
    set('cosPrevious', previous === undefined ? 0 : cos[previous.id]!);
    set('cosNext', following === undefined ? 0 : cos[following.id]!);
    set('bm25Paragraph', maxParagraphBm25 > 0 ? (paragraphBm25.get(s.paragraphIndex) ?? 0) / maxParagraphBm25 : 0);
    set('bm25Sentence', maxSentenceBm25 > 0 ? (sentenceBm25.get(s.id) ?? 0) / maxSentenceBm25 : 0);
    set('coverSentence', cover([own], false));
    set('coverSentenceMeaning', cover([own], true));
    set('coverParagraph', cover([paragraphSet], false));
    set('coverParagraphMeaning', cover([paragraphSet], true));
    set('coverWindow', cover([before, own, after], true));
    const coverPrevious = before === undefined ? 0 : cover([before], true);
    set('coverPrevious', coverPrevious);
    set('namesSentence', nameShare(nameStems, s.termSet));
    set('namesParagraph', nameShare(nameStems, p.termSet));
    set('phrase', phraseShare(pairs, s.terms));
    const match = kindMatcher !== undefined && kindMatcher(s);
    set('kindExpected', typed ? 1 : 0);
    set('kindMatch', match ? 1 : 0);
    set('kindMiss', typed && !match ? 1 : 0);
    set('kindMatchCount', match && (kind === 'count' || kind === 'money' || kind === 'percent' || kind === 'age') ? 1 : 0);
    set('kindMatchTime', match && (kind === 'time' || kind === 'duration') ? 1 : 0);
    set('kindMatchPerson', match && kind === 'person' ? 1 : 0);
    set('kindMatchPlace', match && kind === 'place' ? 1 : 0);
    set('kindMatchReason', match && kind === 'reason' ? 1 : 0);
    set('countNoun', question.countNoun !== undefined && countsNoun(s, question.countNoun, countMatcher) ? 1 : 0);
    const speakerAsked = question.speaker !== undefined;
    const speaks = speakerAsked && s.speaker !== undefined && sameSpeaker(question.speaker!, s.speaker, model);
    set('speakerMatch', speaks ? 1 : 0);
    set('speakerOther', speakerAsked && !speaks ? 1 : 0);
    set('introduces', question.identity !== undefined && introduces(s, question.identity) ? 1 : 0);
    set('quoted', s.quoted ? 1 : 0);
    set('datelinePlace', kind === 'place' && datelineSentence === s.id ? 1 : 0);
    set('whyHowPrevious', whyHow ? coverPrevious : 0);
    set('position', model.paragraphs.length > 1 ? s.paragraphIndex / (model.paragraphs.length - 1) : 0);
    set('firstSentence', s.indexInParagraph === 0 ? 1 : 0);
    set('caption', s.paragraph.kind === 'caption' ? 1 : 0);
    set('pronounStart', s.analysis.tokens.find((t) => t.pos !== 'PUNCT')?.pos === 'PRON' ? 1 : 0);
    set('length', Math.log(1 + s.analysis.tokens.filter((t) => t.pos !== 'PUNCT').length));
    set('repeated', historyQuotes.some((q) => q.includes(s.sentence.text)) ? 1 : 0);
    set('repeatedParagraph', historyParagraphs.has(s.paragraph.id) ? 1 : 0);
    rows.push({ sentence: s, features: f, paragraphCloseness: paragraphSet });
  }

  const articleCoverage = weightedShare(matchers, (m) => m.inArticle);
  const unmatchedShare = weightedShare(matchers, (m) => (m.inArticle === 0 ? 1 : 0));
  const articleTerms = model.termSet;
  const unmatchedNames = nameStems.filter((stems) => !stems.some((x) => articleTerms.has(x))).length;
  return {
    question,
    matchers,
    rows,
    maxCosSentence,
    maxCosParagraph,
    articleCoverage,
    unmatchedShare,
    unmatchedNames,
    bm25Strength: idfTotal > 0 ? maxParagraphBm25 / idfTotal : 0,
  };
}

export function featureIndex(name: SentenceFeatureName): number {
  return INDEX.get(name)!;
}

function weightedShare(matchers: readonly TermMatcher[], value: (m: TermMatcher) => number): number {
  let total = 0;
  let hit = 0;
  for (const m of matchers) {
    total += m.weight;
    hit += m.weight * value(m);
  }
  return total === 0 ? 0 : hit / total;
}

function nameShare(names: readonly string[][], terms: ReadonlySet<string>): number {
  if (names.length === 0) return 0;
  let hit = 0;
  for (const stems of names) if (stems.some((x) => terms.has(x))) hit += 1;
  return hit / names.length;
}

/** Adjacent content-word pairs of the question, as BM25 stems. */
function adjacentPairs(question: QuestionModel): Array<[string, string]> {
  const stems = question.terms.flatMap((t) => tokenize(t.text));
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < stems.length; i += 1) pairs.push([stems[i]!, stems[i + 1]!]);
  return pairs;
}

function phraseShare(pairs: ReadonlyArray<[string, string]>, terms: readonly string[]): number {
  if (pairs.length === 0) return 0;
  let hit = 0;
  for (const [a, b] of pairs) {
    for (let i = 0; i + 1 < terms.length; i += 1) {
      if (terms[i] === a && terms[i + 1] === b) {
        hit += 1;
        break;
      }
    }
  }
  return hit / pairs.length;
}

/** A number token followed within four words by the counted thing, or a word meaning it. */
function countsNoun(s: SentenceModel, countNoun: string, matcher: TermMatcher | undefined): boolean {
  const tokens = s.analysis.tokens;
  for (let i = 0; i < tokens.length; i += 1) {
    if (tokens[i]!.pos !== 'NUM') continue;
    for (let j = i + 1; j < Math.min(tokens.length, i + 5); j += 1) {
      const t = tokens[j]!;
      if (t.lemma === countNoun) return true;
      if (matcher !== undefined && (matcher.lemmas.get(t.lemma) ?? 0) >= 0.7) return true;
    }
  }
  return false;
}

/** The asked speaker (a name, or a role noun such as "mayor") is the sentence's speaker. */
function sameSpeaker(asked: string, speaker: string, model: ArticleModel): boolean {
  const spoken = new Set(model.names.nameTokens(speaker));
  const askedTokens = model.names.nameTokens(asked);
  if (askedTokens.some((t) => spoken.has(t))) return true;
  return model.names.rolesOf(speaker).has(asked.toLowerCase());
}

/** "Bulat, 25, ...", "Vlad, a 31-year-old soldier", "whose call sign is Bulat", "Bulat is a ...": an introduction. */
function introduces(s: SentenceModel, identity: string): boolean {
  const tokens = s.analysis.tokens;
  const target = identity.toLowerCase().split(/\s+/).at(-1)!;
  for (let i = 0; i < tokens.length; i += 1) {
    if (tokens[i]!.text.toLowerCase().replace(/['’]s$/, '') !== target) continue;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    if (next?.text === ',' && (after?.pos === 'DET' || after?.pos === 'NUM')) return true;
    if (next?.lemma === 'be' && (after?.pos === 'DET' || after?.pos === 'NUM')) return true;
    if (next?.text === '(' ) return true;
    const before = tokens[i - 1];
    if (before !== undefined && (before.lemma === 'be' || before.lemma === 'name' || before.lemma === 'call' || before.lemma === 'nickname')) return true;
  }
  return false;
}

export type { AnswerKind };
