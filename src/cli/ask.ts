import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Answer, ConversationTurn } from '../chat/answer-types.js';
import { createEngineFromConfig } from '../chat/create-engine-from-config.js';
import type { Engine } from '../chat/engine-types.js';
import { loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { createConsoleLogger, silentLogger } from '../logger.js';

const USAGE = `usage: npm run ask -- [--json] [--article SLUG] [--retriever hybrid|dense|bm25] ["question"]
  With a question: prints the cited answer and exits. Without one: an interactive conversation.`;

/**
 * `npm run ask -- "question"`: answers from the corpus on the embedded default (no network, no key).
 * `--json` prints the answer object. Without a question, opens a conversation in the terminal where
 * follow-ups are resolved against earlier turns; `/reset` starts over, an empty line or Ctrl-D quits.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      article: { type: 'string' },
      retriever: { type: 'string', default: 'hybrid' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const retriever = values.retriever;
  if (retriever !== 'hybrid' && retriever !== 'dense' && retriever !== 'bm25') {
    process.stderr.write(`ask: --retriever must be hybrid, dense or bm25, got "${retriever}"\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const engine = await createEngineFromConfig(config, {
    logger: values.verbose ? createConsoleLogger() : silentLogger,
  });
  const options = { retriever, ...(values.article === undefined ? {} : { article: values.article }) } as const;
  try {
    if (positionals.length > 0) {
      const answer = await engine.ask(positionals.join(' '), options);
      process.stdout.write(values.json ? `${JSON.stringify(answer, null, 2)}\n` : formatAnswer(answer));
      return 0;
    }
    await converse(engine, options);
    return 0;
  } finally {
    await engine.close();
  }
}

async function converse(engine: Engine, options: { retriever: 'hybrid' | 'dense' | 'bm25'; article?: string }): Promise<void> {
  const article = engine.article(options.article);
  process.stdout.write(`Ask about "${article?.headline ?? 'the corpus'}". /reset starts over; an empty line quits.\n`);
  const rl = createInterface({ input: process.stdin, terminal: false });
  const prompt = (): void => {
    if (process.stdin.isTTY) process.stdout.write('> ');
  };
  const history: ConversationTurn[] = [];
  prompt();
  // Async iteration queues piped lines while an answer is being computed; none is lost.
  for await (const line of rl) {
    const question = line.trim();
    if (question === '') break;
    if (question === '/reset') {
      history.length = 0;
      process.stdout.write('(conversation reset)\n');
    } else {
      try {
        const answer = await engine.ask(question, { ...options, history });
        history.push({ question, answer });
        if (history.length > 6) history.shift();
        process.stdout.write(formatAnswer(answer));
      } catch (error) {
        process.stdout.write(`${describeError(error)}\n`);
      }
    }
    prompt();
  }
  rl.close();
}

function formatAnswer(answer: Answer): string {
  const lines = [answer.answer, ''];
  if (answer.citations.length > 0) {
    lines.push('Sources:');
    for (const c of answer.citations) lines.push(`  [¶${c.paragraph}] ${c.article}#${c.id}: "${c.quote}"`);
  } else if (answer.related.length > 0) {
    lines.push('Nearest paragraphs (not sources):');
    for (const r of answer.related) lines.push(`  ¶${r.paragraph}: ${r.text.slice(0, 100)}${r.text.length > 100 ? '…' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeError(error: unknown): string {
  return isAppError(error) ? `error ${error.code}: ${error.message}` : `error: ${String(error)}`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ask: ${describeError(error)}\n`);
    process.exitCode = 1;
  },
);
