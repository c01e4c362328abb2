import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  describe('MAX_QUESTION_CHARS', () => {
    it('accepts up to one model window (2000) and defaults to 1000', () => {
      expect(loadConfig({}, '/srv/app').maxQuestionChars).toBe(1000);
      expect(loadConfig({ MAX_QUESTION_CHARS: '2000' }, '/srv/app').maxQuestionChars).toBe(2000);
    });

    it('refuses a limit that would let one question stall the server with CONFIG_INVALID_NUMBER', () => {
      const error = configError({ MAX_QUESTION_CHARS: '100000' });
      expect(error.code).toBe('CONFIG_INVALID_NUMBER');
      expect(error.message).toBe('MAX_QUESTION_CHARS must be a whole number from 10 to 2000, got "100000"');
    });
  });
});
