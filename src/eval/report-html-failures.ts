import { escapeHtml } from '../escape-html.js';
import { FAILURE_KINDS, FAILURE_LABELS, classifyFailure, type FailureKind, type FailureSummary } from './classify-failure.js';
import { describeExpectation } from './format-suite-text.js';
import type { EvalReport } from './report-json.js';
import type { CaseResult, SuiteResult, TurnResult } from './result-types.js';

/**
 * The failure parts of the HTML report: the summary by kind and by article, the filters, and the failing turns with
 * the expected paragraph beside what was cited.
 *
 * Filtering needs no script: each filter is a group of radio buttons, and a CSS rule per value hides the failing
 * turns that do not match (`body:has(#f-kind-wrong_paragraph:checked) .ft:not(.k-wrong_paragraph) {display: none}`).
 * The three groups combine. A CSS counter over the turns still displayed says how many are shown. Browsers without
 * `:has()` show every turn. Classes name values by index (`a-0`, `t-3`), so no suite text reaches the CSS.
 */

/** Index classes for the articles and tags of a report, in order of first appearance. */
export interface FilterValues {
  readonly articles: readonly string[];
  readonly tags: readonly string[];
}

export const ANY_ARTICLE = '(any)';

export function collectFilterValues(report: EvalReport): FilterValues {
  const articles: string[] = [];
  const tags: string[] = [];
  for (const suite of report.suites) {
    for (const c of suite.cases) {
      const article = c.article ?? ANY_ARTICLE;
      if (!articles.includes(article)) articles.push(article);
      for (const tag of c.tags ?? []) if (!tags.includes(tag)) tags.push(tag);
    }
  }
  return { articles, tags };
}

/** `${base}/articles/<slug>#pN`: the article page's anchor for a paragraph (base '' gives a site-relative link). */
export function articleLink(base: string, slug: string, paragraph: number): string {
  return `${base.replace(/\/+$/, '')}/articles/${encodeURIComponent(slug)}#p${paragraph}`;
}

export const FAILURE_CSS = `
.summary table td.num label, .summary table td.num a { cursor: pointer; text-decoration: underline dotted; }
.filters { position: sticky; top: 0; background: #fff; border: 1px solid #ccc; border-radius: 4px; padding: 0.4rem 0.8rem; margin: 1rem 0; z-index: 1; }
.filters fieldset { border: 0; margin: 0.2rem 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; align-items: baseline; }
.filters legend { float: left; font-weight: 600; min-width: 4.5rem; padding: 0; }
.filters label { white-space: nowrap; }
.ft { border: 1px solid #ddd; border-left: 4px solid #a4161a; border-radius: 4px; padding: 0.6rem 0.9rem; margin: 0.8rem 0; }
.ft .meta { color: #595959; font-size: 0.9em; }
.kind { display: inline-block; border-radius: 3px; padding: 0 0.4rem; font-size: 0.85em; font-weight: 600; background: #f4e1e1; color: #7a1016; }
.tag { display: inline-block; border: 1px solid #bbb; border-radius: 3px; padding: 0 0.3rem; font-size: 0.8em; margin-left: 0.2rem; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin: 0.5rem 0; }
.sides > div { background: #f7f7f7; border-radius: 4px; padding: 0.4rem 0.7rem; }
.sides h4 { margin: 0 0 0.3rem; font-size: 0.95em; }
.sides p { margin: 0.3rem 0; }
mark { background: #fff0a8; }
@media (max-width: 760px) { .sides { grid-template-columns: 1fr; } }
body { counter-reset: shown; }
.ft { counter-increment: shown; }
#shown { position: fixed; right: 1rem; bottom: 1rem; background: #1d1d1f; color: #fff; border-radius: 4px; padding: 0.3rem 0.7rem; font-size: 0.9em; }
#shown::before { content: counter(shown); font-weight: 700; }
`;

/** The CSS rules that make the radio filters work (one per value, so it is generated with the page). */
export function filterCss(values: FilterValues): string {
  const rules = [
    ...FAILURE_KINDS.map((kind) => `body:has(#f-kind-${kind}:checked) .ft:not(.k-${kind}) { display: none; }`),
    ...values.articles.map((_, i) => `body:has(#f-article-${i}:checked) .ft:not(.a-${i}) { display: none; }`),
    ...values.tags.map((_, i) => `body:has(#f-tag-${i}:checked) .ft:not(.t-${i}) { display: none; }`),
  ];
  return rules.join('\n');
}

