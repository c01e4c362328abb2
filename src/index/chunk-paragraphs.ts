import type { Article, Paragraph } from './article.js';
import { splitSentences, type Sentence } from './split-sentences.js';

/** Recorded in the index manifest: bump it whenever chunk or sentence text changes. */
export const CHUNKING_VERSION = 'paragraph-v2';

/** A quote paragraph this short leans on its neighbours for meaning ("That," he says, "is a fact."). */
const SHORT_QUOTE_WORDS = 30;

/**
 * One chunk per paragraph: chunks never span paragraphs, so a citation always names exactly the
 * paragraph that holds the evidence.
 */
export interface Chunk {
  readonly paragraph: Paragraph;
  /** What the embedding model sees: the paragraph, or for a short quote its context plus the quote. */
  readonly embedText: string;
  /** What BM25 indexes: the paragraph, its section, and for a short quote the names it refers back to. */
  readonly searchText: string;
  readonly sentences: readonly Sentence[];
}

export function chunkArticle(article: Article): Chunk[] {
  return article.paragraphs.map((paragraph, i) => {
    const previous = article.paragraphs.slice(Math.max(0, i - 2), i).filter((p) => p.kind === 'paragraph');
    const leansOnContext = isShortQuote(paragraph.text);
    const context = leansOnContext ? previous.at(-1)?.text : undefined;
    const embedText =
      context === undefined
        ? paragraph.text
        : `${article.headline}. ${paragraph.section ?? ''}. ${context} ${paragraph.text}`;
    const referredNames = leansOnContext ? properNames(previous.map((p) => p.text).join(' ')) : [];
    const searchText = [paragraph.section ?? '', paragraph.text, ...referredNames].join(' ');
    return { paragraph, embedText, searchText, sentences: splitSentences(paragraph.text) };
  });
}

export function chunkCorpus(articles: readonly Article[]): Chunk[] {
  return articles.flatMap(chunkArticle);
}

/** A short paragraph that opens with a quotation mark. */
export function isShortQuote(text: string): boolean {
  return /^["“]/.test(text) && text.split(/\s+/).length <= SHORT_QUOTE_WORDS;
}

/** Capitalised words that do not open a sentence: the people and places a pronoun may point to. */
function properNames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<![.!?]["”]?\s|^)\b(\p{Lu}[\p{Ll}'’-]+)/gu)) names.add(match[1]!);
  return [...names];
}
