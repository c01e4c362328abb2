import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/chat/answer-types.js';
import type { AnswererDependencies } from '../../src/chat/create-engine.js';
import type { Answerer } from '../../src/chat/engine-types.js';
import { createChatModel, OLLAMA_DEFAULT_BASE_URL } from '../../src/chat/llm/create-chat-model.js';
import { createLlmAnswerer } from '../../src/chat/llm/create-llm-answerer.js';
import type { LlmConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createTestEngine, type TestEngine } from '../helpers/create-test-engine.js';
import { HashingEmbeddings } from '../helpers/hashing-embeddings.js';

/**
 * The production chat model (`ChatOpenAI` built by `createChatModel`) against a stand-in
 * OpenAI-compatible server on 127.0.0.1 (the chat completions protocol vLLM, llama.cpp and Ollama
 * serve): what goes over the wire, streaming, HTTP errors and a server that never answers. The engine
 * uses hashing embeddings: the wire is under test here, not the embedding model.
 */
type Behaviour = { kind: 'stream'; tokens: string[] } | { kind: 'status'; status: number } | { kind: 'hang' };

interface Received {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

let behaviour: Behaviour = { kind: 'hang' };
const received: Received[] = [];
const hanging = new Set<http.ServerResponse>();
const server = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  req.on('end', () => {
    received.push({ path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(raw) as Record<string, unknown> });
    if (behaviour.kind === 'hang') {
      hanging.add(res);
      return;
    }
    if (behaviour.kind === 'status') {
      res.writeHead(behaviour.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'model overloaded', type: 'server_error' } }));
      return;
    }
    const body = received.at(-1)!.body;
    if (body.stream !== true) {
      const message = { role: 'assistant', content: behaviour.tokens.join('') };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message, finish_reason: 'stop' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const content of behaviour.tokens) {
      const chunk = { id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    const last = { id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
    res.end(`data: ${JSON.stringify(last)}\n\ndata: [DONE]\n\n`);
  });
});

let baseUrl: string;
let test: TestEngine;
let dependencies: AnswererDependencies;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  test = await createTestEngine({
    embeddings: new HashingEmbeddings(),
    modelId: 'hashing-64',
    llmAnswerer: (deps) => {
      dependencies = deps;
      return deps.extractive;
    },
  });
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise((resolve) => server.close(resolve));
  await test.cleanup();
});
beforeEach(() => {
  received.length = 0;
});

function answerer(config: Partial<LlmConfig> = {}): Answerer {
  const full: LlmConfig = { provider: 'openai', baseUrl, model: 'qwen2.5-7b-instruct', apiKey: undefined, timeoutMs: 5000, ...config };
  return createLlmAnswerer({ chatModel: createChatModel(full), dependencies, timeoutMs: full.timeoutMs });
}

async function ask(target: Answerer, question: string): Promise<{ answer: Answer; deltas: string[] }> {
  const candidates = await test.engine.retrieve(question);
  const deltas: string[] = [];
  const answer = await target.answer({ question, standaloneQuestion: question, history: [], candidates, onDelta: (d) => deltas.push(d) });
  return { answer, deltas };
}

describe('createChatModel', () => {
  it('makes no network call when it is built', async () => {
    createChatModel({ provider: 'openai', baseUrl, model: 'm', apiKey: undefined, timeoutMs: 1000 });
    createChatModel({ provider: 'ollama', baseUrl, model: 'm', apiKey: undefined, timeoutMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);
  });

  it('points Ollama at its OpenAI-compatible /v1 endpoint by default', () => {
    const model = createChatModel({ provider: 'ollama', baseUrl: undefined, model: 'llama3.1', apiKey: undefined, timeoutMs: 1000 });
    expect(OLLAMA_DEFAULT_BASE_URL).toBe('http://127.0.0.1:11434/v1');
    expect((model as unknown as { clientConfig: { baseURL: string } }).clientConfig.baseURL).toBe(OLLAMA_DEFAULT_BASE_URL);
  });

  it('refuses openai without a base URL or an API key with CONFIG_MISSING', () => {
    const build = () => createChatModel({ provider: 'openai', baseUrl: undefined, model: 'gpt-4o-mini', apiKey: undefined, timeoutMs: 1000 });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/^LLM_API_KEY must be set when LLM_PROVIDER=openai uses api\.openai\.com/);
    try {
      build();
    } catch (error) {
      expect((error as ConfigError).code).toBe('CONFIG_MISSING');
    }
  });
});

describe('LLM answerer over the OpenAI chat completions protocol', () => {
  it('streams a verified answer and sends the model, key, temperature 0 and the grounded prompt', async () => {
    behaviour = { kind: 'stream', tokens: ['Some 4,700 North Korean soldiers were killed fighting in Kursk ', '[', '¶4', '3].'] };
    const { answer, deltas } = await ask(answerer({ apiKey: 'sk-local' }), 'How many North Korean soldiers were killed in Kursk?');
    expect(answer).toMatchObject({
      answer: 'Some 4,700 North Korean soldiers were killed fighting in Kursk [¶43].',
      grounded: true,
      answerer: 'llm',
      notes: [],
    });
    expect(deltas).toEqual(['Some 4,700 North Korean soldiers were killed fighting in Kursk ', '[¶43].']);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.authorization).toBe('Bearer sk-local');
    expect(request!.body).toMatchObject({ model: 'qwen2.5-7b-instruct', temperature: 0, stream: true });
    expect(request!.body).not.toHaveProperty('stream_options');
    const messages = request!.body.messages as Array<{ role: string; content: string }>;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[1]!.content).toMatch(/^<paragraphs>\n\[¶\d+\] /);
  });

  it('falls back to the extractive answer with a note when the server answers HTTP 500', async () => {
    behaviour = { kind: 'status', status: 500 };
    const { answer, deltas } = await ask(answerer(), 'How many North Korean soldiers were killed in Kursk?');
    expect(answer.answerer).toBe('extractive');
    expect(answer.notes[0]).toBe('The language model returned an error; this is the extractive answer.');
    expect(received).toHaveLength(1);
    expect(deltas.join('')).toBe(answer.answer);
  });

  it('falls back to the extractive answer with a note when the server never answers', async () => {
    behaviour = { kind: 'hang' };
    const started = Date.now();
    const { answer } = await ask(answerer({ timeoutMs: 700 }), 'How many North Korean soldiers were killed in Kursk?');
    expect(Date.now() - started).toBeLessThan(700 + 2000);
    expect(answer.answerer).toBe('extractive');
    expect(answer.notes[0]).toBe('The language model did not finish within 700 ms; this is the extractive answer.');
  });

  it('condenses with a non-streamed call to the same endpoint', async () => {
    behaviour = { kind: 'stream', tokens: ['What happened to the soldier Bulat wounded?'] };
    const history = [{ question: 'Who is Bulat?', answer: await test.engine.ask('Who is Bulat?') }];
    const condensed = await answerer().condense!({ question: 'What happened to him?', history });
    expect(condensed).toBe('What happened to the soldier Bulat wounded?');
    expect(received).toHaveLength(1);
    expect(received[0]!.body.stream).not.toBe(true);
  });
});
