import type { HttpRoute } from './http-route.js';
import { requestPath, sendJsonError } from './http-responses.js';

/**
 * A route that exists only once `route` resolves (e.g. the Slack endpoints, which need the ready
 * engine). Until then, requests to `paths` get 503 `NOT_READY` with `Retry-After` (Slack retries);
 * other paths fall through. If `route` rejects, the paths keep answering 503.
 */
export function createDeferredRoute(options: {
  readonly route: Promise<HttpRoute>;
  readonly paths: readonly string[];
}): HttpRoute {
  let ready: HttpRoute | undefined;
  options.route.then(
    (route) => {
      ready = route;
    },
    () => {},
  );
  return async (req, res) => {
    if (ready !== undefined) return ready(req, res);
    if (!options.paths.includes(requestPath(req) ?? '')) return false;
    sendJsonError(req, res, 503, 'NOT_READY', 'The service is still starting; retry in a few seconds', {
      headers: { 'retry-after': '5' },
    });
    return true;
  };
}
