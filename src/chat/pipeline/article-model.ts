import type { Article, Paragraph } from '../../index/article.js';
import type { Chunk } from '../../index/chunk-paragraphs.js';
import type { Sentence } from '../../index/split-sentences.js';
import { tokenize } from '../../index/tokenize.js';
import type { Lexicon } from '../../nlp/lexicon.js';
import type { AnalyzedText, EntityKind, TextAnalyzer } from '../../nlp/text-analyzer.js';
import { addressesAssistant } from '../addresses-assistant.js';
import { Bm25Index } from '../bm25-index.js';
import { attributeSpeakers } from './attribute-speakers.js';
import { buildNameRegistry, type NameKind, type NameRegistry } from './name-registry.js';

/**
 * Everything the answering pipeline knows about one article, built once per article on its first question and
 * kept: each sentence parsed (tokens, lemmas, values, names, its speaker), the article's own BM25 statistics,
 * its vocabulary and its names. Nothing here depends on any other article of the corpus, which is what makes a
 * scoped question's answer the same whether the corpus holds one article or a thousand.
 */
export interface SentenceModel {
  /** Position in `ArticleModel.sentences`. */
  readonly id: number;
  readonly paragraph: Paragraph;
  /** Position of the paragraph in `ArticleModel.paragraphs`. */
  readonly paragraphIndex: number;
  /** Position in its paragraph. */
  readonly indexInParagraph: number;
  readonly sentence: Sentence;
  readonly analysis: AnalyzedText;
  /** BM25 terms (src/index/tokenize.ts). */
  readonly terms: readonly string[];
  readonly termSet: ReadonlySet<string>;
  /** Adjacent term pairs ("north korea"), for phrase matches. */
  readonly bigrams: ReadonlySet<string>;
  /** Words, punctuation left out. */
  readonly wordCount: number;
  readonly startsWithPronoun: boolean;
  /** Content lemmas (nouns, verbs, adjectives, adverbs, names, numbers), for meaning-level matches. */
  readonly lemmas: ReadonlySet<string>;
  readonly entityKinds: ReadonlySet<EntityKind>;
  /** Names of people / places in the sentence, as written. */
  readonly people: readonly string[];
  readonly places: readonly string[];
  /** The person the sentence's leading pronoun refers to ("She ..." after "Tessa Lindqvist ..."). */
  readonly referent: string | undefined;
  /** Whose words the sentence reports, when it is a quotation or an attributed statement. */
  readonly speaker: string | undefined;
  /** The sentence holds quotation marks. */
  readonly quoted: boolean;
  /** Text addressed to an AI assistant (a prompt injection): never a candidate answer. */
  readonly addressesAssistant: boolean;
  /** Offset of the sentence's unit vector in the corpus sentence vectors. */
  readonly vectorIndex: number;
}

export interface ParagraphModel {
  readonly paragraph: Paragraph;
  /** Ids of its sentences, in order. */
  readonly sentences: readonly number[];
  /** Position of its chunk in the corpus index. */
  readonly chunkPosition: number;
  /** BM25 terms of the paragraph's searchable text (with its section heading). */
  readonly terms: readonly string[];
  readonly termSet: ReadonlySet<string>;
  /** BM25 terms of its section heading alone. */
  readonly sectionTerms: readonly string[];
  readonly vector: Float32Array;
}

export interface ArticleModel {
  readonly article: Article;
  readonly sentences: readonly SentenceModel[];
  readonly paragraphs: readonly ParagraphModel[];
  /** BM25 over the article's paragraphs, with the article's own statistics. */
  readonly paragraphBm25: Bm25Index;
  /** BM25 over the article's sentences. */
  readonly sentenceBm25: Bm25Index;
  readonly names: NameRegistry;
  /** Every content lemma of the article, with its count. */
  readonly lemmaCounts: ReadonlyMap<string, number>;
  /** Every BM25 term of the article. */
  readonly termSet: ReadonlySet<string>;
  /** The article's BM25 terms by their first four letters (terms of three letters or fewer by themselves). */
  readonly termsByPrefix: ReadonlyMap<string, readonly string[]>;
  /** Lower-case word forms of the article with their counts, for spelling correction of questions. */
  readonly words: ReadonlyMap<string, number>;
  /** Id of the sentence that opens with the dateline ("SUMY, Ukraine — ..."), or -1. */
  readonly datelineSentence: number;
  readonly sentenceVectors: Float32Array;
  readonly dimensions: number;
  nameKind(name: string): NameKind;
}

export interface CorpusVectors {
  readonly dimensions: number;
  readonly sentenceVectors: Float32Array;
  sentenceOffset(chunkPosition: number): number;
  paragraphVector(chunkPosition: number): Float32Array;
}

const CONTENT_POS = new Set(['NOUN', 'PROPN', 'VERB', 'ADJ', 'ADV', 'NUM']);

export interface BuildArticleModelOptions {
  readonly article: Article;
  /** The article's chunks with their positions in the corpus index, in paragraph order. */
  readonly chunks: ReadonlyArray<{ readonly chunk: Chunk; readonly position: number }>;
  readonly vectors: CorpusVectors;
  readonly analyzer: TextAnalyzer;
  readonly lexicon: Lexicon;
}

