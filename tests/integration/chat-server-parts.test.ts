import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors.js';
import { isOriginAllowed } from '../../src/chat/server/origin-policy.js';
import { createRateLimiter } from '../../src/chat/server/rate-limiter.js';
import { parseClientMessage } from '../../src/chat/server/ws-protocol.js';
import { renderArticlePage } from '../../src/chat/server/render-article-page.js';
import type { Article } from '../../src/index/article.js';

/** The chat server's pure parts, tested without sockets. */
describe('createRateLimiter', () => {
  it('allows `limit` events in any window and frees them as the window slides', () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    const takes: boolean[] = [];
    for (const at of [0, 10_000, 20_000, 20_000]) {
      now = at;
      takes.push(limiter.take('a'));
    }
    expect(takes).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    expect(limiter.retryAfterMs('a')).toBe(40_000);
    now = 59_999;
    expect(limiter.take('a')).toBe(false);
    now = 60_000;
    expect(limiter.retryAfterMs('a')).toBe(0);
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.retryAfterMs('a')).toBe(10_000);
  });

  it('forgets idle keys on prune', () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, now: () => now });
    limiter.take('a');
    limiter.take('b');
    expect(limiter.size).toBe(2);
    now = 1000;
    limiter.prune();
    expect(limiter.size).toBe(0);
  });

  it('rejects a limit below 1 as a programming error', () => {
    expect(() => createRateLimiter({ limit: 0 })).toThrow(RangeError);
  });
});

describe('isOriginAllowed', () => {
  const none = { allowedOrigins: undefined, publicBaseUrl: undefined };
  it.each([
    [undefined, '127.0.0.1:8787', none, true],
    ['http://127.0.0.1:8787', '127.0.0.1:8787', none, true],
    ['http://127.0.0.1:9999', '127.0.0.1:8787', none, false],
    ['https://evil.example', 'news.example', none, false],
    ['null', 'news.example', none, false],
    ['https://news.example', 'internal:8787', { allowedOrigins: undefined, publicBaseUrl: 'https://news.example' }, true],
    ['https://partner.example', 'news.example', { allowedOrigins: ['https://partner.example/'], publicBaseUrl: undefined }, true],
    ['https://other.example', 'news.example', { allowedOrigins: ['https://partner.example'], publicBaseUrl: undefined }, false],
    ['https://any.example', 'news.example', { allowedOrigins: ['*'], publicBaseUrl: undefined }, true],
  ] as const)('origin %s on host %s -> %s', (origin, host, options, expected) => {
    expect(isOriginAllowed(origin, host, options)).toBe(expected);
  });
});

describe('parseClientMessage', () => {
  const limits = { maxQuestionChars: 10 };
  it('returns a validated ask, ignoring unknown fields', () => {
    expect(parseClientMessage('{"type":"ask","id":"q1","question":"Who?","extra":1}', limits)).toEqual({
      type: 'ask',
      id: 'q1',
      question: 'Who?',
      article: undefined,
      shareQuestion: false,
    });
    expect(parseClientMessage('{"type":"ask","id":"q2","question":"Who?","shareQuestion":true}', limits)).toMatchObject({ shareQuestion: true });
    expect(parseClientMessage('{"type":"ask","id":"q3","question":"Who?","shareQuestion":"yes"}', limits)).toMatchObject({ shareQuestion: false });
    expect(parseClientMessage('{"type":"reset"}', limits)).toEqual({ type: 'reset' });
  });

  it('returns validated summarize and feedback frames', () => {
    expect(parseClientMessage('{"type":"summarize","id":"s1","article":"nk"}', limits)).toEqual({ type: 'summarize', id: 's1', article: 'nk' });
    expect(parseClientMessage('{"type":"summarize","id":"s2"}', limits)).toEqual({ type: 'summarize', id: 's2', article: undefined });
    expect(parseClientMessage('{"type":"feedback","id":"q1","rating":"up"}', limits)).toEqual({ type: 'feedback', id: 'q1', rating: 'up', paragraph: undefined });
    expect(parseClientMessage('{"type":"feedback","id":"q1","rating":"wrong_source","paragraph":12}', limits)).toEqual({
      type: 'feedback',
      id: 'q1',
      rating: 'wrong_source',
      paragraph: 12,
    });
  });

  it.each([
    ['{"type":"summarize","id":"s1","article":7}', 'PROTOCOL_BAD_ARTICLE'],
    ['{"type":"summarize"}', 'PROTOCOL_BAD_ID'],
    ['{"type":"feedback","id":"q1"}', 'PROTOCOL_BAD_RATING'],
    ['{"type":"feedback","id":"q1","rating":"love"}', 'PROTOCOL_BAD_RATING'],
    ['{"type":"feedback","id":"q1","rating":"wrong_source","paragraph":1.5}', 'PROTOCOL_BAD_PARAGRAPH'],
    ['{"type":"feedback","id":"q1","rating":"wrong_source","paragraph":0}', 'PROTOCOL_BAD_PARAGRAPH'],
    ['{"type":"feedback","id":"q1","rating":"wrong_source","paragraph":"12"}', 'PROTOCOL_BAD_PARAGRAPH'],
    ['{"type":"feedback","id":"q1","rating":"down","paragraph":12}', 'PROTOCOL_BAD_PARAGRAPH'],
  ])('refuses %s with %s, keeping the frame id', (frame, code) => {
    let error: unknown;
    try {
      parseClientMessage(frame, limits);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe(code);
    if (code !== 'PROTOCOL_BAD_ID') expect((error as ProtocolError).id).toBe(JSON.parse(frame).id);
  });

  it('throws ProtocolError carrying the frame id for a question over the limit', () => {
    let error: unknown;
    try {
      parseClientMessage('{"type":"ask","id":"q9","question":"12345678901"}', limits);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'PROTOCOL_QUESTION_TOO_LONG', id: 'q9' });
    expect((error as Error).message).toBe('The question has 11 characters; the limit is 10. Shorten it and ask again');
  });

  it('refuses ids that are too long or not printable', () => {
    for (const id of ['x'.repeat(65), 'a b', '']) {
      expect(() => parseClientMessage(JSON.stringify({ type: 'ask', id, question: 'Who?' }), limits)).toThrow(
        expect.objectContaining({ code: 'PROTOCOL_BAD_ID' }),
      );
    }
  });
});

describe('renderArticlePage', () => {
  it('escapes every piece of article text', () => {
    const hostile = '<img src=x onerror=alert(1)> & "quotes"';
    const article: Article = {
      slug: 'demo',
      headline: hostile,
      dateline: hostile,
      authors: [hostile],
      credits: [hostile],
      sections: [hostile],
      paragraphs: [
        { id: 'p1', number: 1, article: 'demo', ref: 'demo#p1', kind: 'caption', section: undefined, text: hostile, span: [0, 1], credit: hostile },
        { id: 'p2', number: 2, article: 'demo', ref: 'demo#p2', kind: 'paragraph', section: hostile, text: hostile, span: [1, 2] },
      ],
      source: 'demo.txt',
      sourceHash: '0',
    };
    const html = renderArticlePage(article, { widgetSrc: '/widget.js' });
    expect(html).not.toContain('<img');
    expect(html.split('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;').length - 1).toBe(9);
  });
});
