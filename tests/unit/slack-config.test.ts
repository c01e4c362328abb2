import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

describe('loadConfig (Slack)', () => {
  it('defaults the state file under DATA_DIR and the response_url hosts to hooks.slack.com', () => {
    const config = loadConfig({ DATA_DIR: 'state' }, '/srv/app');
    expect(config.slack.stateFile).toBe(path.join('/srv/app', 'state', 'slack-state.sqlite'));
    expect(config.slack.responseUrlHosts).toEqual(['hooks.slack.com']);
  });

  it('reads SLACK_STATE_FILE and a comma-separated SLACK_RESPONSE_URL_HOSTS', () => {
    const config = loadConfig({ SLACK_STATE_FILE: '/var/lib/qa/slack.db', SLACK_RESPONSE_URL_HOSTS: ' Hooks.Slack.com , 127.0.0.1:4999 ' }, '/srv/app');
    expect(config.slack.stateFile).toBe('/var/lib/qa/slack.db');
    expect(config.slack.responseUrlHosts).toEqual(['hooks.slack.com', '127.0.0.1:4999']);
  });

  it.each(['https://hooks.slack.com', 'hooks.slack.com/path', ' , '])('refuses SLACK_RESPONSE_URL_HOSTS=%j with CONFIG_INVALID_HOSTS', (value) => {
    let caught: unknown;
    try {
      loadConfig({ SLACK_RESPONSE_URL_HOSTS: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toMatchObject({ code: 'CONFIG_INVALID_HOSTS' });
    expect((caught as Error).message).toContain('SLACK_RESPONSE_URL_HOSTS must be a comma-separated list of host or host:port entries');
  });
});
