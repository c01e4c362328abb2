import type { IncomingMessage } from 'node:http';
import { SlackError } from '../../errors.js';

/** Slack payloads are a few KiB; 1 MiB leaves room for large interactivity payloads. */
export const DEFAULT_MAX_SLACK_BODY_BYTES = 1024 * 1024;

/**
 * Reads the request body as raw bytes (signatures are computed over them, so nothing may be decoded
 * or re-serialized first). Throws `SlackError` `SLACK_BODY_TOO_LARGE` as soon as the declared
 * `Content-Length` or the bytes received exceed `maxBytes`; the rest of the body is then discarded.
 */
export async function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = (): SlackError =>
    new SlackError('SLACK_BODY_TOO_LARGE', `Request body exceeds the ${maxBytes}-byte limit`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  // Events rather than `for await`: leaving an async iterator destroys the socket, and the 413 must still be sent.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering but keep draining, so the 413 reaches a client that is still uploading.
        req.off('data', onData);
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}
