import { SlackError } from '../../errors.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Accepts a `response_url` only on one of `allowedHosts` (SLACK_RESPONSE_URL_HOSTS: `host` matches any port,
 * `host:port` that port only), over https; plain http only for a loopback host (the tests' stand-in). Anything else
 * (another host, a userinfo trick such as `https://hooks.slack.com@evil.example/`, a non-URL) throws `SlackError`
 * `SLACK_BAD_RESPONSE_URL` naming the host: a signed request must not make the bot POST wherever it says.
 * Returns the URL as parsed.
 */
export function checkResponseUrl(raw: string, allowedHosts: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SlackError('SLACK_BAD_RESPONSE_URL', 'response_url is not a URL');
  }
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  const allowed = allowedHosts.some((entry) => entry === host || entry === hostname);
  const schemeOk = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(hostname));
  if (!allowed || !schemeOk || url.username !== '' || url.password !== '') {
    throw new SlackError(
      'SLACK_BAD_RESPONSE_URL',
      `response_url must be https on ${allowedHosts.join(' or ')} (SLACK_RESPONSE_URL_HOSTS), got ${url.protocol}//${host}`,
    );
  }
  return url.href;
}
