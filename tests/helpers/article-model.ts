import path from 'node:path';
import { buildArticleModel, type ArticleModel } from '../../src/chat/pipeline/article-model.js';
import type { Article } from '../../src/index/article.js';
import { chunkArticle } from '../../src/index/chunk-paragraphs.js';
import { parseCapturedPage } from '../../src/index/parse-captured-page.js';
import type { Lexicon } from '../../src/nlp/lexicon.js';
import type { TextAnalyzer } from '../../src/nlp/text-analyzer.js';

/**
 * The answering pipeline's model of a captured page, without embeddings (every vector is one zero): names,
 * speakers, values and composition do not need them.
 */
export function articleModelOf(page: string, tools: { analyzer: TextAnalyzer; lexicon: Lexicon }, slug = 'test-story'): ArticleModel {
  const article = articleOf(page, slug);
  const chunks = chunkArticle(article).map((chunk, position) => ({ chunk, position }));
  const sentences = chunks.reduce((n, c) => n + c.chunk.sentences.length, 0);
  return buildArticleModel({
    article,
    chunks,
    ...tools,
    vectors: { dimensions: 1, sentenceVectors: new Float32Array(sentences), sentenceOffset: () => 0, paragraphVector: () => new Float32Array(1) },
  });
}

/** An article as the corpus loader would make it from a captured page (no file is read). */
export function articleOf(page: string, slug: string): Article {
  const parsed = parseCapturedPage(page, slug);
  return {
    slug,
    headline: parsed.headline ?? 'Headline',
    dateline: parsed.dateline,
    authors: parsed.authors,
    credits: parsed.credits,
    sections: parsed.sections,
    paragraphs: parsed.paragraphs,
    source: path.join('/tmp', `${slug}.txt`),
    sourceHash: slug,
  };
}
