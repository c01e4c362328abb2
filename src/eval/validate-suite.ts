import { EvalError } from '../errors.js';
import type { Article } from '../index/article.js';
import { containsPassage } from './match-text.js';
import type { Suite, SuiteCase } from './suite-types.js';

/**
 * The article a case is about: its own `article`, else the suite's, else the corpus's only article.
 * Returns undefined when that cannot be decided (several articles and none named); `validateSuite` reports it.
 */
export function resolveCaseArticle(suite: Suite, testCase: SuiteCase, articles: readonly Article[]): string | undefined {
  const named = testCase.article ?? suite.article;
  if (named !== undefined) return named;
  return articles.length === 1 ? articles[0]?.slug : undefined;
}

/**
 * Checks a parsed suite against the corpus before anything runs, so a typo cannot turn into a silently failing
 * or silently passing case: the article exists, every paragraph number exists in it, and every evidence passage
 * occurs in the article, inside one of the case's `paragraphs` when it lists any. Throws `EvalError`
 * `EVAL_SUITE_INVALID` with every problem as `file:line: ...`.
 */
export function validateSuite(suite: Suite, articles: readonly Article[]): void {
  const problems: string[] = [];
  const bySlug = new Map(articles.map((article) => [article.slug, article]));
  for (const testCase of suite.cases) {
    const at = `${suite.file}:${testCase.line}: case "${testCase.id}"`;
    const slug = resolveCaseArticle(suite, testCase, articles);
    if (slug === undefined) {
      problems.push(`${at} names no article and the corpus holds ${articles.length}: add "article" to the case or the header`);
      continue;
    }
    const article = bySlug.get(slug);
    if (article === undefined) {
      problems.push(`${at}: article "${slug}" is not in the corpus (${[...bySlug.keys()].join(', ') || 'empty'})`);
      continue;
    }
    testCase.turns.forEach((turn, index) => {
      const label = `${at} turn ${index + 1}`;
      for (const number of turn.expect.paragraphs) {
        if (!article.paragraphs.some((p) => p.number === number)) {
          problems.push(`${label}: ¶${number} does not exist (the article has ¶1..¶${article.paragraphs.length})`);
        }
      }
      for (const alternatives of turn.expect.evidence) {
        for (const passage of alternatives) {
          const holders = article.paragraphs.filter((p) => containsPassage(p.text, passage)).map((p) => p.number);
          if (holders.length === 0) {
            problems.push(`${label}: evidence "${passage}" is not in the article`);
          } else if (turn.expect.paragraphs.length > 0 && !holders.some((n) => turn.expect.paragraphs.includes(n))) {
            problems.push(
              `${label}: evidence "${passage}" is in ${holders.map((n) => `¶${n}`).join(', ')}, not in the expected ${turn.expect.paragraphs.map((n) => `¶${n}`).join(', ')}`,
            );
          }
        }
      }
    });
  }
  if (problems.length > 0) throw new EvalError('EVAL_SUITE_INVALID', problems.join('\n'));
}
