/**
 * A child process that opens an engine the way `npm start` does (corpus -> index in DATA_DIR -> engine)
 * with the fast hashing embeddings, asks one question, and prints `{"origin":..,"answer":..}` as its last
 * stdout line; log lines go to stderr. Tests run it where the parent cannot be: on a read-only mount, or
 * as an unprivileged user.
 */
import { createEngine } from '../../src/chat/create-engine.js';
import { createConsoleLogger } from '../../src/logger.js';
import { HashingEmbeddings } from './hashing-embeddings.js';

const { CORPUS_DIR, DATA_DIR } = process.env;
if (CORPUS_DIR === undefined || DATA_DIR === undefined) throw new Error('CORPUS_DIR and DATA_DIR must be set');
const engine = await createEngine({
  corpusDir: CORPUS_DIR,
  dataDir: DATA_DIR,
  embeddings: new HashingEmbeddings(64),
  modelId: 'hashing-64',
  logger: createConsoleLogger(process.stderr),
});
const answer = await engine.ask('How many North Korean soldiers were killed?');
process.stdout.write(`${JSON.stringify({ citations: answer.citations.map((c) => c.id) })}\n`);
await engine.close();
