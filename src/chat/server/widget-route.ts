import type { WidgetScript } from './build-widget-script.js';
import type { HttpRoute } from './http-route.js';
import { allowReadOnly, requestPath, sendBody } from './http-responses.js';

/**
 * `GET /widget.js`: the chat widget as one classic script, embeddable from any origin.
 * Revalidated with an ETag (304 when unchanged) so a deploy reaches readers within minutes.
 */
export function createWidgetRoute(options: { readonly script: Promise<WidgetScript> }): HttpRoute {
  return async (req, res) => {
    if (requestPath(req) !== '/widget.js') return false;
    if (!allowReadOnly(req, res)) return true;
    const { code, etag } = await options.script;
    const headers = {
      etag,
      'cache-control': 'public, max-age=300, must-revalidate',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    sendBody(req, res, 200, 'text/javascript; charset=utf-8', code, { headers });
    return true;
  };
}
