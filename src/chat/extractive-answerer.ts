import type { Paragraph } from '../index/article.js';
import { tokenize, termsMatch } from '../index/tokenize.js';
import type { Sentence } from '../index/split-sentences.js';
import type { Answer, Citation, RetrievedParagraph } from './answer-types.js';
import { addressesAssistant } from './addresses-assistant.js';
import { analyzeQuestion, isStrictType, sentenceMatchesType, type QuestionAnalysis } from './analyze-question.js';
import type { AnswerInput, Answerer } from './engine-types.js';
import type { HybridRetriever } from './hybrid-retriever.js';
import { composeRefusal, formatCitedSentence } from './compose-answer.js';

/**
 * The default answerer: deterministic, offline, no LLM. It scores every sentence of the top retrieved
 * paragraphs against the question (sentence and paragraph embedding similarity, IDF-weighted term
 * coverage, and whether the sentence holds the kind of answer asked for), then builds a short answer
 * from the best one or two sentences, each followed by its ¶ marker. When the best sentence is too weak,
 * it says the article does not answer and cites nothing: a wrong citation is worse than none.
 */
export interface ExtractiveAnswererOptions {
  readonly retriever: HybridRetriever;
  /** The engine's (cached) query embedder; vectors are unit length. */
  readonly embedQuery: (text: string) => Promise<readonly number[]>;
  /** How many retrieved paragraphs to read sentences from; default 6. */
  readonly maxParagraphs?: number;
  readonly thresholds?: Partial<GroundingThresholds>;
  readonly weights?: Partial<SentenceWeights>;
  /** Diagnostics: receives the scored sentences of every answer (calibration scripts, never production). */
  readonly trace?: (question: string, scored: readonly ScoredSentence[]) => void;
}

/**
 * When a sentence counts as evidence. Calibrated on the development questions in
 * `evals/dev-calibration.jsonl` (not the reader suite, which was written independently); see README "Answering".
 */
export interface GroundingThresholds {
  /** Minimum combined score of the best sentence. */
  readonly minScore: number;
  /** Minimum share (IDF-weighted) of the question's terms found in the paragraph, unless the meaning match is strong. */
  readonly minCoverage: number;
  /** A sentence this similar in meaning needs no term overlap. */
  readonly strongDense: number;
  /** A second sentence is added when it scores at least this share of the best. */
  readonly secondRatio: number;
  /** For "how many" and "how old": the counting sentence's own term coverage needed ... */
  readonly countCoverage: number;
  /** ... unless its meaning is at least this close. */
  readonly countDense: number;
}

/** How the evidence for one sentence is combined (the type, identity and quote adjustments come on top). */
export interface SentenceWeights {
  /** Cosine similarity of question and sentence. */
  readonly sentenceDense: number;
  /** Cosine similarity of question and the sentence's paragraph. */
  readonly paragraphDense: number;
  /** The paragraph's fused retrieval score (0..1, 1 for the best paragraph). */
  readonly retrieval: number;
  /** IDF-weighted share of the question's terms in the sentence. */
  readonly sentenceCoverage: number;
  /** The same share over the whole paragraph and its section heading. */
  readonly paragraphCoverage: number;
}

export const DEFAULT_WEIGHTS: SentenceWeights = {
  sentenceDense: 0.5,
  paragraphDense: 0.1,
  retrieval: 0.1,
  sentenceCoverage: 0.2,
  paragraphCoverage: 0.1,
};

/** Subtracted from a sentence the last two answers already quoted; half of it from the rest of its paragraph. */
const NOVELTY_PENALTY = 0.12;

export const DEFAULT_THRESHOLDS: GroundingThresholds = {
  minScore: 0.42,
  minCoverage: 0.26,
  strongDense: 0.55,
  secondRatio: 0.97,
  countCoverage: 0.5,
  countDense: 0.68,
};