function count(n: number, of: number): string {
  return of === 0 ? '0' : `${n} <span class="muted">(${Math.round((100 * n) / of)}%)</span>`;
}

/** Failures by kind and by article; every count is a label for its filter, so a click narrows the list. */
export function renderFailureSummary(summary: FailureSummary, values: FilterValues): string {
  const kinds = FAILURE_KINDS.filter((kind) => summary.byKind[kind] > 0 || FAILURE_KINDS.indexOf(kind) < 5);
  const kindRows = kinds
    .map(
      (kind) =>
        `<tr><th scope="row">${escapeHtml(FAILURE_LABELS[kind])}</th><td class="num">${
          summary.byKind[kind] === 0 ? '0' : `<label for="f-kind-${kind}">${count(summary.byKind[kind], summary.failing)}</label>`
        }</td></tr>`,
    )
    .join('\n');
  const articleRows = summary.byArticle
    .map((row) => {
      const i = values.articles.indexOf(row.article);
      const cells = kinds.map((kind) => `<td class="num">${row.byKind[kind] === 0 ? '·' : row.byKind[kind]}</td>`).join('');
      return `<tr><th scope="row"><label for="f-article-${i}">${escapeHtml(row.article)}</label></th><td class="num">${row.turns}</td><td class="num"><label for="f-article-${i}">${count(row.failing, row.turns)}</label></td>${cells}</tr>`;
    })
    .join('\n');
  return `<section class="summary" aria-labelledby="summary-title">
<h2 id="summary-title">Failures: ${summary.failing} of ${summary.turns} turns</h2>
<table><caption class="muted">By kind (share of failing turns)</caption><thead><tr><th>kind</th><th>failing turns</th></tr></thead><tbody>
${kindRows}
</tbody></table>
<table><caption class="muted">By article</caption><thead><tr><th>article</th><th>turns</th><th>failing</th>${kinds.map((k) => `<th>${escapeHtml(FAILURE_LABELS[k])}</th>`).join('')}</tr></thead><tbody>
${articleRows}
</tbody></table>
</section>`;
}

function radio(group: string, id: string, label: string, checked = false): string {
  return `<label><input type="radio" name="f-${group}" id="f-${group}-${id}"${checked ? ' checked' : ''}> ${label}</label>`;
}

/** The filter bar: kind, article and tag, each "all" by default. */
export function renderFilters(summary: FailureSummary, values: FilterValues, tagCounts: ReadonlyMap<string, number>): string {
  const kinds = FAILURE_KINDS.filter((kind) => summary.byKind[kind] > 0)
    .map((kind) => radio('kind', kind, `${escapeHtml(FAILURE_LABELS[kind])} (${summary.byKind[kind]})`))
    .join('');
  const articles = values.articles
    .map((article, i) => {
      const failing = summary.byArticle.find((row) => row.article === article)?.failing ?? 0;
      return radio('article', String(i), `${escapeHtml(article)} (${failing})`);
    })
    .join('');
  const tags = values.tags.map((tag, i) => radio('tag', String(i), `${escapeHtml(tag)} (${tagCounts.get(tag) ?? 0})`)).join('');
  return `<form class="filters" aria-label="Filter the failing turns">
<fieldset><legend>Kind</legend>${radio('kind', 'all', 'all', true)}${kinds}</fieldset>
<fieldset><legend>Article</legend>${radio('article', 'all', 'all', true)}${articles}</fieldset>
${values.tags.length === 0 ? '' : `<fieldset><legend>Tag</legend>${radio('tag', 'all', 'all', true)}${tags}</fieldset>`}
</form>`;
}

/** Failing turns per tag (a case's turns count under each of its tags). */
export function countFailingByTag(report: EvalReport): Map<string, number> {
  const counts = new Map<string, number>();
  for (const suite of report.suites) {
    for (const c of suite.cases) {
      const failing = c.turns.filter((t) => !t.score.passed).length;
      for (const tag of c.tags ?? []) counts.set(tag, (counts.get(tag) ?? 0) + failing);
    }
  }
  return counts;
}

