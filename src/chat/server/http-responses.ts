import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers every response carries: no MIME sniffing, no referrer leaks. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export interface SendOptions {
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends `body` (a string or bytes) with the base headers; writes no body for HEAD requests. */
export function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  options: SendOptions = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': contentType,
    'content-length': String(bytes.length),
    ...options.headers,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
  options: SendOptions = {},
): void {
  sendBody(req, res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`, options);
}

/** A JSON error body `{error: {code, message}}`, the shape of every API refusal. */
export function sendJsonError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  options: SendOptions = {},
): void {
  sendJson(req, res, status, { error: { code, message } }, options);
}

export function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  sendBody(req, res, status, 'text/plain; charset=utf-8', `${text}\n`);
}

/** The request path without the query string, or undefined when the target cannot be parsed. */
export function requestPath(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** True for GET and HEAD; otherwise answers 405 with an `Allow` header and returns false. */
export function allowReadOnly(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  res.setHeader('allow', 'GET, HEAD');
  sendText(req, res, 405, `Method ${req.method ?? '?'} not allowed; use GET`);
  return false;
}
