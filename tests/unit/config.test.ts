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

  describe('MAX_ARTICLE_MODELS', () => {
    it('keeps 200 parsed articles by default and refuses fewer than the three an unscoped question is weighed against', () => {
      expect(loadConfig({}, '/srv/app').maxArticleModels).toBe(200);
      expect(loadConfig({ MAX_ARTICLE_MODELS: '5000' }, '/srv/app').maxArticleModels).toBe(5000);
      expect(configError({ MAX_ARTICLE_MODELS: '2' }).message).toBe('MAX_ARTICLE_MODELS must be a whole number from 3 to 1000000, got "2"');
    });
  });

  describe('TRUST_PROXY and the per-connection and per-IP limits', () => {
    it('trusts no proxy and keys limits on the TCP peer by default, with the per-IP question rate following the per-connection one', () => {
      const { server } = loadConfig({}, '/srv/app');
      expect(server).toMatchObject({
        trustProxy: undefined,
        trustProxyHeader: 'x-forwarded-for',
        rateLimitPerMinute: 30,
        ipRateLimitPerMinute: undefined,
        maxMessagesPerSecond: 10,
      });
    });

    it('reads proxy addresses, ranges and named sets, the header, and separate per-connection and per-IP rates', () => {
      const { server } = loadConfig(
        {
          TRUST_PROXY: ' 10.0.0.0/8, loopback ,2001:db8::1',
          TRUST_PROXY_HEADER: 'forwarded',
          WS_RATE_LIMIT_PER_MINUTE: '20',
          WS_IP_RATE_LIMIT_PER_MINUTE: '600',
          WS_MAX_MESSAGES_PER_SECOND: '25',
        },
        '/srv/app',
      );
      expect(server).toMatchObject({
        trustProxy: ['10.0.0.0/8', 'loopback', '2001:db8::1'],
        trustProxyHeader: 'forwarded',
        rateLimitPerMinute: 20,
        ipRateLimitPerMinute: 600,
        maxMessagesPerSecond: 25,
      });
    });

    it('refuses a TRUST_PROXY entry that is not an address, range or named set with CONFIG_INVALID_PROXY', () => {
      const error = configError({ TRUST_PROXY: '10.0.0.1, nginx' });
      expect(error.code).toBe('CONFIG_INVALID_PROXY');
      expect(error.message).toBe(
        'TRUST_PROXY: "nginx" is not an IP address, a CIDR range (such as 10.0.0.0/8) or one of loopback, linklocal, uniquelocal',
      );
    });

    it('refuses an unknown TRUST_PROXY_HEADER and a zero message rate', () => {
      expect(configError({ TRUST_PROXY_HEADER: 'x-real-ip' }).message).toBe(
        'TRUST_PROXY_HEADER must be one of x-forwarded-for, forwarded, got "x-real-ip"',
      );
      expect(configError({ WS_MAX_MESSAGES_PER_SECOND: '0' }).code).toBe('CONFIG_INVALID_NUMBER');
    });
  });
});