/** Escapes `text`, marking the first occurrence of `passage` (case-insensitive) with `<mark>`. */
function marked(text: string, passage: string | undefined): string {
  const at = passage === undefined || passage === '' ? -1 : text.toLowerCase().indexOf(passage.toLowerCase());
  if (at < 0) return escapeHtml(text);
  const end = at + (passage?.length ?? 0);
  return `${escapeHtml(text.slice(0, at))}<mark>${escapeHtml(text.slice(at, end))}</mark>${escapeHtml(text.slice(end))}`;
}

function expectedSide(turn: TurnResult, article: string | undefined, base: string): string {
  if (turn.expect.unanswerable) return '<p>A refusal with no citations: the article does not answer.</p>';
  const passages = turn.expect.evidence.flat();
  const known = turn.expected ?? [];
  const shown = known.map((p) => {
    const passage = passages.find((e) => p.text.toLowerCase().includes(e.toLowerCase()));
    return `<p><a href="${escapeHtml(articleLink(base, p.article, p.paragraph))}">¶${p.paragraph}</a> ${marked(p.text, passage)}</p>`;
  });
  const missing = turn.expect.paragraphs.filter((n) => !known.some((p) => p.paragraph === n));
  if (missing.length > 0) {
    const links = missing.map((n) => (article === undefined ? `¶${n}` : `<a href="${escapeHtml(articleLink(base, article, n))}">¶${n}</a>`));
    shown.push(`<p class="muted">${links.join(' or ')} (text not in this report)</p>`);
  }
  if (turn.expect.paragraphs.length === 0 && passages.length > 0) {
    shown.push(`<p class="muted">Any paragraph holding: ${passages.map((p) => `“${escapeHtml(p)}”`).join(' or ')}</p>`);
  }
  return shown.join('');
}

function citedSide(turn: TurnResult, base: string): string {
  if (turn.answer === null) return `<p><strong>Error:</strong> ${escapeHtml(turn.error ?? '')}</p>`;
  if (turn.answer.citations.length === 0) {
    return `<p>${turn.answer.grounded ? 'Nothing cited.' : 'Refused.'} <span class="muted">${escapeHtml(turn.answer.answer)}</span></p>`;
  }
  return turn.answer.citations
    .map((c, i) => {
      const ok = turn.score.citationCorrect[i] === true;
      return `<p><a href="${escapeHtml(articleLink(base, c.article, c.paragraph))}">¶${c.paragraph}</a> <span class="${ok ? 'right' : 'wrong'}">${ok ? 'correct' : 'wrong'}</span> ${marked(c.text, c.quote)}</p>`;
    })
    .join('');
}

/** One failing turn: what it is, its kind, and the expected paragraph beside what was cited (quote and evidence marked). */
export function renderFailingTurn(suite: SuiteResult, c: CaseResult, index: number, values: FilterValues, base: string): string {
  const turn = c.turns[index]!;
  const kind = classifyFailure(turn) as FailureKind;
  const article = c.article ?? ANY_ARTICLE;
  const classes = ['ft', `k-${kind}`, `a-${values.articles.indexOf(article)}`, ...(c.tags ?? []).map((t) => `t-${values.tags.indexOf(t)}`)];
  const tags = (c.tags ?? []).map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join('');
  const retrieval =
    turn.retrieval === null
      ? ''
      : `<p class="muted">Retrieval: expected paragraph ${turn.retrieval.rank === null ? 'not in the top 20' : `at rank ${turn.retrieval.rank}`}; top 5 ${escapeHtml(turn.retrieval.top.map((n) => `¶${n}`).join(' '))}; query “${escapeHtml(turn.retrieval.query)}”</p>`;
  return `<div class="${classes.join(' ')}">
<p><span class="kind">${escapeHtml(FAILURE_LABELS[kind])}</span> <strong>${escapeHtml(`${c.id} turn ${index + 1}`)}</strong>${tags} <span class="meta">${escapeHtml(`${suite.file}:${c.line}`)} · ${escapeHtml(article)}</span></p>
<p>Question: ${escapeHtml(turn.question)}<br><span class="muted">Expected: ${escapeHtml(describeExpectation(turn))}</span></p>
${turn.answer === null ? '' : `<p><strong>Answer</strong> (grounded: ${turn.answer.grounded}): ${escapeHtml(turn.answer.answer)}</p>`}
<div class="sides"><div><h4>Expected</h4>${expectedSide(turn, c.article, base)}</div><div><h4>Cited</h4>${citedSide(turn, base)}</div></div>
${retrieval}
<ul class="problems">${turn.score.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>
</div>`;
}
