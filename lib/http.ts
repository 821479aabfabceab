import type { ErrorKind, ReadError } from './model';
import type { WatchedRequest } from './redirect-watch';
import { BACKOFF_CEILING_MS } from './schedule';

/** What a gateway answered, after transport checks. `body` is parsed JSON. */
export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export type HttpResult = { ok: true; response: JsonResponse } | { ok: false; error: ReadError };

export interface HttpOptions {
  fetch: typeof fetch;
  now: () => number;
  timeoutMs?: number;
  /** Bodies larger than this are refused rather than parsed. */
  maxBytes?: number;
  /** Asked before each request; an error returned here is the result, and nothing is sent. */
  gate?: (url: string) => ReadError | null;
  /**
   * Unix ms by which the whole read must be done: every request of one read shares
   * `timeoutMs` (issue #9, item 6), so a read that needs two requests still says, and
   * takes, one limit.
   */
  deadline?: number;
  /** Aborted when the person who asked for the read stops it (issue #9, item 6). */
  signal?: AbortSignal;
  /**
   * Watches a request to `url` for where an opaque redirect went, as the browser reports it
   * (lib/redirect-watch.ts); without it, or when no report comes, the target is found by a
   * request without the secret.
   */
  watchRedirect?: (url: string) => Promise<WatchedRequest>;
  /**
   * A 429 whose JSON body says something (Sub2API's `USAGE_LIMIT_EXCEEDED`, relays.md §2.6)
   * is handed to the reader as an answer, `Retry-After` in its headers; without a JSON
   * body it is `rate-limited` as always.
   */
  answer429?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/** A read the person stopped: nothing is wrong with the key, and nothing is recorded. */
export const STOPPED: ReadError = { kind: 'network', message: 'stopped', code: 'stopped' };

/** Whether an outcome's error is a stop the person asked for. */
export const isStopped = (error: ReadError | undefined) => error?.code === 'stopped';
export const DEFAULT_MAX_BYTES = 1024 * 1024;

const fail = (kind: ErrorKind, message: string, retryAt?: number): HttpResult => ({
  ok: false,
  error: retryAt === undefined ? { kind, message } : { kind, message, retryAt },
});

/** Parses `Retry-After` (seconds or an HTTP date) into Unix ms. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  // Capped: a gateway asking for years of silence gets the backoff ceiling.
  if (/^\d+$/.test(trimmed)) return now + Math.min(Number(trimmed) * 1000, BACKOFF_CEILING_MS);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(now, date), now + BACKOFF_CEILING_MS);
}

async function readCapped(response: Response, maxBytes: number): Promise<string | null> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

const isJsonType = (contentType: string | null) => !!contentType && /^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim());

/** Same-origin redirects followed before giving up. */
export const MAX_REDIRECTS = 5;

const isRedirect = (response: Response) =>
  response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400 && response.headers.has('location'));

/** The error for a redirect that leaves the key's origin: never followed with the secret. */
export const crossOriginRedirect = (to: string): ReadError => ({
  kind: 'bad-response',
  code: 'cross-origin-redirect',
  message: `redirected to another site, ${to}`,
});

/** The site sends plain http to https on the same host: the key's address should say https. */
// Code `redirect`: the site never answered with a reading, it sent the request elsewhere (said so first, lib/labels.ts).
const httpsUpgrade = (to: string): ReadError => ({ kind: 'bad-response', code: 'redirect', message: `the site moved to https, ${to}` });
const REDIRECT_LOOP: ReadError = { kind: 'bad-response', code: 'redirect', message: 'the site redirects in a loop' };
const TOO_MANY_REDIRECTS: ReadError = { kind: 'bad-response', code: 'redirect', message: 'too many redirects' };
/** A redirect the browser could not follow even without the secret: another site it cannot reach, https, or a loop. */
const REDIRECT_UNREACHABLE: ReadError = {
  kind: 'bad-response',
  code: 'redirect',
  message: 'redirected, and the target could not be reached',
};

/** Where a redirect that leaves `from`'s origin goes, as an error: an upgrade to https on the same host, or another site. */
function leaving(from: URL, to: URL): ReadError {
  const upgrade = from.protocol === 'http:' && to.protocol === 'https:' && from.hostname === to.hostname;
  return upgrade ? httpsUpgrade(to.origin) : crossOriginRedirect(to.origin);
}

