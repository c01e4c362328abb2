/**
 * The article model every other part of the product reads: what ingestion produces from a captured page.
 *
 * Numbering scheme: body paragraphs and photo captions share one sequence in reading order, `p1`..`pN`,
 * shown to readers as ¶1..¶N. The same captured file always yields the same numbers. A paragraph's
 * `ref` (`<slug>#p12`) is unique across the whole corpus, so an archive of many articles needs no redesign.
 */
export type ParagraphKind = 'paragraph' | 'caption';

export interface Paragraph {
  /** `p12`: the anchor id on the article page. */
  readonly id: string;
  /** 12: the number shown to readers as ¶12. */
  readonly number: number;
  /** The article's slug. */
  readonly article: string;
  /** `<slug>#p12`, unique across the corpus. */
  readonly ref: string;
  readonly kind: ParagraphKind;
  /** The section heading the paragraph sits under; undefined before the first heading. */
  readonly section: string | undefined;
  readonly text: string;
  /** Character offsets `[start, end)` of `text` in the source file (a doubled caption: its first copy). */
  readonly span: readonly [number, number];
  /** Photo credit for a caption ("Anton Shtuka for NPR"); never part of the citable text. */
  readonly credit?: string;
}

export interface Article {
  readonly slug: string;
  readonly headline: string;
  /** "SUMY, Ukraine", when the first body paragraph opens with a dateline. */
  readonly dateline: string | undefined;
  /**
   * When the article was published, for "newest first": the date printed on the captured page
   * (`2025-06-20`), else the corpus file's modification time (an ISO 8601 instant); see `publishedFrom`.
   * Undefined for an article parsed from memory without a file.
   */
  readonly published?: string;
  /** Where `published` came from: `page` (a date line on the captured page) or `file` (the file's mtime). */
  readonly publishedFrom?: 'page' | 'file';
  /** Authors named in the page's byline or author bios. */
  readonly authors: readonly string[];
  /** "X and Y contributed reporting ..." lines. */
  readonly credits: readonly string[];
  readonly sections: readonly string[];
  readonly paragraphs: readonly Paragraph[];
  /** The source file the article was read from. */
  readonly source: string;
  /** sha256 of the source file's bytes. */
  readonly sourceHash: string;
}

/** The article without its paragraphs, for listings. */
export interface ArticleSummary {
  readonly slug: string;
  readonly headline: string;
  readonly dateline: string | undefined;
  /** See `Article.published`; null when unknown. */
  readonly published: string | null;
  readonly publishedFrom: 'page' | 'file' | null;
  readonly authors: readonly string[];
  readonly paragraphCount: number;
}

export function summarizeArticle(article: Article): ArticleSummary {
  return {
    slug: article.slug,
    headline: article.headline,
    dateline: article.dateline,
    published: article.published ?? null,
    publishedFrom: article.publishedFrom ?? null,
    authors: article.authors,
    paragraphCount: article.paragraphs.length,
  };
}

/**
 * Articles newest first: by `published` (a page date counts as the start of its day), then by slug, so
 * the order never depends on how the directory happened to list the files. Undated articles come last.
 */
export function newestFirst(articles: readonly Article[]): Article[] {
  const time = (a: Article): number => (a.published === undefined ? Number.NEGATIVE_INFINITY : Date.parse(a.published));
  return [...articles].sort((a, b) => time(b) - time(a) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}
