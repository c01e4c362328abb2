import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A piece of the chat server's HTTP surface (the article page, the JSON API, the Slack endpoints...).
 * Resolves `true` when it handled the request (and has sent or is sending the response), `false` to let
 * the next route try. A route that throws gets a logged 500; it never takes the server down.
 * Routes run in order: extra routes passed to `createChatServer` first, the built-in ones after.
 */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