/**
 * Sends a GET (a POST when `body` is given) without following redirects, then follows same-origin ones itself
 * (the 301 on the slash-less token route, shared/spec/new-api.md §1.1). A redirect to
 * another origin is an error and is not followed, so the secret, in whatever header
 * it travels, reaches no other site. Browsers hide `Location` on a manual redirect
 * (an opaque redirect): the target is then found by asking once more WITHOUT any
 * secret header and seeing where the browser ends up; only a same-origin target is
 * asked again with the secret. A bounce that leaves and comes back is refused too.
 */
async function send(url: string, headers: Record<string, string>, options: HttpOptions, body?: string): Promise<Response | ReadError> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const left = options.deadline === undefined ? timeoutMs : Math.min(timeoutMs, options.deadline - options.now());
  if (options.signal?.aborted) return STOPPED;
  if (left <= 0) return { kind: 'timeout', message: `no answer within ${Math.round(timeoutMs / 1000)} s` };
  const timeout = AbortSignal.timeout(left);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const origin = new URL(url).origin;
  // A POST carries its body (which may hold the secret: claude-relay-service, relays.md §3.1) only with the secret headers.
  const init = (extra: Record<string, string>, redirect: RequestRedirect, withBody = false): RequestInit => ({
    method: withBody ? 'POST' : 'GET',
    headers: { Accept: 'application/json', ...extra },
    ...(withBody ? { body } : {}),
    redirect,
    credentials: 'omit',
    cache: 'no-store',
    signal,
  });
  let current = url;
  const visited = new Set([new URL(url).href]);
  try {
    for (let hop = 0; ; hop++) {
      // Watched from before it is sent, so the browser's report of its redirect is this request's.
      const watched = await options.watchRedirect?.(current);
      let response: Response;
      let location: string | null;
      try {
        response = await options.fetch(current, init(headers, 'manual', body !== undefined));
        location = !isRedirect(response)
          ? null
          : response.type === 'opaqueredirect'
            ? ((await watched?.target()) ?? null)
            : response.headers.get('location');
      } finally {
        watched?.done();
      }
      if (!isRedirect(response)) {
        // A fetch that followed a redirect anyway (a test double, an old browser) is still checked.
        if (response.url && new URL(response.url).origin !== origin) {
          await response.body?.cancel().catch(() => undefined);
          return leaving(new URL(current), new URL(response.url));
        }
        return response;
      }
      await response.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) return TOO_MANY_REDIRECTS;
      let target: URL;
      if (location !== null) {
        target = new URL(location, current);
      } else {
        // No report of where it went: ask once more without any secret and see where the browser ends up
        // (watched too, so the reports of its hops are not taken for another read's).
        const probe = await options.watchRedirect?.(current);
        const found = await options
          .fetch(current, init({}, 'follow'))
          .catch((cause: unknown) => {
            if (options.signal?.aborted || (cause as { name?: string } | null)?.name === 'TimeoutError') throw cause;
            return null;
          })
          .finally(() => probe?.done());
        if (!found) return REDIRECT_UNREACHABLE;
        await found.body?.cancel().catch(() => undefined);
        target = new URL(found.url || current);
        // Came back to where it started through somewhere else: it left the origin on the way.
        if (target.origin === origin && target.href === new URL(current).href) {
          return found.redirected
            ? crossOriginRedirect('another site and back')
            : { kind: 'bad-response', message: 'redirect with no target' };
        }
      }
      if (target.origin !== origin) return leaving(new URL(current), target);
      // Each hop costs the site a request: a redirect back to a page already asked is a loop, stopped at once.
      if (visited.has(target.href)) return REDIRECT_LOOP;
      visited.add(target.href);
      current = target.href;
    }
  } catch (cause) {
    if (options.signal?.aborted) return STOPPED;
    const name = (cause as { name?: string } | null)?.name;
    return name === 'TimeoutError' || name === 'AbortError'
      ? { kind: 'timeout', message: `no answer within ${Math.round(timeoutMs / 1000)} s` }
      : { kind: 'network', message: 'connection failed' };
  }
}

