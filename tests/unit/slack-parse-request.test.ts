import { describe, expect, it } from 'vitest';
import { encodeFeedbackValue } from '../../src/chat/slack/feedback-value.js';
import { parseSlackRequest } from '../../src/chat/slack/parse-slack-request.js';
import { SlackError } from '../../src/errors.js';
import { blockActionsBody, eventCallbackBody, slashCommandBody } from '../helpers/fake-slack-api.js';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

function parse(body: string, contentType: string) {
  return parseSlackRequest({ contentType, rawBody: Buffer.from(body) });
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
      });
    });

    it('replies in the existing thread when the mention is inside one', () => {
      const body = eventCallbackBody('Ev2', { type: 'app_mention', user: 'U1', text: '<@UBOT> and then?', ts: '2.0', thread_ts: '1.0', channel: 'C1' });
      expect(parse(body, JSON_TYPE)).toMatchObject({ kind: 'message', threadTs: '1.0', text: 'and then?' });
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
    const body = slashCommandBody({ text: 'How many &amp; why?', responseUrl: 'https://hooks.example/1' });
    expect(parse(body, FORM_TYPE)).toEqual({
      kind: 'command',
      command: '/ask',
      text: 'How many & why?',
      user: 'U0EDITOR',
      channel: 'C0DESK',
      responseUrl: 'https://hooks.example/1',
    });
  });

  it('parses a feedback click into the labelled case', () => {
    const value = encodeFeedbackValue({ question: 'Q?', article: 'a', cited: ['p43'], grounded: true });
    const body = blockActionsBody({
      user: { id: 'U9', username: 'ed' },
      response_url: 'https://hooks.example/2',
      message: { text: 'Answer [¶43].', ts: '1.0' },
      actions: [{ action_id: 'feedback_wrong_paragraph', block_id: 'feedback', value, type: 'button', action_ts: '2.0' }],
    });
    expect(parse(body, FORM_TYPE)).toEqual({
      kind: 'feedback',
      user: 'U9',
      feedback: 'wrong_paragraph',
      case: { question: 'Q?', article: 'a', cited: ['p43'], grounded: true },
      answerText: 'Answer [¶43].',
      responseUrl: 'https://hooks.example/2',
    });
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
  ])('rejects %s with SLACK_BAD_PAYLOAD', (_name, body, contentType) => {
    expect(() => parse(body, contentType)).toThrow(SlackError);
    try {
      parse(body, contentType);
    } catch (error) {
      expect((error as SlackError).code).toBe('SLACK_BAD_PAYLOAD');
    }
  });
});
