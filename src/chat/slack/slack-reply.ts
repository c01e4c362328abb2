import type { ConversationTurn } from '../answer-types.js';
import type { SlackMessage } from './format-slack-answer.js';

/**
 * What the bot has to say, before it is known where it goes. The command and the thread deliver it each their own way:
 * - `answer`: a cited answer (a slash command shows it to the asker with "Share with channel"; a thread gets it);
 * - `refusal`: "the article doesn't say", to the asker only;
 * - `notice`: help, usage, errors, to the asker only;
 * - `announcement`: a change everyone in the channel should see (a pin).
 */
export interface SlackReply {
  readonly kind: 'answer' | 'refusal' | 'notice' | 'announcement';
  readonly message: SlackMessage;
  /** For answers and refusals: the turn to remember in a thread, with the articles it was asked about. */
  readonly turn?: ConversationTurn;
  readonly articles?: readonly string[] | undefined;
}
