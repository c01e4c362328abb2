import { createFeedbackLog } from '../../src/chat/slack/feedback-log.js';

/**
 * A separate process appending to a feedback log, for the two-writer tests:
 * `tsx append-feedback-child.ts FILE COUNT ANSWER_CHARS TAG`. Prints "done" when every append resolved.
 */
const [file, count, chars, tag] = process.argv.slice(2);
const log = createFeedbackLog({ file: file! });
const text = `${tag} `.repeat(Math.ceil(Number(chars) / (tag!.length + 1))).slice(0, Number(chars));
await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    log.append({
      ts: new Date().toISOString(),
      user: `${tag}-${i}`,
      kind: 'helpful',
      question: `Question ${i} from ${tag}?`,
      article: 'a',
      cited: ['p1'],
      answer: { grounded: true, text },
    }),
  ),
);
process.stdout.write('done\n');
