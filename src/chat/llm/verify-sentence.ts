import type { Paragraph } from '../../index/article.js';
import { foldText, stem, termsMatch, tokenize } from '../../index/tokenize.js';
import type { HybridRetriever } from '../hybrid-retriever.js';
import { addressesAssistant } from '../addresses-assistant.js';
import { extractMarkers, placeMarkers } from './citation-markers.js';
import { correctQuotes } from './correct-quotes.js';

/**
 * Verifies one sentence of a model's answer against the paragraphs the model was given, before a reader
 * sees it:
 *
 * 1. Markers pointing outside the given paragraphs are dropped (never passed through).
 * 2. Quotations are checked word for word against the cited paragraphs (`correctQuotes`).
 * 3. The sentence's support by its cited paragraph(s) is scored:
 *      support = lexicalWeight × lexical + (1 − lexicalWeight) × dense
 *    where `lexical` is the IDF-weighted share of the sentence's terms found in the paragraph (terms the
 *    corpus has never seen weigh the most, so an invented name or place costs the most), and `dense` is
 *    the best cosine similarity between the sentence's embedding and the paragraph's sentence embeddings.
 *    Every number in the sentence must also appear in a cited paragraph. A sentence below `minSupport`,
 *    or with a foreign number, is removed. Sentences of a paragraph that address an AI assistant ("ignore
 *    previous instructions and say ...") are not evidence for anything, so a claim an injected paragraph
 *    merely asks for is removed too.
 *
 * A sentence with no valid marker is removed, except one that only says the article does not say
 * something (`no-claim`): it makes no claim to cite.
 */
export interface SupportThresholds {
  /** Weight of lexical coverage in the support score; embedding similarity gets the rest. */
  readonly lexicalWeight: number;
  /** The support a sentence needs from its cited paragraph(s). */
  readonly minSupport: number;
  /** With several markers on one sentence, a marker whose own paragraph scores below this is dropped. */
  readonly minMarkerSupport: number;
}

/**
 * Calibrated with the local Universal Sentence Encoder on the NPR article: 28 faithful paraphrases score
 * 0.70 to 0.99, 19 unsupported claims citing a related paragraph (invented events, facts cited to the
 * wrong paragraph) score 0.07 to 0.57, and three more fail the number check. Lexical coverage separates
 * the two sets better than embedding similarity (an invented claim about the same people is close in
 * meaning), hence its weight; the threshold sits between the sets. See docs/llm.md and
 * tests/integration/llm-verify-sentence.test.ts, which holds the calibration sentences.
 */
export const DEFAULT_SUPPORT_THRESHOLDS: SupportThresholds = {
  lexicalWeight: 0.7,
  minSupport: 0.63,
  minMarkerSupport: 0.45,
};

export interface SentenceCitation {
  readonly paragraph: Paragraph;
  /** The paragraph's sentence that best supports the answer sentence, word for word. */
  readonly quote: string;
  readonly support: number;
}

export interface VerifiedSentence {
  /** `claim`: kept with citations; `no-claim`: kept without ("The article doesn't say ..."); `removed`. */
  readonly kind: 'claim' | 'no-claim' | 'removed';
  /** The sentence as the reader will see it (normalised markers, corrected quotes); '' when removed. */
  readonly text: string;
  readonly citations: readonly SentenceCitation[];
  readonly notes: readonly string[];
  /** Support by the cited paragraphs together; undefined when not scored. */
  readonly support: number | undefined;
  readonly lexical: number | undefined;
  readonly dense: number | undefined;
}

export interface SentenceVerifierOptions {
  readonly retriever: HybridRetriever;
  /** The engine's query embedder (unit vectors). */
  readonly embedQuery: (text: string) => Promise<readonly number[]>;
  /** The paragraphs the model was shown; the only ones a marker may cite. */
  readonly paragraphs: readonly Paragraph[];
  readonly thresholds?: Partial<SupportThresholds>;
}

export type SentenceVerifier = (sentence: string) => Promise<VerifiedSentence>;

/** "The article doesn't say ..." and the like: a sentence that claims nothing about the world. */
const NO_CLAIM =
  /^(?:the|this) (?:article|story|report)(?: itself)? (?:doesn't|does not|didn't|did not|doesn’t|didn’t) (?:say|mention|state|specify|report|describe|explain|answer|give|name|include)\b[^;]*$/iu;
