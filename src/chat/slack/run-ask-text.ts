import { isAppError, QuestionError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Answer, ConversationTurn } from '../answer-types.js';
import type { Engine } from '../engine-types.js';
import { answerInScope } from './answer-in-scope.js';
import type { ChannelPins } from './channel-pins.js';
import { escapeMrkdwn, formatSlackAnswer, formatSlackNotice } from './format-slack-answer.js';
import { formatSlackHelp } from './format-slack-help.js';
import type { AskText } from './parse-ask-text.js';
import type { SlackReply } from './slack-reply.js';

/** A pin names at most this many articles: a set is answered article by article. */
export const MAX_PINNED_ARTICLES = 10;

export const GENERIC_FAILURE = 'Sorry, something went wrong while answering. Please try again in a minute.';

export interface RunAskTextOptions {
  readonly engine: Engine;
  readonly pins: ChannelPins;
  readonly command: string;
  readonly publicBaseUrl: string;
  readonly logger: Logger;
  readonly now: () => number;
  readonly channel: string;
  readonly user: string;
  /** Thread history and the articles the thread was about (mentions); none for slash commands. */
  readonly history?: readonly ConversationTurn[];
  readonly threadArticles?: readonly string[] | undefined;
  /** Repeat the question above the answer (slash commands: the reply stands alone). */
  readonly showQuestion: boolean;
}

/**
 * Carries out what the text asks (help, pin, unpin, summarize, a question) and says what to reply. Questions go to
 * the article the text names, else the thread's articles, else the channel's pin, else the whole corpus. Refusals
 * by the engine (`QuestionError`) become notices; unexpected failures are logged and become a generic notice.
 */
export async function runAskText(text: AskText, options: RunAskTextOptions): Promise<SlackReply> {
  const { engine, pins, channel } = options;
  const slugs = new Set(engine.articles.map((a) => a.slug));
  const pinned = (pins.get(channel)?.articles ?? []).filter((slug) => slugs.has(slug));
  const headlineOf = (slug: string): string | undefined => engine.articles.find((a) => a.slug === slug)?.headline;
  const named = (list: readonly string[]): string =>
    list.map((slug) => `*${escapeMrkdwn(headlineOf(slug) ?? slug)}* (\`${escapeMrkdwn(slug)}\`)`).join(', ');

  switch (text.kind) {
    case 'help':
      return {
        kind: 'notice',
        message: formatSlackHelp({ command: options.command, articles: engine.articles, pinned, ...(text.prefix === undefined ? {} : { prefix: text.prefix }) }),
      };
    case 'show_pin':
      return {
        kind: 'notice',
        message: formatSlackNotice(
          pinned.length === 0
            ? `This channel is not pinned: questions go to every article. Pin it with ${options.command} pin <slug>.`
            : `This channel is pinned to ${pinned.join(', ')}.`,
        ),
      };
    case 'pin': {
      if (text.articles.length > MAX_PINNED_ARTICLES) {
        return { kind: 'notice', message: formatSlackNotice(`A pin names at most ${MAX_PINNED_ARTICLES} articles; you named ${text.articles.length}.`) };
      }
      pins.set(channel, { articles: text.articles, pinnedBy: options.user, pinnedAt: options.now() });
      options.logger.info('slack channel pinned', { channel, articles: text.articles.length });
      return {
        kind: 'announcement',
        message: notice(`<@${escapeMrkdwn(options.user)}> pinned this channel to ${named(text.articles)}. Questions here that name no article go to ${text.articles.length === 1 ? 'it' : 'them'}; \`${escapeMrkdwn(options.command)} unpin\` removes the pin.`),
      };
    }
    case 'unpin': {
      if (!pins.clear(channel)) return { kind: 'notice', message: formatSlackNotice('This channel is not pinned.') };
      options.logger.info('slack channel unpinned', { channel });
      return { kind: 'announcement', message: notice(`<@${escapeMrkdwn(options.user)}> unpinned this channel: questions here go to every article again.`) };
    }
    case 'summarize': {
      // Which story: the one named, else the channel's or the thread's only article, else the corpus's only one.
      const only = (list: readonly string[] | undefined) => (list !== undefined && list.length === 1 ? list[0] : undefined);
      const article = text.article ?? only(options.threadArticles) ?? only(pinned) ?? only(engine.articles.map((a) => a.slug));
      if (article === undefined) {
        return {
          kind: 'notice',
          message: formatSlackHelp({
            command: options.command,
            articles: engine.articles,
            pinned,
            note: `Which story? Name it: ${options.command} summarize <slug>.`,
          }),
        };
      }
      const question = `Key points of "${headlineOf(article) ?? article}"`;
      return answerReply(options, question, [article], options.history ?? [], headlineOf, () => engine.summarize({ article }));
    }
    case 'question': {
      const articles = text.article !== undefined ? [text.article] : (options.threadArticles ?? (pinned.length > 0 ? pinned : undefined));
      const history = options.history ?? [];
      return answerReply(options, text.question, articles, history, headlineOf, () => answerInScope({ engine, question: text.question, history, articles }));
    }
  }
}

/** A notice whose text is already mrkdwn (mentions and code spans stay live). */
function notice(mrkdwn: string): SlackReply['message'] {
  return { text: mrkdwn, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } }] };
}

async function answerReply(
  options: RunAskTextOptions,
  question: string,
  articles: readonly string[] | undefined,
  history: readonly ConversationTurn[],
  headlineOf: (slug: string) => string | undefined,
  ask: () => Promise<Answer>,
): Promise<SlackReply> {
  const started = options.now();
  try {
    const answer = await ask();
    options.logger.info('slack answer', {
      ms: options.now() - started,
      grounded: answer.grounded,
      citations: answer.citations.length,
      scope: articles === undefined ? 'all' : articles.length,
    });
    const message = formatSlackAnswer({
      answer,
      question,
      article: articles?.[0] ?? options.engine.article()?.slug ?? '',
      publicBaseUrl: options.publicBaseUrl,
      showQuestion: options.showQuestion,
      headlineOf,
    });
    return { kind: answer.grounded ? 'answer' : 'refusal', message, turn: { question, answer }, articles };
  } catch (error) {
    if (error instanceof QuestionError) return { kind: 'notice', message: formatSlackNotice(error.message) };
    options.logger.error('slack answer failed', {
      code: isAppError(error) ? error.code : 'INTERNAL',
      reason: error instanceof Error ? error.message : String(error),
    });
    return { kind: 'notice', message: formatSlackNotice(GENERIC_FAILURE) };
  }
}
