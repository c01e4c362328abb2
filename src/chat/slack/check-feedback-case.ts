import type { Article } from '../../index/article.js';
import type { FeedbackCase } from './feedback-value.js';

/** A string for a log line: JSON-quoted and cut, so junk from a request cannot forge log fields. */
function shown(value: string): string {
  const quoted = JSON.stringify(value);
  return quoted.length > 80 ? `${quoted.slice(0, 79)}…"` : quoted;
}

/**
 * Why a feedback case decoded from a button, a modal or a paragraph pick does not fit the corpus, or undefined when
 * it does: the article must be one of `articles` (so `../../etc/passwd` is refused), every cited id and the
 * `correct` id must be a paragraph of it (`p9999` of a 68-paragraph article is refused), and the question must not
 * be empty. Signed requests are checked too: a signature proves the request came through Slack, not that the
 * values in it are ones this bot produced.
 */
export function checkFeedbackCase(
  feedbackCase: FeedbackCase,
  articles: readonly Article[],
  correct?: string,
): string | undefined {
  const article = articles.find((a) => a.slug === feedbackCase.article);
  if (article === undefined) return `unknown article ${shown(feedbackCase.article)}`;
  if (feedbackCase.question.trim() === '') return 'empty question';
  const ids = new Set(article.paragraphs.map((p) => p.id));
  const outside = [...feedbackCase.cited, ...(correct === undefined ? [] : [correct])].find((id) => !ids.has(id));
  if (outside !== undefined) return `${shown(outside)} is not a paragraph of ${article.slug} (it has ${article.paragraphs.length})`;
  return undefined;
}