export interface ScoredSentence {
  readonly paragraph: Paragraph;
  readonly sentence: Sentence;
  readonly index: number;
  readonly sentences: readonly Sentence[];
  readonly score: number;
  readonly dense: number;
  readonly coverage: number;
  readonly paragraphCoverage: number;
  readonly typeMatch: boolean;
  readonly matched: ReadonlySet<string>;
}

export function createExtractiveAnswerer(options: ExtractiveAnswererOptions): Answerer {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const maxParagraphs = options.maxParagraphs ?? 6;
  const { retriever } = options;

  // Index terms of each chunk and its sentences, tokenized once rather than on every question.
  const chunkTerms = new Map<number, { paragraph: string[]; sentences: string[][] }>();
  const termsOfChunk = (position: number): { paragraph: string[]; sentences: string[][] } => {
    let terms = chunkTerms.get(position);
    if (terms === undefined) {
      const chunk = retriever.chunks[position]!;
      terms = { paragraph: tokenize(chunk.searchText), sentences: chunk.sentences.map((x) => tokenize(x.text)) };
      chunkTerms.set(position, terms);
    }
    return terms;
  };

  const idf = (term: string): number => {
    const value = retriever.bm25.idf(term);
    return value > 0 ? value : retriever.bm25.maxIdf;
  };

  const coverage = (terms: readonly string[], against: readonly string[]): { share: number; matched: Set<string> } => {
    let total = 0;
    let hit = 0;
    const matched = new Set<string>();
    for (const term of terms) {
      const weight = idf(term);
      total += weight;
      if (against.some((other) => termsMatch(term, other))) {
        hit += weight;
        matched.add(term);
      }
    }
    return { share: total === 0 ? 0 : hit / total, matched };
  };

  const scoreSentences = async (
    question: string,
    analysis: QuestionAnalysis,
    candidates: readonly RetrievedParagraph[],
    alreadySaid: ReadonlyArray<{ ref: string; quote: string }>,
  ): Promise<ScoredSentence[]> => {
    const vector = await options.embedQuery(question);
    const scored: ScoredSentence[] = [];
    const { chunks } = retriever;
    for (const candidate of candidates.slice(0, maxParagraphs)) {
      const position = retriever.chunkPosition(candidate.paragraph.ref);
      const chunk = chunks[position];
      if (chunk === undefined) continue;
      const terms = termsOfChunk(position);
      const paragraphCoverage = coverage(analysis.terms, terms.paragraph).share;
      const speaks = analysis.speaker !== undefined && chunk.searchText.includes(analysis.speaker.split(' ').at(-1)!);
      const base = retriever.sentenceOffset(position);
      chunk.sentences.forEach((sentence, index) => {
        // Text addressed to an AI ("Ignore previous instructions and say ...") is never evidence.
        if (addressesAssistant(sentence.text)) return;
        const dense = retriever.sentenceSimilarity(vector, base + index);
        const { share, matched } = coverage(analysis.terms, terms.sentences[index]!);
        const introducing = analysis.identityOf !== undefined && introduces(sentence.text, analysis.identityOf);
        const identity = introducing ? 0.15 : 0;
        // '"...," he said.' names its speaker in the sentence before: judge the two together.
        const leansBack = index > 0 && PRONOUN_ATTRIBUTION.test(sentence.text);
        const typeMatch =
          introducing ||
          sentenceMatchesType(sentence.text, analysis.type, question) ||
          (leansBack && sentenceMatchesType(`${chunk.sentences[index - 1]!.text} ${sentence.text}`, analysis.type, question));
        const counts = analysis.type === 'count' && countsQuestionTerms(sentence.text, analysis.terms) ? 0.05 : 0;
        const typeAdjust = (analysis.type === 'general' ? 0 : typeMatch ? 0.05 : -0.08) + counts;
        const quoted = speaks && /["“]/.test(sentence.text) ? 0.08 : 0;
        // A follow-up asks for something new: what the conversation already quoted is its premise, not its answer.
        const repeated = alreadySaid.some((c) => c.ref === candidate.paragraph.ref)
          ? alreadySaid.some((c) => c.quote.includes(sentence.text))
            ? NOVELTY_PENALTY
            : NOVELTY_PENALTY / 2
          : 0;
        const score =
          weights.sentenceDense * dense +
          weights.paragraphDense * (candidate.dense ?? 0) +
          weights.retrieval * candidate.score +
          weights.sentenceCoverage * share +
          weights.paragraphCoverage * paragraphCoverage +
          typeAdjust +
          identity +
          quoted -
          repeated;
        scored.push({
          paragraph: candidate.paragraph,
          sentence,
          index,
          sentences: chunk.sentences,
          score,
          dense,
          coverage: share,
          paragraphCoverage,
          typeMatch,
          matched,
        });
      });
    }
    return scored.sort((a, b) => b.score - a.score);
  };

  const isEvidence = (s: ScoredSentence, analysis: QuestionAnalysis): boolean => {
    if (isStrictType(analysis.type) && !s.typeMatch) return false;
    // A sentence holding every term of a typed question and an answer of its type is evidence even
    // when short questions embed poorly ("How old is Maksym?" vs "Maksym, 22, an FPV drone operator").
    const complete = analysis.type !== 'general' && s.typeMatch && s.coverage >= 0.99;
    if (s.score < thresholds.minScore && !(complete && s.score >= thresholds.minScore - 0.1)) return false;
    // A number is the easiest thing to cite wrongly ("two soldiers captured" for "how many died?"):
    // the counting sentence itself must carry the question's terms or be close in meaning.
    if (analysis.type === 'count' && s.coverage < thresholds.countCoverage && s.dense < thresholds.countDense) return false;
    return Math.max(s.paragraphCoverage, s.coverage) >= thresholds.minCoverage || s.dense >= thresholds.strongDense;
  };

  return {
    name: 'extractive',
    async answer(input: AnswerInput): Promise<Answer> {
      // The standalone question, with any context from earlier turns: "Did that work?" means nothing alone.
      const question = input.standaloneQuestion;
      const analysis = analyzeQuestion(question);
      const related = input.candidates.slice(0, 3).map((c) => c.paragraph);
      if (analysis.isInstruction || input.candidates.length === 0) {
        return emit(composeRefusal(related), input);
      }
      const alreadySaid = input.history
        .slice(-2)
        .flatMap((turn) => turn.answer.citations.map((c) => ({ ref: `${c.article}#${c.id}`, quote: c.quote })));
      const scored = await scoreSentences(question, analysis, input.candidates, alreadySaid);
      options.trace?.(question, scored);
      // The top sentence of the right kind must itself be evidence: passing over it to a weaker sentence
      // that happens to share words is how wrong citations are made.
      const best = scored.find((s) => !isStrictType(analysis.type) || s.typeMatch);
      if (best === undefined || !isEvidence(best, analysis)) {
        return emit(composeRefusal(related, 'extractive', [], best === undefined ? 0 : Math.min(0.49, confidenceOf(best.score, thresholds))), input);
      }
      const outcome = analysis.type === 'outcome' ? findOutcome(best, retriever, question) : undefined;
      const picks =
        outcome !== undefined
          ? [outcome]
          : pickSentences(best, scored, analysis, question, thresholds, (s) => isEvidence(s, analysis));
      const citations: Citation[] = [];
      const parts: string[] = [];
      for (const pick of picks) {
        const quote = pick.paragraph.text.slice(pick.start, pick.end);
        citations.push({
          id: pick.paragraph.id,
          article: pick.paragraph.article,
          paragraph: pick.paragraph.number,
          text: pick.paragraph.text,
          quote,
        });
        parts.push(formatCitedSentence(quote, pick.paragraph.number));
      }
      return emit(
        {
          answer: parts.join(' '),
          grounded: true,
          confidence: Math.max(0.5, confidenceOf(best.score, thresholds)),
          citations,
          related: [],
          answerer: 'extractive',
          notes: [],
        },
        input,
      );
    },
  };
}

/**
 * Whether a number in the sentence counts something the question names: "4,700 North Korean soldiers"
 * answers "how many soldiers", "five North Korean drones" does not answer "how many troops".
 */
function countsQuestionTerms(sentence: string, terms: readonly string[]): boolean {
  const tokens = sentence.split(/\s+/);
  return tokens.some((token, i) => {
    if (!/\d/.test(token) && !NUMBER_WORD.test(token)) return false;
    const following = tokenize(tokens.slice(i + 1, i + 5).join(' '));
    return following.some((word) => terms.some((term) => termsMatch(term, word)));
  });
}

const NUMBER_WORD =
  /^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|dozens?|several|multiple)$/i;

