import { tokenize } from '../../index/tokenize.js';
import type { Lexicon } from '../../nlp/lexicon.js';
import type { AnswerKind, QuestionModel } from './analyze-question.js';
import { sentenceCosine, vectorCosine, type ArticleModel, type SentenceModel } from './article-model.js';
import { createKindMatcher } from './match-answer-kind.js';
import { selectCandidates } from './select-candidates.js';
import { matchTerms, type TermMatcher } from './match-terms.js';

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
  ['introduces', 'the sentence introduces the name the question asks to identify ("Tom Hale, 61, a council member")'],
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
/** Column of each feature, for the hot loop. */
const F = Object.fromEntries(SENTENCE_FEATURE_NAMES.map((name, i) => [name, i])) as Record<SentenceFeatureName, number>;
const WIDTH = SENTENCE_FEATURE_NAMES.length;
const EMPTY: ReadonlySet<string> = new Set();

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

/** Stages 1 and 2: the candidate sentences (select-candidates.ts), each with its feature row. */
export function computeFeatures(options: ComputeFeaturesOptions): QuestionContext {
  const { question, model, lexicon } = options;
  // A typed copy of the query vector: the dot products below run on it ~190 times per question.
  const vector = Float64Array.from(options.vector as ArrayLike<number>);
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
  const m = matchers.length;
  const weights = Float64Array.from(matchers, (x) => x.weight);
  // Inverted once per question: which question words each article term or lemma stands for, and how closely.
  const termHits = new Map<string, number[]>();
  const lemmaHits = new Map<string, Array<readonly [number, number]>>();
  matchers.forEach((matcher, k) => {
    for (const t of matcher.exactTerms) {
      const list = termHits.get(t);
      if (list === undefined) termHits.set(t, [k]);
      else list.push(k);
    }
    for (const [lemma, c] of matcher.lemmas) {
      const list = lemmaHits.get(lemma);
      if (list === undefined) lemmaHits.set(lemma, [[k, c]]);
      else list.push([k, c]);
    }
  });
  /** Closeness of each question word to a text with these terms and lemmas (as `termCloseness`, all words at once). */
  const closenessOf = (terms: ReadonlySet<string>, lemmas: ReadonlySet<string>): Float64Array => {
    const c = new Float64Array(m);
    for (const lemma of lemmas) {
      const hits = lemmaHits.get(lemma);
      if (hits !== undefined) for (const [k, v] of hits) if (v > c[k]!) c[k] = v;
    }
    for (const t of terms) {
      const hits = termHits.get(t);
      if (hits !== undefined) for (const k of hits) c[k] = 1;
    }
    return c;
  };
  const closenessCache = new Array<Float64Array | undefined>(model.sentences.length);
  const closeness = (id: number): Float64Array => {
    let c = closenessCache[id];
    if (c === undefined) {
      const s = model.sentences[id]!;
      c = closenessOf(s.termSet, s.lemmas);
      closenessCache[id] = c;
    }
    return c;
  };
  const paragraphCloseness = new Array<Float64Array | undefined>(model.paragraphs.length);
  const paragraphOf = (index: number): Float64Array => {
    let c = paragraphCloseness[index];
    if (c === undefined) {
      const p = model.paragraphs[index]!;
      c = closenessOf(new Set(p.sectionTerms), EMPTY);
      for (const id of p.sentences) {
        if (!allowed(model.sentences[id]!)) continue;
        const own = closeness(id);
        for (let k = 0; k < m; k += 1) if (own[k]! > c[k]!) c[k] = own[k]!;
      }
      paragraphCloseness[index] = c;
    }
    return c;
  };
  /** IDF-weighted share of the question's words in a text: `exact` counts the words themselves, `meaning` WordNet closeness too. */
  let exact = 0;
  let meaning = 0;
  const cover = (c: Float64Array): void => {
    exact = 0;
    meaning = 0;
    if (idfTotal === 0) return;
    for (let k = 0; k < m; k += 1) {
      const v = c[k]!;
      meaning += weights[k]! * v;
      if (v === 1) exact += weights[k]!;
    }
    exact /= idfTotal;
    meaning /= idfTotal;
  };
  const window = new Float64Array(m);

  const nameStems = question.names.map((n) => model.names.nameTokens(n).flatMap((t) => tokenize(t)));
  const kind = question.expects;
  const typed = kind !== 'other' && kind !== 'yesno' && kind !== 'definition';
  const whyHow = kind === 'reason' || kind === 'manner';
  const pairs = adjacentPairs(question);
  const historyQuotes = options.history?.quotes ?? [];
  const historyParagraphs = options.history?.paragraphs ?? new Set<string>();
  const kindMatcher = typed ? createKindMatcher({ kind, question, model, lexicon }) : undefined;
  const countMatcher = question.countNoun === undefined ? undefined : matchers.find((x) => x.term.lemma === question.countNoun);
  const lastParagraph = Math.max(1, model.paragraphs.length - 1);
  const countKind = kind === 'count' || kind === 'money' || kind === 'percent' || kind === 'age';
  const timeKind = kind === 'time' || kind === 'duration';

  const candidates = selectCandidates(model, { sentences, sentenceCos: cos, paragraphCos, sentenceBm25, paragraphBm25 });
  const rows: CandidateRow[] = [];
  // One buffer for the whole table (a row is a view into it): one allocation per question, not one per sentence.
  const table = new Float64Array(candidates.length * WIDTH);
  for (const s of candidates) {
    const f = table.subarray(rows.length * WIDTH, (rows.length + 1) * WIDTH);
    const p = model.paragraphs[s.paragraphIndex]!;
    const previousId = s.indexInParagraph > 0 ? p.sentences[s.indexInParagraph - 1] : undefined;
    const nextId = p.sentences[s.indexInParagraph + 1];
    const own = closeness(s.id);
    const before = previousId === undefined || !allowed(model.sentences[previousId]!) ? undefined : closeness(previousId);
    const after = nextId === undefined || !allowed(model.sentences[nextId]!) ? undefined : closeness(nextId);
    const paragraphSet = paragraphOf(s.paragraphIndex);

    f[F.cosSentence] = cos[s.id]!;
    f[F.cosSentenceGap] = cos[s.id]! - maxCosSentence;
    f[F.cosParagraph] = paragraphCos[s.paragraphIndex]!;
    f[F.cosParagraphGap] = paragraphCos[s.paragraphIndex]! - maxCosParagraph;
    f[F.cosParagraphBest] = paragraphBest[s.paragraphIndex]!;
    f[F.cosPrevious] = previousId === undefined ? 0 : cos[previousId]!;
    f[F.cosNext] = nextId === undefined ? 0 : cos[nextId]!;
    f[F.bm25Paragraph] = maxParagraphBm25 > 0 ? (paragraphBm25.get(s.paragraphIndex) ?? 0) / maxParagraphBm25 : 0;
    f[F.bm25Sentence] = maxSentenceBm25 > 0 ? (sentenceBm25.get(s.id) ?? 0) / maxSentenceBm25 : 0;
    cover(own);
    f[F.coverSentence] = exact;
    f[F.coverSentenceMeaning] = meaning;
    cover(paragraphSet);
    f[F.coverParagraph] = exact;
    f[F.coverParagraphMeaning] = meaning;
    for (let k = 0; k < m; k += 1) window[k] = Math.max(own[k]!, before?.[k] ?? 0, after?.[k] ?? 0);
    cover(window);
    f[F.coverWindow] = meaning;
    let coverPrevious = 0;
    if (before !== undefined) {
      cover(before);
      coverPrevious = meaning;
    }
    f[F.coverPrevious] = coverPrevious;
    f[F.namesSentence] = nameShare(nameStems, s.termSet);
    f[F.namesParagraph] = nameShare(nameStems, p.termSet);
    f[F.phrase] = phraseShare(pairs, s.bigrams);
    const match = kindMatcher !== undefined && kindMatcher(s);
    f[F.kindExpected] = typed ? 1 : 0;
    f[F.kindMatch] = match ? 1 : 0;
    f[F.kindMiss] = typed && !match ? 1 : 0;
    f[F.kindMatchCount] = match && countKind ? 1 : 0;
    f[F.kindMatchTime] = match && timeKind ? 1 : 0;
    f[F.kindMatchPerson] = match && kind === 'person' ? 1 : 0;
    f[F.kindMatchPlace] = match && kind === 'place' ? 1 : 0;
    f[F.kindMatchReason] = match && kind === 'reason' ? 1 : 0;
    f[F.countNoun] = question.countNoun !== undefined && countsNoun(s, question.countNoun, countMatcher) ? 1 : 0;
    const speakerAsked = question.speaker !== undefined;
    const speaks = speakerAsked && s.speaker !== undefined && sameSpeaker(question.speaker!, s.speaker, model);
    f[F.speakerMatch] = speaks ? 1 : 0;
    f[F.speakerOther] = speakerAsked && !speaks ? 1 : 0;
    f[F.introduces] = question.identity !== undefined && introduces(s, question.identity) ? 1 : 0;
    f[F.quoted] = s.quoted ? 1 : 0;
    f[F.datelinePlace] = kind === 'place' && model.datelineSentence === s.id ? 1 : 0;
    f[F.whyHowPrevious] = whyHow ? coverPrevious : 0;
    f[F.position] = s.paragraphIndex / lastParagraph;
    f[F.firstSentence] = s.indexInParagraph === 0 ? 1 : 0;
    f[F.caption] = s.paragraph.kind === 'caption' ? 1 : 0;
    f[F.pronounStart] = s.startsWithPronoun ? 1 : 0;
    f[F.length] = Math.log(1 + s.wordCount);
    f[F.repeated] = historyQuotes.length > 0 && historyQuotes.some((q) => q.includes(s.sentence.text)) ? 1 : 0;
    f[F.repeatedParagraph] = historyParagraphs.has(s.paragraph.id) ? 1 : 0;
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

/** Adjacent content-word pairs of the question, as BM25 stems ("north korea"). */
function adjacentPairs(question: QuestionModel): string[] {
  const stems = question.terms.flatMap((t) => tokenize(t.text));
  const pairs: string[] = [];
  for (let i = 0; i + 1 < stems.length; i += 1) pairs.push(`${stems[i]} ${stems[i + 1]}`);
  return pairs;
}

function phraseShare(pairs: readonly string[], bigrams: ReadonlySet<string>): number {
  if (pairs.length === 0) return 0;
  let hit = 0;
  for (const pair of pairs) if (bigrams.has(pair)) hit += 1;
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
