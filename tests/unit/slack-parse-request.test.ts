import { describe, expect, it } from 'vitest';
import { encodeModalMetadata } from '../../src/chat/slack/feedback-modal.js';
import { encodeFeedbackValue } from '../../src/chat/slack/feedback-value.js';
import { parseSlackRequest } from '../../src/chat/slack/parse-slack-request.js';
import { SlackError } from '../../src/errors.js';
import { blockActionsBody, eventCallbackBody, slashCommandBody } from '../helpers/fake-slack-api.js';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

const HOSTS = ['hooks.slack.com', '127.0.0.1:4999'];

function parse(body: string, contentType: string) {
  return parseSlackRequest({ contentType, rawBody: Buffer.from(body), responseUrlHosts: HOSTS });
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof SlackError ? error.code : `not a SlackError: ${String(error)}`;
  }
  return undefined;
}

describe('parseSlackRequest', () => {
  describe('Events API', () => {
    it('returns the challenge of a url_verification', () => {
      const body = JSON.stringify({ token: 't', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
      expect(parse(body, 'application/json; charset=utf-8')).toEqual({
        kind: 'url_verification',
        challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      });
    });

    it('strips the bot mention from an app_mention and decodes Slack markup and entities', () => {
      const body = eventCallbackBody('Ev1', {
        type: 'app_mention',
        user: 'U0EDITOR',
        text: '<@UBOT> what did <@U0OTHER|ana> say about R&amp;D &lt;drones&gt; in <#C1|desk>? <https://x.test|link> <@UBOT>',
        ts: '1700000000.000100',
        channel: 'C0DESK',
      });
      expect(parse(body, JSON_TYPE)).toEqual({
        kind: 'message',
        eventId: 'Ev1',
        source: 'app_mention',
        channel: 'C0DESK',
        user: 'U0EDITOR',
        text: 'what did @ana say about R&D <drones> in #desk? link',
        threadTs: '1700000000.000100',
        ts: '1700000000.000100',
      });
    });

    it('replies in the existing thread when the mention is inside one', () => {
      const body = eventCallbackBody('Ev2', { type: 'app_mention', user: 'U1', text: '<@UBOT> and then?', ts: '2.0', thread_ts: '1.0', channel: 'C1' });
      expect(parse(body, JSON_TYPE)).toMatchObject({ kind: 'message', threadTs: '1.0', ts: '2.0', text: 'and then?' });
    });

    it('accepts direct messages and keeps their text whole', () => {
      const body = eventCallbackBody('Ev3', { type: 'message', channel_type: 'im', user: 'U1', text: 'Who is Bulat?', ts: '5.0', channel: 'D1' });
      expect(parse(body, JSON_TYPE)).toMatchObject({ kind: 'message', source: 'im', text: 'Who is Bulat?', threadTs: '5.0', channel: 'D1' });
    });

    it.each([
      ['a bot message', { type: 'message', channel_type: 'im', bot_id: 'B1', text: 'hi', ts: '1.0', channel: 'D1' }],
      ['a message subtype', { type: 'message', channel_type: 'im', subtype: 'message_changed', user: 'U1', ts: '1.0', channel: 'D1' }],
      ['the bot itself', { type: 'message', channel_type: 'im', user: 'UBOT', text: 'x', ts: '1.0', channel: 'D1' }],
      ['a channel message', { type: 'message', channel_type: 'channel', user: 'U1', text: 'x', ts: '1.0', channel: 'C1' }],
      ['a mention by a bot', { type: 'app_mention', bot_id: 'B2', user: 'U2', text: '<@UBOT> x', ts: '1.0', channel: 'C1' }],
      ['another event type', { type: 'reaction_added', user: 'U1', ts: '1.0' }],
    ])('ignores %s', (_name, event) => {
      expect(parse(eventCallbackBody('EvX', event), JSON_TYPE)).toMatchObject({ kind: 'ignored_event', eventId: 'EvX' });
    });
  });

  it('parses a slash command', () => {
    const body = slashCommandBody({ text: 'How many &amp; why?', responseUrl: 'https://hooks.slack.com/commands/T1/2/x' });
    expect(parse(body, FORM_TYPE)).toEqual({
      kind: 'command',
      command: '/ask',
      text: 'How many & why?',
      user: 'U0EDITOR',
      channel: 'C0DESK',
      responseUrl: 'https://hooks.slack.com/commands/T1/2/x',
      triggerId: '123.456.abc',
    });
  });

  it('parses a feedback click into the labelled case', () => {
    const value = encodeFeedbackValue({ question: 'Q?', article: 'a', cited: ['p43'], grounded: true });
    const body = blockActionsBody({
      user: { id: 'U9', username: 'ed' },
      response_url: 'https://hooks.slack.com/actions/T1/2/y',
      trigger_id: '9.9.t',
      message: { text: 'Answer [¶43].', ts: '1.0' },
      actions: [{ action_id: 'feedback_wrong_paragraph', block_id: 'feedback', value, type: 'button', action_ts: '2.0' }],
    });
    expect(parse(body, FORM_TYPE)).toEqual({
      kind: 'feedback',
      user: 'U9',
      feedback: 'wrong_paragraph',
      case: { question: 'Q?', article: 'a', cited: ['p43'], grounded: true },
      answerText: 'Answer [¶43].',
      responseUrl: 'https://hooks.slack.com/actions/T1/2/y',
      triggerId: '9.9.t',
    });
  });

  it('parses a Share with channel click into the kept answer id', () => {
    const body = blockActionsBody({ user: { id: 'U9' }, response_url: 'http://127.0.0.1:4999/hooks/1', actions: [{ action_id: 'share_answer', value: 'abc' }] });
    expect(parse(body, FORM_TYPE)).toEqual({ kind: 'share', user: 'U9', shareId: 'abc', responseUrl: 'http://127.0.0.1:4999/hooks/1' });
  });

  it.each([
    ['a select', { type: 'static_select', selected_option: { value: 'p12' } }, 'p12'],
    ['a number field', { type: 'number_input', value: '12' }, 'p12'],
    ['nothing picked', { type: 'static_select', selected_option: null }, undefined],
  ])('parses the wrong-paragraph modal submitted with %s', (_name, element, correct) => {
    const context = { case: { question: 'Q?', article: 'a', cited: ['p43'], grounded: true }, answerText: 'A [¶43].' };
    const body = new URLSearchParams({
      payload: JSON.stringify({
        type: 'view_submission',
        user: { id: 'U9' },
        view: { callback_id: 'feedback_wrong_paragraph', private_metadata: encodeModalMetadata(context), state: { values: { right_paragraph: { paragraph: element } } } },
      }),
    }).toString();
    expect(parse(body, FORM_TYPE)).toEqual({ kind: 'feedback_submission', user: 'U9', context, correct });
  });

  it.each([
    ['another host', 'https://evil.example/hooks/1'],
    ['a loopback admin path on another port', 'http://127.0.0.1:8787/admin/reset'],
    ['plain http to Slack', 'http://hooks.slack.com/commands/1'],
    ['a userinfo trick', 'https://hooks.slack.com@evil.example/x'],
    ['a subdomain lookalike', 'https://hooks.slack.com.evil.example/x'],
    ['not a URL', 'hooks.slack.com/commands/1'],
  ])('refuses a response_url on %s with SLACK_BAD_RESPONSE_URL', (_name, responseUrl) => {
    expect(codeOf(() => parse(slashCommandBody({ text: 'Q?', responseUrl }), FORM_TYPE))).toBe('SLACK_BAD_RESPONSE_URL');
    const click = blockActionsBody({ user: { id: 'U1' }, response_url: responseUrl, actions: [{ action_id: 'share_answer', value: 'x' }] });
    expect(codeOf(() => parse(click, FORM_TYPE))).toBe('SLACK_BAD_RESPONSE_URL');
  });

  it('ignores other interactions and actions', () => {
    expect(parse(blockActionsBody({ user: { id: 'U1' }, actions: [{ action_id: 'other', value: 'x' }] }), FORM_TYPE)).toEqual({
      kind: 'ignored_interaction',
      reason: 'action other',
    });
    const shortcut = new URLSearchParams({ payload: JSON.stringify({ type: 'shortcut' }) }).toString();
    expect(parse(shortcut, FORM_TYPE)).toMatchObject({ kind: 'ignored_interaction' });
  });

  it.each([
    ['invalid JSON', '{nope', JSON_TYPE],
    ['an event_callback without event_id', JSON.stringify({ type: 'event_callback', event: {} }), JSON_TYPE],
    ['an unknown content type', 'x', 'text/plain'],
    ['a form that is neither command nor interaction', 'a=1', FORM_TYPE],
    ['a forged feedback value', blockActionsBody({ user: { id: 'U1' }, actions: [{ action_id: 'feedback_helpful', value: '{"q":1}' }] }), FORM_TYPE],
    ['forged modal metadata', new URLSearchParams({ payload: JSON.stringify({ type: 'view_submission', user: { id: 'U1' }, view: { callback_id: 'feedback_wrong_paragraph', private_metadata: '{"v":"x"}' } }) }).toString(), FORM_TYPE],
  ])('rejects %s with SLACK_BAD_PAYLOAD', (_name, body, contentType) => {
    expect(codeOf(() => parse(body, contentType))).toBe('SLACK_BAD_PAYLOAD');
  });
});
