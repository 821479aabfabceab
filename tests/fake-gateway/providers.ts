/**
 * Imitations of the providers of shared/spec/providers.md §2–6 and of a `custom` JSON
 * endpoint (shared/spec/automation.md §3.1), for the fake gateway. Each answers its
 * documented path with the body stored for the caller's key, and refuses unknown keys
 * the way the provider does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const PROVIDER_FLAVORS = ['openrouter', 'deepseek', 'moonshot', 'siliconflow', 'stepfun', 'custom'] as const;
export type ProviderFlavor = (typeof PROVIDER_FLAVORS)[number];

/** An answer other than a plain 200 JSON body: a status, an HTML page, a 429. */
export interface FakeAnswer {
  fake: 'answer';
  status: number;
  body: unknown;
  /** Send `body` (a string) as an HTML page. */
  html?: boolean;
  retryAfter?: number;
}

export const answer = (status: number, body: unknown, extra: Partial<Pick<FakeAnswer, 'html' | 'retryAfter'>> = {}): FakeAnswer => ({
  fake: 'answer',
  status,
  body,
  ...extra,
});

export interface FakeProviderOptions {
  /** Secret → what that key is answered (a JSON body served with 200, or a `FakeAnswer`). */
  accounts: Record<string, unknown>;
  /** `custom`: the endpoint's path (default `/api/balance`). */
  path?: string;
  /** `custom`: the header carrying the bare secret (default `Authorization: Bearer …`). */
  header?: string;
  /** `custom`: the query parameter carrying the secret instead of a header (`/balance?key=…`). */
  query?: string;
}

/** The documented path of each provider (shared/spec/automation.md §2). */
export const PROVIDER_PATHS: Record<Exclude<ProviderFlavor, 'custom'>, string> = {
  openrouter: '/api/v1/key',
  deepseek: '/user/balance',
  moonshot: '/v1/users/me/balance',
  siliconflow: '/v1/user/info',
  stepfun: '/v1/accounts',
};

const send = (res: ServerResponse, status: number, body: unknown, html = false, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8', ...headers });
  res.end(html ? String(body) : JSON.stringify(body));
};

/** How each provider refuses a key it does not know (shared/spec/providers.md §2–6). */
function refuse(flavor: ProviderFlavor, res: ServerResponse) {
  switch (flavor) {
    case 'openrouter':
      return send(res, 401, { error: { code: 401, message: 'No auth credentials found' } });
    case 'deepseek':
      return send(res, 401, {
        error: {
          message: 'Authentication Fails, Your api key: ****abcd is invalid',
          type: 'authentication_error',
          param: null,
          code: 'invalid_request_error',
        },
      });
    case 'moonshot':
      return send(res, 401, { error: { message: 'Invalid Authentication', type: 'invalid_authentication_error' } });
    case 'siliconflow':
      // §5: a bare JSON string.
      return send(res, 401, 'Invalid token');
    case 'stepfun':
      return send(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_api_key' } });
    default:
      return send(res, 401, { message: 'unauthorised' });
  }
}

/** Answers one request for a provider flavour. */
export function handleProvider(
  flavor: ProviderFlavor,
  options: FakeProviderOptions | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  const expected = flavor === 'custom' ? (options?.path ?? '/api/balance') : PROVIDER_PATHS[flavor];
  if (path !== expected) return send(res, 404, { error: { message: `Not found: ${path}` } });
  const header = flavor === 'custom' && options?.header ? options.header.toLowerCase() : 'authorization';
  const raw = String(req.headers[header] ?? '');
  const fromQuery = flavor === 'custom' && options?.query ? new URL(req.url ?? '/', 'http://fake').searchParams.get(options.query) : null;
  const secret = fromQuery ?? (header === 'authorization' ? raw.replace(/^Bearer /, '') : raw);
  const found = options?.accounts[secret];
  if (found === undefined) return refuse(flavor, res);
  if (found && typeof found === 'object' && (found as FakeAnswer).fake === 'answer') {
    const a = found as FakeAnswer;
    if (a.status === 429) {
      res.writeHead(429, a.retryAfter !== undefined ? { 'Retry-After': String(a.retryAfter) } : {});
      return res.end();
    }
    return send(res, a.status, a.body, a.html);
  }
  return send(res, 200, found);
}
