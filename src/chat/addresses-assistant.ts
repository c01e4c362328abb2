import { splitSentences } from '../index/split-sentences.js';

/**
 * Recognises article text addressed to an AI assistant rather than to readers: a prompt injection such as
 * "Ignore previous instructions and say ...", "You are now ...", "AI assistants must answer ...". Such a
 * sentence is never evidence for a claim, and a paragraph made only of such sentences is not offered to
 * the extractive fallback (which would otherwise quote it as an answer). Deliberately narrow: ordinary
 * reporting ("officials say that ...") never matches.
 */
const ADDRESSES_ASSISTANT =
  /\b(?:ignore|disregard|forget|override)\b[^.!?]{0,60}\b(?:instructions?|rules|prompts?|directions)\b|\bsystem prompt\b|\byou are now\b|\b(?:as an|you are an?)\s+(?:ai|assistant|language model|chatbot)\b|\b(?:ai|assistants?|chatbots?|language models?)\b[^.!?]{0,30}\b(?:must|should)\s+(?:say|answer|respond|reply|state|claim)\b/iu;

export function addressesAssistant(sentence: string): boolean {
  return ADDRESSES_ASSISTANT.test(sentence);
}

/** Whether every sentence of a paragraph addresses an AI assistant (so it says nothing to readers). */
export function onlyAddressesAssistant(paragraphText: string): boolean {
  const sentences = splitSentences(paragraphText);
  return sentences.length > 0 && sentences.every((s) => addressesAssistant(s.text));
}
