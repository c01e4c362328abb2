import { describe, expect, it } from 'vitest';
import { extractMarkers, placeMarkers } from '../../src/chat/llm/citation-markers.js';

describe('extractMarkers', () => {
  it.each([
    ['Some 4,700 were killed in Kursk [¶43].', 'Some 4,700 were killed in Kursk.', [43]],
    ['Kursk fell. [¶7]', 'Kursk fell.', [7]],
    ['Both agree [¶12, ¶43].', 'Both agree.', [12, 43]],
    ['Both agree [¶12][¶43] [¶12].', 'Both agree.', [12, 43]],
    ['Both agree [12, 43].', 'Both agree.', [12, 43]],
    ['It was said (¶6) loudly ¶7.', 'It was said loudly.', [6, 7]],
    ['"They learned very quickly." [¶6]', '"They learned very quickly."', [6]],
    ['No marker here.', 'No marker here.', []],
  ])('reads %j', (sentence, body, numbers) => {
    expect(extractMarkers(sentence)).toEqual({ body, numbers });
  });

  it('leaves bracketed words and plain numbers alone', () => {
    expect(extractMarkers("FPV [first-person view] drones, 20, 30 soldiers (25) [¶23].")).toEqual({
      body: 'FPV [first-person view] drones, 20, 30 soldiers (25).',
      numbers: [23],
    });
  });
});

describe('placeMarkers', () => {
  it('puts markers before a final full stop', () => {
    expect(placeMarkers('Some 4,700 were killed in Kursk.', [43])).toBe('Some 4,700 were killed in Kursk [¶43].');
  });

  it('puts markers after a closing quotation mark and after ? or !', () => {
    expect(placeMarkers('He said, "He died."', [39])).toBe('He said, "He died." [¶39]');
    expect(placeMarkers('Who knew?', [4, 5])).toBe('Who knew? [¶4] [¶5]');
  });

  it('round-trips with extractMarkers', () => {
    const sentence = 'Russia agreed to supply the technology [¶12] [¶63].';
    const { body, numbers } = extractMarkers(sentence);
    expect(placeMarkers(body, numbers)).toBe(sentence);
  });
});
