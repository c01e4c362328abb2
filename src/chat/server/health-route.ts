import type { HttpRoute } from './http-route.js';
import { allowReadOnly, requestPath, sendJson } from './http-responses.js';

export type ServerHealth = 'starting' | 'ready' | 'failed' | 'stopping';

/**
 * `GET /healthz`: 200 `{"status":"ready","articles":N}` once the index is loaded; 503 with
 * `status` `starting`, `failed` or `stopping` otherwise (load balancers stop routing before shutdown).
 */
export function createHealthRoute(options: {
  readonly health: () => ServerHealth;
  readonly articleCount: () => number;
}): HttpRoute {
  return async (req, res) => {
    if (requestPath(req) !== '/healthz') return false;
    if (!allowReadOnly(req, res)) return true;
    const status = options.health();
    const headers = { 'cache-control': 'no-store' };
    if (status === 'ready') {
      sendJson(req, res, 200, { status, articles: options.articleCount() }, { headers });
    } else {
      sendJson(req, res, 503, { status }, { headers: { ...headers, 'retry-after': '2' } });
    }
    return true;
  };
}
