/**
 * An imitation of Sub2API's key-holder route (shared/spec/relays.md §2) for the fake
 * gateway: `GET /v1/usage` answers each key with the body stored for it, served byte for
 * byte when it is a string (the spec's bodies are Go's, keys in byte order, §2.2), and
 * refuses the way the middleware does (§2.6): no key, a key in the query, an unknown key.
 * `GET /api/v1/settings/public` answers without a key (§2.7).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeAnswer, FakeProviderOptions } from './providers.ts';

/** §2.6, middleware.go ErrorResponse: `{"code":…,"message":…}`. */
export const SUB2API_ERRORS = {
  API_KEY_REQUIRED:
    '{"code":"API_KEY_REQUIRED","message":"API key is required in Authorization header (Bearer scheme), x-api-key header, or x-goog-api-key header"}',
  INVALID_API_KEY: '{"code":"INVALID_API_KEY","message":"Invalid API key"}',
  API_KEY_DISABLED: '{"code":"API_KEY_DISABLED","message":"API key is disabled"}',
  INSUFFICIENT_BALANCE: '{"code":"INSUFFICIENT_BALANCE","message":"Insufficient account balance"}',
  SUBSCRIPTION_NOT_FOUND: '{"code":"SUBSCRIPTION_NOT_FOUND","message":"No active subscription found for this group"}',
  // Early-2026 and Dec-2025 builds (§1.4): a subscription window full; the message is the server's own text.
  USAGE_LIMIT_EXCEEDED: '{"code":"USAGE_LIMIT_EXCEEDED","message":"daily usage limit exceeded"}',
  // Some builds after repeated invalid keys (§2.6, body otherwise unconfirmed).
  INVALID_AUTH_RATE_LIMITED: '{"code":"INVALID_AUTH_RATE_LIMITED","message":"Too many invalid API key attempts"}',
  API_KEY_IN_QUERY:
    '{"code":"api_key_in_query_deprecated","message":"API key in query parameter is deprecated. Please use Authorization header instead."}',
} as const;

const PUBLIC_SETTINGS =
  '{"code":0,"message":"success","data":{"api_base_url":"","contact_info":"","doc_url":"","email_verify_enabled":false,"registration_enabled":true,"site_logo":"","site_name":"Sub2API","site_subtitle":"","turnstile_enabled":false,"turnstile_site_key":"","version":"0.1.0"}}';

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

/**
 * The key a request carries, as the current middleware reads it (§2.1): `Authorization:
 * Bearer <key>` (the scheme compared case-insensitively, `EqualFold`), else `x-api-key`,
 * else `x-goog-api-key`.
 */
function keyOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  const [scheme, value] = auth.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer' && value) return value.trim();
  return String(req.headers['x-api-key'] ?? req.headers['x-goog-api-key'] ?? '').trim();
}

/** Answers one request to a Sub2API site; `options.accounts` maps a key to its body (200) or a `FakeAnswer`. */
export function handleSub2Api(options: FakeProviderOptions | undefined, req: IncomingMessage, res: ServerResponse, url: URL, path: string) {
  if (path === '/api/v1/settings/public' && req.method === 'GET') return send(res, 200, PUBLIC_SETTINGS);
  if (path !== '/v1/usage') {
    // gin's own 404, plain text.
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    return res.end('404 page not found');
  }
  if (url.searchParams.has('key') || url.searchParams.has('api_key')) return send(res, 400, SUB2API_ERRORS.API_KEY_IN_QUERY);
  const key = keyOf(req);
  if (!key) return send(res, 401, SUB2API_ERRORS.API_KEY_REQUIRED);
  const found = options?.accounts[key];
  if (found === undefined) return send(res, 401, SUB2API_ERRORS.INVALID_API_KEY);
  if (found && typeof found === 'object' && (found as FakeAnswer).fake === 'answer') {
    const a = found as FakeAnswer;
    const headers: Record<string, string> = a.retryAfter === undefined ? {} : { 'Retry-After': String(a.retryAfter) };
    if (a.html) {
      res.writeHead(a.status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      return res.end(String(a.body));
    }
    return send(res, a.status, a.body ?? '', headers);
  }
  return send(res, 200, found);
}
