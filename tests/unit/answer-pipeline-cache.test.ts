import { describe, expect, it } from 'vitest';
import { createAnswerPipeline } from '../../src/chat/pipeline/answer-pipeline.js';
import type { Article } from '../../src/index/article.js';
import { chunkArticle } from '../../src/index/chunk-paragraphs.js';
import { createLexicon } from '../../src/nlp/lexicon.js';
import { createTextAnalyzer } from '../../src/nlp/text-analyzer.js';
import { articleOf } from '../helpers/article-model.js';

const analyzer = createTextAnalyzer();
const lexicon = createLexicon();

function article(slug: string, town: string, person: string): Article {
  return articleOf(
    `${town} votes on a new bridge

${town.toUpperCase()}, Vt. — The town voted 5-2 on Monday to replace the river bridge, which has been closed since March.

"We waited long enough," said ${person}, the town manager. She said the work will cost $3 million.`,
    slug,
  );
}

function pipelineOf(articles: readonly Article[], maxArticleModels: number) {
  const chunks = articles.flatMap((a) => chunkArticle(a));
  const sentences = chunks.reduce((n, c) => n + c.sentences.length, 0);
  return createAnswerPipeline({
    articles,
    chunks,
    analyzer,
    lexicon,
    maxArticleModels,
    vectors: { dimensions: 1, sentenceVectors: new Float32Array(sentences), sentenceOffset: () => 0, paragraphVector: () => new Float32Array(1) },
  });
}

describe('the answer pipeline keeps a bounded number of article models', () => {
  const articles = [article('alder', 'Alder', 'Ann Ruiz'), article('birch', 'Birch', 'Bea Cole'), article('cedar', 'Cedar', 'Cy Dunn')];

  it('drops the least recently asked-about article first, and keeps the ones in use', () => {
    const pipeline = pipelineOf(articles, 2);
    const alder = pipeline.articleModel('alder');
    const birch = pipeline.articleModel('birch');
    expect(pipeline.articleModel('alder')).toBe(alder); // alder is now the most recent
    pipeline.articleModel('cedar'); // over the limit: birch goes, not alder
    expect(pipeline.articleModel('alder')).toBe(alder);
    expect(pipeline.articleModel('birch')).not.toBe(birch);
  });

  it('rebuilds a dropped article to the same model, so its answers do not depend on what else was asked', () => {
    const pipeline = pipelineOf(articles, 1);
    const first = pipeline.articleModel('alder');
    pipeline.articleModel('birch');
    const again = pipeline.articleModel('alder');
    expect(again).not.toBe(first);
    const view = (m: typeof first) => m.sentences.map((s) => [s.sentence.text, s.speaker, [...s.lemmas].sort(), [...s.entityKinds].sort()]);
    expect(view(again)).toEqual(view(first));
    expect(pipeline.analyze('How much will the bridge cost?', 'alder')).toEqual(pipelineOf(articles, 3).analyze('How much will the bridge cost?', 'alder'));
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => pipelineOf(articles, 0)).toThrow(/maxArticleModels must be a positive integer, got 0/);
    expect(() => pipelineOf(articles, 1.5)).toThrow(/maxArticleModels/);
  });
});
