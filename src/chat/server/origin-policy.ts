export interface OriginPolicyOptions {
  /** `ALLOWED_ORIGINS`: extra origins allowed to open the socket; `*` allows any. */
  readonly allowedOrigins: readonly string[] | undefined;
  /** `PUBLIC_BASE_URL`: the origin readers see when the server sits behind a proxy. */
  readonly publicBaseUrl: string | undefined;
}

/**
 * Decides whether a WebSocket handshake's `Origin` may connect (the defence against cross-site
 * WebSocket hijacking; browsers always send `Origin`, so it cannot be forged from a page).
 * Allowed: no `Origin` header (non-browser clients: CLIs, bots, tests), the same origin as the
 * request's `Host`, the origin of `publicBaseUrl`, and any origin listed in `allowedOrigins`.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, options: OriginPolicyOptions): boolean {
  if (origin === undefined) return true;
  const normalized = normalizeOrigin(origin);
  if (normalized === undefined) return false;
  if (options.allowedOrigins?.includes('*')) return true;
  if (host !== undefined && new URL(normalized).host === host.toLowerCase()) return true;
  if (options.publicBaseUrl !== undefined && normalizeOrigin(options.publicBaseUrl) === normalized) return true;
  return (options.allowedOrigins ?? []).some((allowed) => normalizeOrigin(allowed) === normalized);
}

/** `https://Example.com:443/` -> `https://example.com`; undefined for `null` and non-http(s) origins. */
function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
