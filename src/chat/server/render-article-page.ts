import type { Article, Paragraph } from '../../index/article.js';
import { escapeHtml } from '../../escape-html.js';

export interface RenderArticlePageOptions {
  /** Where the page loads the widget from, e.g. `/widget.js`. */
  readonly widgetSrc: string;
  /** Other articles to link to (none: no list is shown). */
  readonly otherArticles?: readonly { readonly slug: string; readonly headline: string }[];
}

/**
 * The reader's article page: headline, byline, dateline, sections as `h2`, every paragraph and caption
 * with its anchor (`id="p12"`) and a visible ¶ number linking to `/articles/<slug>#p12`, credits, and the
 * chat widget's script tag.
 * All article text is HTML-escaped. The article element carries `data-article="<slug>"`, which the
 * widget uses to tell its own paragraphs from another page's `#p12`. Parts that are not citable text
 * (¶ numbers, photo credits) carry `data-cite-skip` so quote highlighting ignores them.
 */
export function renderArticlePage(article: Article, options: RenderArticlePageOptions): string {
  const body: string[] = [];
  let section: string | undefined;
  for (const paragraph of article.paragraphs) {
    if (paragraph.section !== undefined && paragraph.section !== section) {
      body.push(`<h2>${escapeHtml(paragraph.section)}</h2>`);
    }
    section = paragraph.section;
    body.push(renderParagraph(paragraph, article.slug));
  }
  const byline = article.authors.length > 0 ? `<p class="byline">By ${escapeHtml(joinNames(article.authors))}</p>` : '';
  const dateline = article.dateline === undefined ? '' : `<p class="dateline">${escapeHtml(article.dateline)}</p>`;
  const credits = article.credits.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  const others = (options.otherArticles ?? [])
    .map((a) => `<li><a href="/articles/${escapeHtml(a.slug)}">${escapeHtml(a.headline)}</a></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(article.headline)}</title>
<link rel="icon" href="data:,">
<style>${PAGE_CSS}</style>
</head>
<body>
<main>
<article class="story" data-article="${escapeHtml(article.slug)}">
<header>
<h1>${escapeHtml(article.headline)}</h1>
${byline}
${dateline}
<p class="hint">Questions about this story? Ask the assistant: its answers cite the numbered paragraphs (¶).</p>
</header>
${body.join('\n')}
${credits === '' ? '' : `<footer class="credits">\n${credits}\n</footer>`}
</article>
${others === '' ? '' : `<nav class="more" aria-label="More articles"><h2>More articles</h2><ul>${others}</ul><p><a href="/articles">All articles</a></p></nav>`}
</main>
<script src="${escapeHtml(options.widgetSrc)}" data-article="${escapeHtml(article.slug)}" defer></script>
</body>
</html>
`;
}

function renderParagraph(paragraph: Paragraph, slug: string): string {
  const id = escapeHtml(paragraph.id);
  // The link names the article, so a copied ¶ link keeps working however the page was reached.
  const number = `<a class="pnum" href="/articles/${escapeHtml(slug)}#${id}" data-cite-skip aria-label="Paragraph ${paragraph.number}">¶${paragraph.number}</a>`;
  if (paragraph.kind === 'caption') {
    const credit =
      paragraph.credit === undefined ? '' : ` <span class="credit" data-cite-skip>${escapeHtml(paragraph.credit)}</span>`;
    return `<figure class="photo" id="${id}"><figcaption><span class="photo-tag" data-cite-skip>Photo</span>${number}${escapeHtml(paragraph.text)}${credit}</figcaption></figure>`;
  }
  return `<p class="para" id="${id}">${number}${escapeHtml(paragraph.text)}</p>`;
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) as string}`;
}

const PAGE_CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #e3e3e3; --accent: #1a5fb4; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink); font: 1.125rem/1.7 Georgia, "Times New Roman", serif; }
main { max-width: 42rem; margin: 0 auto; padding: 2.5rem 1.25rem 7rem; }
h1 { font: 700 2.1rem/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; letter-spacing: -0.01em; margin: 0 0 1rem; }
h2 { font: 700 1.3rem/1.3 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2.5rem 0 1rem; }
.byline { font: 600 0.95rem/1.4 system-ui, sans-serif; margin: 0; }
.dateline { font: 0.85rem/1.4 system-ui, sans-serif; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 0.25rem 0 0; }
.hint { font: 0.9rem/1.5 system-ui, sans-serif; color: var(--muted); border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); padding: 0.6rem 0; margin: 1.5rem 0 2rem; }
.para { position: relative; margin: 0 0 1.25rem; scroll-margin-top: 30vh; }
.pnum { font: 600 0.75rem/1 system-ui, sans-serif; color: #5f6368; text-decoration: none; margin-right: 0.45rem; vertical-align: 0.15em; }
.pnum:hover, .pnum:focus-visible { color: var(--accent); text-decoration: underline; }
@media (min-width: 60rem) { .para > .pnum { position: absolute; left: -3.2rem; width: 2.6rem; text-align: right; top: 0.55em; margin: 0; } }
.photo { margin: 2rem 0; padding: 0.2rem 0 0.2rem 1rem; border-left: 3px solid #cfd5dd; scroll-margin-top: 30vh; }
.photo-tag { display: block; font: 700 0.7rem/1.6 system-ui, sans-serif; letter-spacing: 0.1em; text-transform: uppercase; color: #5f6368; }
figcaption { font: 0.95rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #3c4043; padding-top: 0.6rem; }
.credit { color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; }
.credits { font: italic 0.95rem/1.6 Georgia, serif; color: var(--muted); border-top: 1px solid var(--rule); margin-top: 2.5rem; padding-top: 1rem; }
.more { font: 1rem/1.5 system-ui, sans-serif; margin-top: 3rem; }
a { color: var(--accent); }
@media (max-width: 40rem) { body { font-size: 1.05rem; } main { padding-top: 1.5rem; } h1 { font-size: 1.65rem; } }
`;
