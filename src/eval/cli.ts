import { runCli } from './run-cli.js';

/**
 * `npm run eval -- [options]`: runs the citation eval suites (see `USAGE` in run-cli.ts and docs/evals.md).
 * Exit 0: every suite met its thresholds; 1: one did not; 2: usage, suite or setup error.
 */
process.exitCode = await runCli({ argv: process.argv.slice(2) });