export function buildArticleModel(options: BuildArticleModelOptions): ArticleModel {
  const { article, chunks, vectors, analyzer, lexicon } = options;
  const analyses: AnalyzedText[][] = chunks.map(({ chunk }) => chunk.sentences.map((s) => analyzer.analyze(s.text)));
  const names = buildNameRegistry(
    [analyzer.analyze(article.headline), ...analyses.flat()],
    lexicon,
  );
  const referents = new Map<string, string>();
  const speakers = attributeSpeakers({
    paragraphs: analyses,
    names,
    lexicon,
    onReferent: (paragraph, sentence, person) => referents.set(`${paragraph}:${sentence}`, person),
  });

  const sentences: SentenceModel[] = [];
  const paragraphs: ParagraphModel[] = [];
  const lemmaCounts = new Map<string, number>();
  const words = new Map<string, number>();
  chunks.forEach(({ chunk, position }, paragraphIndex) => {
    const ids: number[] = [];
    const offset = vectors.sentenceOffset(position);
    chunk.sentences.forEach((sentence, indexInParagraph) => {
      const analysis = analyses[paragraphIndex]![indexInParagraph]!;
      const lemmas = new Set<string>();
      for (const token of analysis.tokens) {
        const word = token.text.toLowerCase();
        words.set(word, (words.get(word) ?? 0) + 1);
        if (!CONTENT_POS.has(token.pos) || token.stop) continue;
        const lemma = token.pos === 'PROPN' ? token.text.toLowerCase().replace(/['’]s$/, '') : token.lemma;
        lemmas.add(lemma);
        lemmaCounts.set(lemma, (lemmaCounts.get(lemma) ?? 0) + 1);
      }
      const people: string[] = [];
      const places: string[] = [];
      for (const span of analysis.names) {
        const kind = names.kindOf(span.text);
        if (kind === 'person') people.push(span.text);
        else if (kind === 'place') places.push(span.text);
      }
      const id = sentences.length;
      ids.push(id);
      const referent = referents.get(`${paragraphIndex}:${indexInParagraph}`);
      // A pronoun's person counts as named in the sentence, for matching a question that names them.
      const terms = [...tokenize(sentence.text), ...(referent === undefined ? [] : tokenize(referent))];
      sentences.push({
        id,
        paragraph: chunk.paragraph,
        paragraphIndex,
        indexInParagraph,
        sentence,
        analysis,
        terms,
        termSet: new Set(terms),
        bigrams: new Set(terms.slice(1).map((t, i) => `${terms[i]} ${t}`)),
        wordCount: analysis.tokens.filter((t) => t.pos !== 'PUNCT').length,
        startsWithPronoun: analysis.tokens.find((t) => t.pos !== 'PUNCT')?.pos === 'PRON',
        lemmas,
        entityKinds: new Set(analysis.entities.map((e) => e.kind)),
        people,
        places,
        speaker: speakers[paragraphIndex]![indexInParagraph],
        referent,
        quoted: /["“”]/.test(sentence.text),
        addressesAssistant: addressesAssistant(sentence.text),
        vectorIndex: offset + indexInParagraph,
      });
    });
    const paragraphTerms = tokenize(chunk.searchText);
    paragraphs.push({
      paragraph: chunk.paragraph,
      sentences: ids,
      chunkPosition: position,
      terms: paragraphTerms,
      termSet: new Set(paragraphTerms),
      sectionTerms: tokenize(chunk.paragraph.section ?? ''),
      vector: vectors.paragraphVector(position),
    });
  });

  const dateline = article.dateline;
  const termSet = new Set(paragraphs.flatMap((p) => p.terms));
  const termsByPrefix = new Map<string, string[]>();
  for (const term of termSet) {
    const key = term.slice(0, 4);
    const list = termsByPrefix.get(key);
    if (list === undefined) termsByPrefix.set(key, [term]);
    else list.push(term);
  }
  return {
    article,
    sentences,
    paragraphs,
    paragraphBm25: new Bm25Index(chunks.map(({ chunk }) => chunk.searchText)),
    sentenceBm25: new Bm25Index(sentences.map((s) => s.sentence.text)),
    names,
    lemmaCounts,
    termSet,
    termsByPrefix,
    words,
    datelineSentence: dateline === undefined ? -1 : (sentences.find((x) => x.sentence.text.startsWith(dateline))?.id ?? -1),
    sentenceVectors: vectors.sentenceVectors,
    dimensions: vectors.dimensions,
    nameKind: (name) => names.kindOf(name),
  };
}

/** Cosine of a unit query vector and a stored unit sentence vector. */
export function sentenceCosine(model: ArticleModel, vector: Float64Array, sentence: SentenceModel): number {
  return dotAt(vector, model.sentenceVectors, sentence.vectorIndex * model.dimensions, model.dimensions);
}

/** Cosine of a unit query vector and a unit paragraph vector. */
export function vectorCosine(vector: Float64Array, other: Float32Array): number {
  return dotAt(vector, other, 0, other.length);
}

/**
 * The dot product of `vector` and `length` values of `store` from `base`: the loop that runs about 200 times a
 * question. Typed parameters keep it monomorphic, and four running sums let the CPU overlap the additions
 * (three times faster than one sum; the result differs from a single running sum only in the last bits).
 */
function dotAt(vector: Float64Array, store: Float32Array, base: number, length: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    a += vector[i]! * store[base + i]!;
    b += vector[i + 1]! * store[base + i + 1]!;
    c += vector[i + 2]! * store[base + i + 2]!;
    d += vector[i + 3]! * store[base + i + 3]!;
  }
  for (; i < length; i += 1) a += vector[i]! * store[base + i]!;
  return a + b + c + d;
}
