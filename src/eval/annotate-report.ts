import type { Article } from '../index/article.js';
import type { EvalReport } from './report-json.js';
import type { CaseResult, ExpectedParagraph, TurnResult } from './result-types.js';
import type { Suite } from './suite-types.js';

export interface AnnotateReportOptions {
  /** The suites the report was run from (matched by suite name and case id): they give each case its tags. */
  readonly suites: readonly Suite[];
  /** The corpus: it gives each answerable turn the text of its expected paragraphs. */
  readonly articles: readonly Article[];
}

/**
 * Adds what the reports show but the runner does not keep: each case's `tags` and, on each answerable turn, the
 * `expected` paragraphs with their text (so the HTML report can show them beside what was cited, and a saved JSON
 * report still can). Adds fields only; a case or an article it cannot find is left as it is.
 */
export function annotateReport(report: EvalReport, options: AnnotateReportOptions): EvalReport {
  const suites = new Map(options.suites.map((s) => [s.name, s]));
  const articles = new Map(options.articles.map((a) => [a.slug, a]));
  return {
    ...report,
    suites: report.suites.map((suite) => {
      const cases = new Map((suites.get(suite.name)?.cases ?? []).map((c) => [c.id, c]));
      return {
        ...suite,
        cases: suite.cases.map((result): CaseResult => {
          const tags = cases.get(result.id)?.tags;
          const article = result.article === undefined ? undefined : articles.get(result.article);
          return {
            ...result,
            ...(tags === undefined ? {} : { tags: [...tags] }),
            turns: result.turns.map((turn): TurnResult => {
              if (turn.expect.unanswerable || article === undefined) return turn;
              const expected: ExpectedParagraph[] = turn.expect.paragraphs.flatMap((number) => {
                const paragraph = article.paragraphs.find((p) => p.number === number);
                return paragraph === undefined ? [] : [{ article: article.slug, paragraph: number, text: paragraph.text }];
              });
              return { ...turn, expected };
            }),
          };
        }),
      };
    }),
  };
}
