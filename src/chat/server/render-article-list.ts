import { newestFirst, type Article } from '../../index/article.js';
import { escapeHtml } from '../../escape-html.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The newsroom's front page (`GET /`, `GET /articles`): every article, newest first (see `newestFirst`),
 * each with its headline linked to `/articles/<slug>`, its dateline and its date. All text HTML-escaped.
 */
export function renderArticleList(articles: readonly Article[]): string {
  const items = newestFirst(articles)
    .map((article) => {
      const date =
        article.published === undefined
          ? ''
          : `<time datetime="${escapeHtml(article.published)}">${escapeHtml(formatDate(article.published))}</time>`;
      const dateline = article.dateline === undefined ? '' : `<span class="dateline">${escapeHtml(article.dateline)}</span>`;
      const meta = [dateline, date].filter(Boolean).join(' · ');
      return `<li><h2><a href="/articles/${escapeHtml(article.slug)}">${escapeHtml(article.headline)}</a></h2>${meta === '' ? '' : `<p class="meta">${meta}</p>`}</li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Articles</title>
<link rel="icon" href="data:,">
<style>${LIST_CSS}</style>
</head>
<body>
<main>
<h1>Articles</h1>
<p class="hint">Newest first. Each story has an assistant that answers questions from its numbered paragraphs (¶).</p>
<ol class="articles">
${items}
</ol>
</main>
</body>
</html>
`;
}

/** "2025-06-20" or an ISO instant -> "June 20, 2025" (the calendar day in UTC). */
function formatDate(iso: string): string {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
}

const LIST_CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #e3e3e3; --accent: #1a5fb4; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink); font: 1.05rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 42rem; margin: 0 auto; padding: 2.5rem 1.25rem 4rem; }
h1 { font-size: 2rem; margin: 0 0 0.5rem; }
.hint { color: var(--muted); margin: 0 0 2rem; }
.articles { list-style: none; margin: 0; padding: 0; }
.articles li { border-top: 1px solid var(--rule); padding: 1.1rem 0; }
.articles h2 { font: 700 1.3rem/1.3 Georgia, "Times New Roman", serif; margin: 0 0 0.35rem; }
.articles a { color: var(--ink); text-decoration: none; }
.articles a:hover, .articles a:focus-visible { color: var(--accent); text-decoration: underline; }
.meta { margin: 0; font-size: 0.85rem; color: var(--muted); }
.dateline { text-transform: uppercase; letter-spacing: 0.06em; }
`;
