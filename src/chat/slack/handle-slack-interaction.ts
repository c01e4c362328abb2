import type { ServerResponse } from 'node:http';
import { SlackError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Engine } from '../engine-types.js';
import { checkFeedbackCase } from './check-feedback-case.js';
import type { FeedbackLog, FeedbackRecord } from './feedback-log.js';
import { buildWrongParagraphModal, feedbackThanksView, RIGHT_PARAGRAPH_BLOCK_ID } from './feedback-modal.js';
import type { FeedbackCase } from './feedback-value.js';
import { asSharedBy, formatSlackNotice } from './format-slack-answer.js';
import type { SlackFeedbackRequest, SlackFeedbackSubmission, SlackShareRequest } from './parse-slack-request.js';
import type { SharedAnswers } from './shared-answers.js';
import type { SlackWebApi } from './slack-web-api.js';

export interface InteractionContext {
  readonly engine: Engine;
  readonly web: SlackWebApi;
  readonly feedbackLog: FeedbackLog;
  readonly sharedAnswers: SharedAnswers;
  readonly logger: Logger;
  readonly now: () => number;
  /** Whether SLACK_BOT_TOKEN is set (the modal needs `views.open`). */
  readonly canCallApi: boolean;
  /** Runs a task after the response is sent; failures are logged. */
  readonly inBackground: (what: string, task: () => Promise<void>) => void;
  readonly sendJson: (res: ServerResponse, status: number, value: unknown) => void;
  readonly sendEmpty: (res: ServerResponse) => void;
}

const FEEDBACK_THANKS: Readonly<Record<SlackFeedbackRequest['feedback'], string>> = {
  helpful: 'Thanks! Recorded as helpful.',
  wrong_paragraph: 'Thanks! Recorded as "wrong paragraph cited"; the team will review it.',
  not_in_article: 'Thanks! Recorded as "not in the article"; the team will review it.',
};

/**
 * Refuses feedback whose values do not fit the corpus: logged with the reason (never the question), answered 400,
 * and never written to the feedback log, so `import-feedback` never sees it.
 */
function refuseIfInvalid(context: InteractionContext, feedbackCase: FeedbackCase, correct?: string): void {
  const problem = checkFeedbackCase(feedbackCase, context.engine.articles, correct);
  if (problem === undefined) return;
  context.logger.warn('slack feedback rejected', { reason: problem });
  throw new SlackError('SLACK_BAD_FEEDBACK', `Feedback refused: ${problem}`);
}

function record(request: { user: string; case: FeedbackCase; answerText: string | undefined }, kind: FeedbackRecord['kind'], now: number, correct?: string): FeedbackRecord {
  return {
    ts: new Date(now).toISOString(),
    user: request.user,
    kind,
    question: request.case.question,
    article: request.case.article,
    cited: request.case.cited,
    ...(correct === undefined ? {} : { expected: [correct] }),
    answer: { grounded: request.case.grounded, text: request.answerText ?? null },
  };
}

/**
 * A feedback button click. "Wrong paragraph cited" opens a modal asking which paragraph does answer (recorded when
 * submitted); when the modal cannot be opened (no bot token, Slack refuses), the click is recorded as it is. Other
 * clicks are appended to the feedback log before the acknowledgement (if the write fails, Slack shows the person an
 * error) and thanked privately.
 */
export async function handleFeedbackClick(context: InteractionContext, request: SlackFeedbackRequest, res: ServerResponse): Promise<void> {
  refuseIfInvalid(context, request.case);
  const article = context.engine.articles.find((a) => a.slug === request.case.article);
  const thank = (): void => {
    const responseUrl = request.responseUrl;
    if (responseUrl === undefined) return;
    context.inBackground('feedback thanks', () =>
      context.web.postToResponseUrl(responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        ...formatSlackNotice(FEEDBACK_THANKS[request.feedback]),
      }),
    );
  };
  if (request.feedback === 'wrong_paragraph' && request.triggerId !== undefined && context.canCallApi && article !== undefined) {
    const triggerId = request.triggerId;
    context.sendEmpty(res);
    context.inBackground('feedback modal', async () => {
      try {
        await context.web.openView(triggerId, buildWrongParagraphModal({ case: request.case, answerText: request.answerText }, article));
        context.logger.info('slack feedback modal opened', {});
      } catch (error) {
        context.logger.warn('slack feedback modal failed; recording the click without a paragraph', {
          reason: error instanceof Error ? error.message : String(error),
        });
        await context.feedbackLog.append(record(request, 'wrong_paragraph', context.now()));
        thank();
      }
    });
    return;
  }
  await context.feedbackLog.append(record(request, request.feedback, context.now()));
  context.logger.info('slack feedback recorded', { kind: request.feedback });
  context.sendEmpty(res);
  thank();
}

/**
 * The "Wrong paragraph" modal submitted: recorded with the picked paragraph (`expected`), or without one. A picked
 * number outside the article is shown as an error in the modal (and logged), not recorded.
 */
export async function handleFeedbackSubmission(context: InteractionContext, request: SlackFeedbackSubmission, res: ServerResponse): Promise<void> {
  refuseIfInvalid(context, request.context.case);
  if (request.correct !== undefined) {
    const problem = checkFeedbackCase(request.context.case, context.engine.articles, request.correct);
    if (problem !== undefined) {
      context.logger.warn('slack feedback rejected', { reason: problem });
      const article = context.engine.articles.find((a) => a.slug === request.context.case.article);
      context.sendJson(res, 200, {
        response_action: 'errors',
        errors: { [RIGHT_PARAGRAPH_BLOCK_ID]: `There is no such paragraph: pick a number from 1 to ${article?.paragraphs.length ?? 0}.` },
      });
      return;
    }
  }
  await context.feedbackLog.append(
    record({ user: request.user, case: request.context.case, answerText: request.context.answerText }, 'wrong_paragraph', context.now(), request.correct),
  );
  context.logger.info('slack feedback recorded', { kind: 'wrong_paragraph', correct: request.correct !== undefined });
  const thanks =
    request.correct === undefined
      ? 'Thanks! Recorded as "wrong paragraph cited"; the team will review it.'
      : `Thanks! Recorded: ¶${request.correct.slice(1)} answers it. The team will review it.`;
  context.sendJson(res, 200, { response_action: 'update', view: feedbackThanksView(thanks) });
}

/**
 * "Share with channel": posts the kept answer to the channel, as the asker saw it with a "Shared by" line, and
 * deletes the asker's private copy. An unknown or expired id gets a private notice.
 */
export function handleShare(context: InteractionContext, request: SlackShareRequest, res: ServerResponse): void {
  context.sendEmpty(res);
  const { responseUrl } = request;
  if (responseUrl === undefined) {
    context.logger.warn('slack share without a response_url', {});
    return;
  }
  const message = context.sharedAnswers.take(request.shareId, context.now());
  context.inBackground('share', async () => {
    if (message === undefined) {
      await context.web.postToResponseUrl(responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        ...formatSlackNotice('This answer can no longer be shared (answers are kept for 24 hours). Ask again to share it.'),
      });
      return;
    }
    await context.web.postToResponseUrl(responseUrl, { response_type: 'in_channel', ...asSharedBy(message, request.user) });
    await context.web.postToResponseUrl(responseUrl, { delete_original: true });
    context.logger.info('slack answer shared', {});
  });
}
