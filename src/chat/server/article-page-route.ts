import { newestFirst } from '../../index/article.js';
import type { Engine } from '../engine-types.js';
import type { HttpRoute } from './http-route.js';
import { allowReadOnly, requestPath, sendBody } from './http-responses.js';
import { renderArticleList } from './render-article-list.js';
import { renderArticlePage } from './render-article-page.js';

/**
 * Scripts only from this server (the widget), so an injected `<script>` or `onerror=` in article text
 * could not run even if escaping failed. `connect-src 'self'` covers the same-origin WebSocket.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ARTICLE_PATH = /^\/articles\/([a-z0-9_-]{1,200})\/?$/;

const LOADING_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="2">
<title>Loading…</title></head><body style="font:1.1rem system-ui,sans-serif;padding:2rem">
<p>The article index is loading; this page refreshes by itself.</p></body></html>
`;

export interface ArticlePageRouteOptions {
  readonly getEngine: () => Engine | undefined;
  /** DEFAULT_ARTICLE: the slug `/` leads to. */
  readonly defaultArticle?: string | undefined;
}

/**
 * `GET /articles/:slug`: the article page with the widget embedded; 404 for an unknown slug.
 * `GET /articles`: the list of articles, newest first, with headline, dateline and date.
 * `GET /`: a 302 redirect to `/articles/<DEFAULT_ARTICLE>` when that is set, or to the only article of a
 * one-article corpus; otherwise the list. It never picks whichever slug happens to sort first. Browsers keep
 * a URL's fragment across a redirect, so a link made when `/` showed one article (`/#p43`) still lands
 * on that paragraph, and the address bar then names the article.
 * All three answer 503 with a self-refreshing page while the index loads.
 */
export function createArticlePageRoute(options: ArticlePageRouteOptions): HttpRoute {
  return async (req, res) => {
    const path = requestPath(req);
    const match = path === undefined ? null : ARTICLE_PATH.exec(path);
    const isList = path === '/articles' || path === '/articles/';
    if (path !== '/' && !isList && match === null) return false;
    if (!allowReadOnly(req, res)) return true;
    const engine = options.getEngine();
    if (engine === undefined) {
      sendBody(req, res, 503, 'text/html; charset=utf-8', LOADING_PAGE, {
        headers: { 'retry-after': '2', 'cache-control': 'no-store' },
      });
      return true;
    }
    if (path === '/') {
      const target =
        engine.articles.find((a) => a.slug === options.defaultArticle)?.slug ??
        (engine.articles.length === 1 ? engine.articles[0]!.slug : undefined);
      if (target !== undefined) {
        const location = `/articles/${target}`;
        sendBody(req, res, 302, 'text/plain; charset=utf-8', `See ${location}\n`, {
          headers: { location, 'cache-control': 'no-cache' },
        });
        return true;
      }
    }
    if (match === null) {
      sendBody(req, res, 200, 'text/html; charset=utf-8', renderArticleList(engine.articles), {
        headers: { 'content-security-policy': PAGE_CSP, 'cache-control': 'no-cache' },
      });
      return true;
    }
    const article = engine.articles.find((a) => a.slug === match[1]);
    if (article === undefined) {
      sendBody(req, res, 404, 'text/plain; charset=utf-8', `No article at ${path}; the list is at /articles\n`);
      return true;
    }
    const html = renderArticlePage(article, {
      widgetSrc: '/widget.js',
      otherArticles: newestFirst(engine.articles)
        .filter((a) => a.slug !== article.slug)
        .map((a) => ({ slug: a.slug, headline: a.headline })),
    });
    sendBody(req, res, 200, 'text/html; charset=utf-8', html, {
      headers: { 'content-security-policy': PAGE_CSP, 'cache-control': 'no-cache' },
    });
    return true;
  };
}