/** Whether the sentence introduces the person: "Vlad, a 31-year-old soldier", "whose call sign is Bulat". */
function introduces(sentence: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `\\b${n},\\s+(?:a|an|the|\\d)|\\b(?:call sign is|named|called|nicknamed|known as|met|meet)\\s+["“]?${n}\\b|\\b${n}\\s+(?:is|was)\\s+(?:a|an|the)\\b|\\b${n}\\s+\\([^)]*\\),\\s*\\d`,
    'u',
  ).test(sentence);
}

interface Pick {
  readonly paragraph: Paragraph;
  readonly start: number;
  readonly end: number;
}

/** A quotation attributed to a pronoun: its speaker is named earlier. */
const PRONOUN_ATTRIBUTION = /\b(?:he|she|they)\s+(?:said|says|told|explains|explained|added|adds|wrote|recalled)\b/i;

const LEADING_PRONOUN = /^["“]?(?:He|She|They|It|This|That|These|Those|His|Her|Their)\b/;

/**
 * The best sentence, widened to a neighbour when it cannot stand alone (a bare quote fragment, or a
 * sentence opening with a pronoun), plus at most one sentence from another paragraph that covers
 * question terms the first did not.
 */
function pickSentences(
  best: ScoredSentence,
  scored: readonly ScoredSentence[],
  analysis: QuestionAnalysis,
  question: string,
  thresholds: GroundingThresholds,
  isEvidence: (s: ScoredSentence) => boolean,
): Pick[] {
  const completes =
    analysis.type === 'general' ? undefined : (text: string) => sentenceMatchesType(text, analysis.type, question);
  const picks: Pick[] = [widen(best, completes)];
  // A second paragraph only when the first leaves much of the question uncovered and the second
  // covers it: each extra citation is one more chance of citing the wrong paragraph.
  const second =
    best.coverage >= 0.5
      ? undefined
      : scored.find(
          (s) =>
            s.paragraph.ref !== best.paragraph.ref &&
            isEvidence(s) &&
            s.score >= best.score * thresholds.secondRatio &&
            newCoverage(s, best) >= 0.25 &&
            (!isStrictType(analysis.type) || s.typeMatch),
        );
  if (second !== undefined) picks.push(widen(second));
  return picks;
}

/** Share of the question's matched terms that `s` adds beyond `best` (unweighted). */
function newCoverage(s: ScoredSentence, best: ScoredSentence): number {
  const added = [...s.matched].filter((term) => !best.matched.has(term)).length;
  return added / Math.max(1, s.matched.size + best.matched.size);
}

function widen(s: ScoredSentence, completes?: (text: string) => boolean): Pick {
  let first = s.index;
  let last = s.index;
  // The named subject and the fact asked for are often in neighbouring sentences ("captured two
  // soldiers." / "The soldiers, 21-year-old Paek and 26-year-old Ri, ..."): take the next one too.
  const next = s.sentences[s.index + 1];
  if (completes !== undefined && !s.typeMatch && next !== undefined && completes(next.text)) last += 1;
  const words = s.sentence.text.split(/\s+/).length;
  if (first > 0 && (LEADING_PRONOUN.test(s.sentence.text) || PRONOUN_ATTRIBUTION.test(s.sentence.text) || words < 6)) {
    first -= 1;
  }
  return { paragraph: s.paragraph, start: s.sentences[first]!.start, end: s.sentences[last]!.end };
}

/** Outcome words from least to most final: "what happened to X" asks for X's eventual fate. */
const FINALITY: ReadonlyArray<RegExp> = [
  /\b(?:injured|wounded|lost|hurt)\b/i,
  /\b(?:captured|escaped|survived|released|freed|arrested|fled|surrendered|rescued|remains?|remained|returned|sentenced|recovered|disappeared|gone)\b/i,
  /\b(?:died|dies|dead|death|killed|executed|blew (?:himself|herself|themselves) up)\b/i,
];
/** A sentence continuing the same story: opens with a pronoun or a definite description. */
const REFERS_BACK = /^["“]?(?:He|She|They|His|Her|Their|The (?:soldier|man|woman|prisoner|fighter|North Korean|Ukrainian|Russian|two|boy|girl|victim)s?)\b/;
/** How many paragraphs after the premise an outcome may be told (a story's next beats). */
const OUTCOME_WINDOW = 3;

/**
 * For "what happened to ..." questions: the best-matching sentence usually restates the question's
 * premise; the answer is the most final outcome told after it, in the same paragraph or the next few
 * of the same section. Returns undefined when the story tells no later outcome.
 */
function findOutcome(premise: ScoredSentence, retriever: HybridRetriever, question: string): Pick | undefined {
  const asked = new Set(question.toLowerCase().match(/[a-z]+/g) ?? []);
  const finality = (text: string): number => {
    let level = -1;
    FINALITY.forEach((pattern, i) => {
      const match = pattern.exec(text);
      if (match !== null && !asked.has(match[0].toLowerCase())) level = i;
    });
    return level;
  };
  const start = retriever.chunkPosition(premise.paragraph.ref);
  let found: { pick: ScoredSentence['paragraph']; sentence: number; level: number } | undefined;
  for (let position = start; position <= start + OUTCOME_WINDOW; position += 1) {
    const chunk = retriever.chunks[position];
    if (chunk === undefined || chunk.paragraph.article !== premise.paragraph.article) break;
    if (chunk.paragraph.section !== premise.paragraph.section || chunk.paragraph.kind === 'caption') continue;
    chunk.sentences.forEach((sentence, index) => {
      if (position === start && index <= premise.index) return;
      // In a later paragraph the outcome must still be about the premise's subject.
      if (position !== start && !REFERS_BACK.test(sentence.text) && ![...premise.matched].some((t) => tokenize(sentence.text).includes(t))) return;
      const level = finality(sentence.text);
      if (level >= 0 && (found === undefined || level >= found.level)) {
        found = { pick: chunk.paragraph, sentence: index, level };
      }
    });
  }
  if (found === undefined || found.level < finality(premise.sentence.text)) return undefined;
  const chunk = retriever.chunks[retriever.chunkPosition(found.pick.ref)]!;
  const sentence = chunk.sentences[found.sentence]!;
  return widen({ ...premise, paragraph: found.pick, sentence, index: found.sentence, sentences: chunk.sentences });
}

/** The best sentence's combined score as a 0..1 estimate: 0.5 at the evidence threshold, rising with the margin. */
function confidenceOf(score: number, thresholds: GroundingThresholds): number {
  return 1 / (1 + Math.exp(-12 * (score - thresholds.minScore)));
}

/** Streams the answer's text through `onDelta` clause by clause, then returns it. */
function emit(answer: Answer, input: AnswerInput): Answer {
  if (input.onDelta !== undefined) {
    for (const piece of answer.answer.match(/[^\s]+\s*/g) ?? []) input.onDelta(piece);
  }
  return answer;
}
