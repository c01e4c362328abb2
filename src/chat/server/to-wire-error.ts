import { FeedbackError, ProtocolError, QuestionError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ErrorMessage } from './ws-protocol.js';

/**
 * The one place where the chat server turns a thrown value into an `error` message.
 * `ProtocolError` (a refused frame) and `QuestionError` (a question the engine refuses) keep their own
 * code and message: they are meant for the reader. Anything else is a bug or an outage: it is logged
 * with its cause and stack, and the client gets a generic `INTERNAL` message that leaks nothing.
 * Question text is never logged.
 */
export function toWireError(
  error: unknown,
  context: { readonly id: string | null; readonly logger: Logger; readonly connection: number },
): ErrorMessage {
  if (error instanceof ProtocolError) {
    return { type: 'error', id: error.id ?? context.id, code: error.code, message: error.message };
  }
  if (error instanceof QuestionError) {
    return { type: 'error', id: context.id, code: error.code, message: error.message };
  }
  if (error instanceof FeedbackError) {
    // The reader's rating was not saved (disk full, lock held too long): logged here, apologised for there.
    context.logger.error('feedback not saved', { connection: context.connection, id: context.id ?? '-', code: error.code, reason: error.message });
    return { type: 'error', id: context.id, code: 'FEEDBACK_NOT_SAVED', message: 'Your feedback could not be saved; please try again later.' };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  context.logger.error('answer failed', {
    connection: context.connection,
    id: context.id ?? '-',
    error: err.name,
    reason: err.message,
    cause: err.cause instanceof Error ? err.cause.message : err.cause === undefined ? '-' : String(err.cause),
    stack: err.stack?.split('\n').slice(1, 4).join(' | ').trim() ?? '-',
  });
  return {
    type: 'error',
    id: context.id,
    code: 'INTERNAL',
    message: 'Something went wrong while answering; please ask again. The problem has been logged.',
  };
}