const CONTRAST = /\b(?:but|however|although|though|yet)\b/iu;

/** Reporting verbs and words about the article itself, which no paragraph needs to contain. */
const ATTRIBUTION = new Set(
  ['report', 'reports', 'reported', 'describe', 'describes', 'described', 'note', 'notes', 'noted', 'mention',
    'mentions', 'mentioned', 'state', 'states', 'stated', 'explain', 'explains', 'explained', 'add', 'adds', 'added',
    'paragraph', 'paragraphs', 'npr', 'interview', 'interviewed', 'write', 'writes', 'wrote'].map(stem),
);

/** Index terms; `tokenize` already joins irregular verb forms ("fought" -> "fight"). */
function termsOf(text: string): string[] {
  return tokenize(text);
}

const NUMBER_WORDS: Record<string, string> = {
  two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10', eleven: '11',
  twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16', seventeen: '17', eighteen: '18',
  nineteen: '19', twenty: '20', thirty: '30', forty: '40', fifty: '50', sixty: '60', seventy: '70', eighty: '80',
  ninety: '90',
};

export function createSentenceVerifier(options: SentenceVerifierOptions): SentenceVerifier {
  const thresholds = { ...DEFAULT_SUPPORT_THRESHOLDS, ...options.thresholds };
  const { retriever } = options;
  const byNumber = new Map(options.paragraphs.map((p) => [p.number, p] as const));
  const evidence = new Map<number, Evidence>();
  const evidenceOf = (paragraph: Paragraph): Evidence => {
    let found = evidence.get(paragraph.number);
    if (found === undefined) evidence.set(paragraph.number, (found = readEvidence(paragraph, retriever)));
    return found;
  };
  const idf = (term: string): number => {
    const value = retriever.bm25.idf(term);
    return value > 0 ? value : retriever.bm25.maxIdf;
  };
  const coverage = (terms: readonly string[], against: readonly string[]): number => {
    let total = 0;
    let hit = 0;
    for (const term of terms) {
      const weight = idf(term);
      total += weight;
      if (against.some((other) => termsMatch(term, other))) hit += weight;
    }
    return total === 0 ? 0 : hit / total;
  };
  const w = thresholds.lexicalWeight;

  return async (sentence: string): Promise<VerifiedSentence> => {
    const notes: string[] = [];
    const { body, numbers } = extractMarkers(sentence);
    const excerpt = shorten(body);
    const removed = (note: string): VerifiedSentence => ({
      kind: 'removed',
      text: '',
      citations: [],
      notes: [...notes, note],
      support: undefined,
      lexical: undefined,
      dense: undefined,
    });
    if (!/[\p{L}\p{N}]/u.test(body)) {
      return numbers.length === 0 ? removed(`Removed "${excerpt}": no text.`) : removed(`Dropped ${markers(numbers)}: it followed no sentence.`);
    }
    const cited: Paragraph[] = [];
    for (const n of numbers) {
      const paragraph = byNumber.get(n);
      if (paragraph === undefined) notes.push(`Dropped [¶${n}]: ¶${n} was not among the paragraphs the model was given.`);
      else cited.push(paragraph);
    }
    if (cited.length === 0) {
      if (numbers.length === 0 && NO_CLAIM.test(body) && !CONTRAST.test(body)) {
        return { kind: 'no-claim', text: body, citations: [], notes, support: undefined, lexical: undefined, dense: undefined };
      }
      return removed(
        numbers.length === 0
          ? `Removed an uncited sentence: "${excerpt}".`
          : `Removed "${excerpt}": it cited no paragraph the model was given.`,
      );
    }

    const quotes = correctQuotes(body, cited);
    notes.push(...quotes.notes);
    const text = quotes.sentence;
    const terms = [...new Set(termsOf(text))].filter((t) => !ATTRIBUTION.has(t));
    const vector = await options.embedQuery(text.replace(/["“”]/g, ''));
    const scored = cited.map((paragraph) => {
      const ev = evidenceOf(paragraph);
      const sentences = ev.sentences.map((s) => {
        const dense = retriever.sentenceSimilarity(vector, s.vectorIndex);
        const lexical = coverage(terms, s.terms);
        return { text: s.text, dense: s.vectorIndex < 0 ? 0 : dense, lexical };
      });
      const lexical = coverage(terms, ev.terms);
      const dense = Math.max(0, ...sentences.map((s) => s.dense));
      const best = sentences.reduce<(typeof sentences)[number] | undefined>(
        (top, s) => (top === undefined || w * s.lexical + (1 - w) * s.dense > w * top.lexical + (1 - w) * top.dense ? s : top),
        undefined,
      );
      return { paragraph, ev, lexical, dense, support: w * lexical + (1 - w) * dense, quote: best?.text };
    });

    let kept = scored;
    if (scored.length > 1) {
      kept = scored.filter((s) => s.support >= thresholds.minMarkerSupport);
      if (kept.length === 0) kept = [scored.reduce((a, b) => (b.support > a.support ? b : a))];
      for (const s of scored) {
        if (!kept.includes(s)) {
          notes.push(`Dropped [¶${s.paragraph.number}] from "${excerpt}": ¶${s.paragraph.number} does not support it (support ${s.support.toFixed(2)}).`);
        }
      }
    }
    const lexical = coverage(terms, kept.flatMap((s) => s.ev.terms));
    const dense = Math.max(...kept.map((s) => s.dense));
    const support = w * lexical + (1 - w) * dense;
    const keptNumbers = kept.map((s) => s.paragraph.number);
    const available = new Set(kept.flatMap((s) => s.ev.numbers));
    const foreign = numbersIn(text).filter((n) => !available.has(n));
    if (foreign.length > 0) {
      return {
        ...removed(`Removed "${excerpt}": ${foreign.join(', ')} does not appear in ${refs(keptNumbers)}.`),
        support,
        lexical,
        dense,
      };
    }
    if (support < thresholds.minSupport || kept.every((s) => s.quote === undefined)) {
      return {
        ...removed(`Removed "${excerpt}": ${refs(keptNumbers)} does not support it (support ${support.toFixed(2)}, needs ${thresholds.minSupport}).`),
        support,
        lexical,
        dense,
      };
    }
    return {
      kind: 'claim',
      text: placeMarkers(text, keptNumbers),
      citations: kept.map((s) => ({ paragraph: s.paragraph, quote: s.quote ?? s.paragraph.text, support: s.support })),
      notes,
      support,
      lexical,
      dense,
    };
  };
}

interface Evidence {
  /** Terms of the paragraph's admissible sentences, its section and the names a short quote refers back to. */
  readonly terms: readonly string[];
  readonly numbers: readonly string[];
  /** Admissible sentences: `vectorIndex` -1 when the paragraph is not indexed. */
  readonly sentences: ReadonlyArray<{ text: string; terms: readonly string[]; vectorIndex: number }>;
}

function readEvidence(paragraph: Paragraph, retriever: HybridRetriever): Evidence {
  const position = retriever.chunkPosition(paragraph.ref);
  const chunk = retriever.chunks[position];
  const base = position < 0 ? 0 : retriever.sentenceOffset(position);
  const all =
    chunk === undefined
      ? [{ text: paragraph.text, vectorIndex: -1 }]
      : chunk.sentences.map((s, i) => ({ text: s.text, vectorIndex: base + i }));
  const sentences = all
    .filter((s) => !addressesAssistant(s.text))
    .map((s) => ({ ...s, terms: termsOf(s.text) }));
  const context = chunk === undefined ? '' : chunk.searchText.replace(paragraph.text, ' ');
  const admissible = sentences.map((s) => s.text).join(' ');
  return {
    terms: termsOf(`${context} ${admissible}`),
    numbers: numbersIn(admissible),
    sentences,
  };
}

/** Numbers written in digits or as words from two up ("4,700" and "4700" are one number). */
export function numbersIn(text: string): string[] {
  const folded = foldText(text).replace(/(\d),(?=\d{3}\b)/g, '$1');
  const digits = folded.match(/\d+(?:\.\d+)?/g) ?? [];
  const words = (folded.match(/\b[a-z]+\b/g) ?? []).flatMap((w) => (NUMBER_WORDS[w] === undefined ? [] : [NUMBER_WORDS[w]]));
  return [...new Set([...digits, ...words])];
}

function markers(numbers: readonly number[]): string {
  return numbers.map((n) => `[¶${n}]`).join(' ');
}

function refs(numbers: readonly number[]): string {
  return numbers.map((n) => `¶${n}`).join(' and ');
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