/**
 * GET a JSON document from a gateway.
 *
 * Transport rules (shared/spec/new-api.md §9): times out; caps the body size; checks
 * `Content-Type` before parsing, so proxy HTML (nginx 502, Cloudflare challenge) and
 * SPA pages are typed errors, never a crash; 429 (empty body, §6.1) becomes
 * `rate-limited` with `Retry-After` honoured (capped at the backoff ceiling). Same-origin
 * redirects (the 301 on the slash-less token route, §1.1) are followed; a redirect to
 * another origin is an error and is never followed (see `send`).
 */
export function getJson(url: string, headers: Record<string, string>, options: HttpOptions): Promise<HttpResult> {
  return requestJson(url, headers, options);
}

/** POSTs `body` as JSON and reads the JSON answer, by the same transport rules as `getJson`. */
export function postJson(url: string, headers: Record<string, string>, body: unknown, options: HttpOptions): Promise<HttpResult> {
  return requestJson(url, { ...headers, 'Content-Type': 'application/json' }, options, JSON.stringify(body));
}

async function requestJson(url: string, headers: Record<string, string>, options: HttpOptions, body?: string): Promise<HttpResult> {
  const refused = options.gate?.(url);
  if (refused) return { ok: false, error: refused };
  const response = await send(url, headers, options, body);
  if ('kind' in response) return { ok: false, error: response };

  const now = options.now();
  const rateLimited = () => fail('rate-limited', 'HTTP 429', parseRetryAfter(response.headers.get('retry-after'), now));
  if (response.status === 429 && !options.answer429) return rateLimited();

  let text: string | null;
  try {
    text = await readCapped(response, options.maxBytes ?? DEFAULT_MAX_BYTES);
  } catch (cause) {
    const name = (cause as { name?: string } | null)?.name;
    return fail(name === 'TimeoutError' ? 'timeout' : 'network', 'connection broke while reading the answer');
  }
  if (text === null) return response.status === 429 ? rateLimited() : fail('bad-response', 'answer larger than a quota reading can be');

  const contentType = response.headers.get('content-type');
  if (response.status === 429 && (!isJsonType(contentType) || text.trim() === '')) return rateLimited();
  if (!isJsonType(contentType) || text.trim() === '') {
    const what = /html/i.test(contentType ?? '') ? 'a web page' : text.trim() === '' ? 'an empty answer' : 'not JSON';
    return fail(response.status >= 500 ? 'server' : 'bad-response', `HTTP ${response.status}, ${what}`);
  }

  try {
    return { ok: true, response: { status: response.status, headers: response.headers, body: JSON.parse(text) } };
  } catch {
    if (response.status === 429) return rateLimited();
    return fail(response.status >= 500 ? 'server' : 'bad-response', `HTTP ${response.status}, malformed JSON`);
  }
}

/**
 * GETs a URL for its status only, cancelling the body (for `/v1/models`, whose model
 * list can be large). Same transport rules as `getJson` for errors and redirects.
 */
export async function probeStatus(url: string, headers: Record<string, string>, options: HttpOptions): Promise<number | ReadError> {
  const response = await send(url, headers, options);
  if ('kind' in response) return response;
  await response.body?.cancel().catch(() => undefined);
  return response.status;
}

/** The generic meaning of an HTTP status on a JSON answer the adapter did not recognise. */
export function errorForStatus(status: number, message: string | undefined): ReadError {
  const detail = `HTTP ${status}${message ? `: ${message}` : ''}`;
  if (status === 401) return { kind: 'auth', message: detail };
  if (status === 403) return { kind: 'forbidden', message: detail };
  if (status === 404) return { kind: 'not-supported', message: detail };
  if (status >= 500) return { kind: 'server', message: detail };
  return { kind: 'bad-response', message: detail };
}

/** Picks a human message out of the usual gateway error envelopes, capped in length. */
export function gatewayMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const nested = record.error && typeof record.error === 'object' ? (record.error as Record<string, unknown>).message : undefined;
  const meta = record.meta && typeof record.meta === 'object' ? (record.meta as Record<string, unknown>).message : undefined;
  const message = [nested, record.message, meta].find((m) => typeof m === 'string' && m.trim() !== '');
  // Cut long before what is shown (lib/redact.ts caps at 200): a secret is redacted before any cut that could split it.
  return typeof message === 'string' ? message.slice(0, 2000) : undefined;
}
