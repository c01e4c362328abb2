import { AppError } from '../../errors.js';

/**
 * The language model did not deliver: `LLM_TIMEOUT` (no complete answer within `LLM_TIMEOUT_MS`) or
 * `LLM_PROVIDER_ERROR` (the endpoint failed, refused or returned nothing usable). The LLM answerer never
 * lets one reach a reader: it logs it and answers extractively instead, with a note.
 */
export class LlmError extends AppError {}
