import { summarizeArticle, type Article } from '../../index/article.js';
import type { Logger } from '../../logger.js';
import type { Engine } from '../engine-types.js';
import type { HttpRoute } from './http-route.js';
import { allowReadOnly, requestPath, sendJson, sendJsonError } from './http-responses.js';
import { suggestStarterQuestions } from './suggest-starter-questions.js';

export interface ApiRoutesOptions {
  readonly getEngine: () => Engine | undefined;
  readonly maxQuestionChars: number;
  readonly logger: Logger;
}

/** Article data is public and read-only, so any page embedding the widget may fetch it. */
const API_HEADERS = { 'access-control-allow-origin': '*', 'cache-control': 'no-cache' };

const PARAGRAPHS_PATH = /^\/api\/articles\/([a-z0-9_-]{1,200})\/paragraphs$/;

/**
 * `GET /api/articles`: `{articles: [{slug, headline, dateline, published, publishedFrom, authors,
 * paragraphCount, url, sections, starterQuestions}], maxQuestionChars}`, in corpus order.
 * `GET /api/articles/:slug/paragraphs`: `{article: {slug, headline, ...}, paragraphs: [{id, number,
 * kind, section, text, credit?}]}`; 404 `ARTICLE_NOT_FOUND` for an unknown slug.
 * Both answer 503 `NOT_READY` while the index loads. Starter questions are computed once per article.
 */
export function createApiRoutes(options: ApiRoutesOptions): HttpRoute {
  const starters = new Map<string, Promise<string[]>>();

  function startersFor(engine: Engine, article: Article): Promise<string[]> {
    let cached = starters.get(article.slug);
    if (cached === undefined) {
      cached = suggestStarterQuestions(engine, article).catch((error: unknown) => {
        options.logger.warn('starter questions failed', {
          article: article.slug,
          reason: error instanceof Error ? error.message : String(error),
        });
        starters.delete(article.slug);
        return [];
      });
      starters.set(article.slug, cached);
    }
    return cached;
  }

  return async (req, res) => {
    const path = requestPath(req);
    if (path === undefined || (path !== '/api/articles' && !path.startsWith('/api/articles/'))) return false;
    if (!allowReadOnly(req, res)) return true;
    const engine = options.getEngine();
    if (engine === undefined) {
      sendJsonError(req, res, 503, 'NOT_READY', 'The article index is still loading; retry in a few seconds', {
        headers: { ...API_HEADERS, 'retry-after': '2' },
      });
      return true;
    }
    if (path === '/api/articles') {
      const articles = await Promise.all(
        engine.articles.map(async (article) => ({
          ...summarizeArticle(article),
          url: `/articles/${article.slug}`,
          sections: article.sections,
          starterQuestions: await startersFor(engine, article),
        })),
      );
      sendJson(req, res, 200, { articles, maxQuestionChars: options.maxQuestionChars }, { headers: API_HEADERS });
      return true;
    }
    const match = PARAGRAPHS_PATH.exec(path);
    const article = match === null ? undefined : engine.articles.find((a) => a.slug === match[1]);
    if (article === undefined) {
      sendJsonError(req, res, 404, 'ARTICLE_NOT_FOUND', `No article at ${path}; list them at /api/articles`, {
        headers: API_HEADERS,
      });
      return true;
    }
    sendJson(
      req,
      res,
      200,
      {
        article: summarizeArticle(article),
        paragraphs: article.paragraphs.map((p) => ({
          id: p.id,
          number: p.number,
          kind: p.kind,
          section: p.section ?? null,
          text: p.text,
          ...(p.credit === undefined ? {} : { credit: p.credit }),
        })),
      },
      { headers: API_HEADERS },
    );
    return true;
  };
}
