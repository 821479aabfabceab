/**
 * Imitations of claude-relay-service's stats route and Claude Code Hub's self-quota routes
 * (shared/spec/relays.md §3, §4), for the fake gateway. Bodies are served byte for byte as
 * stored: a string is sent as it is; an object as `JSON.stringify` keeps its key order.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeAnswer } from './providers.ts';

export const CLAUDE_FLAVORS = ['claude-relay', 'claude-code-hub'] as const;
export type ClaudeFlavor = (typeof CLAUDE_FLAVORS)[number];

/** relays.md §3.2, verbatim (one line, keys in the server's order). */
export const RELAY_STATS =
  '{"success":true,"data":{"id":"6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b","name":"laptop","description":"","isActive":true,' +
  '"createdAt":"2026-09-01T02:00:00.000Z","expiresAt":"2026-12-31T15:59:59.000Z","expirationMode":"fixed","isActivated":true,' +
  '"activationDays":0,"activatedAt":"2026-09-01T02:00:00.000Z","permissions":[],' +
  '"usage":{"total":{"tokens":5200000,"inputTokens":900000,"outputTokens":300000,"cacheCreateTokens":0,"cacheReadTokens":4000000,"allTokens":5200000,"requests":812,"cost":41.25,"formattedCost":"$41.250000"}},' +
  '"limits":{"tokenLimit":0,"concurrencyLimit":2,"rateLimitWindow":300,"rateLimitRequests":0,"rateLimitCost":10,"dailyCostLimit":20,' +
  '"totalCostLimit":100,"weeklyOpusCostLimit":50,"weeklyResetDay":1,"weeklyResetHour":0,"currentWindowRequests":14,"currentWindowTokens":380000,' +
  '"currentWindowCost":3.5,"currentDailyCost":6.2,"currentTotalCost":41.25,"weeklyOpusCost":12,"windowStartTime":1796711400000,' +
  '"windowEndTime":1796729400000,"windowRemainingSeconds":12600},' +
  '"accounts":{"claudeAccountId":null,"geminiAccountId":null,"openaiAccountId":null,"details":null},' +
  '"restrictions":{"enableModelRestriction":false,"restrictedModels":[],"enableClientRestriction":false,"allowedClients":[]},' +
  '"serviceRates":{}}}';

/** The §3.2 answer with some `data` fields (`limits.*` under `limits`) changed, in the server's key order. */
export function relayStats(data: Record<string, unknown> = {}, limits: Record<string, unknown> = {}, usageCost?: number): string {
  const body = JSON.parse(RELAY_STATS);
  Object.assign(body.data, data);
  Object.assign(body.data.limits, limits);
  if (usageCost !== undefined) body.data.usage.total.cost = usageCost;
  return JSON.stringify(body);
}

/** relays.md §4.2, verbatim. */
export const HUB_QUOTA =
  '{"keyLimit5hUsd":10,"keyLimitDailyUsd":20,"keyLimitWeeklyUsd":null,"keyLimitMonthlyUsd":200,"keyLimitTotalUsd":null,' +
  '"keyLimitConcurrentSessions":0,"keyCurrent5hUsd":2.5,"keyCurrentDailyUsd":4,"keyCurrentWeeklyUsd":31,"keyCurrentMonthlyUsd":50,' +
  '"keyCurrentTotalUsd":480,"keyCurrentConcurrentSessions":0,' +
  '"userLimit5hUsd":null,"userLimitWeeklyUsd":null,"userLimitMonthlyUsd":null,"userLimitTotalUsd":null,"userLimitConcurrentSessions":null,' +
  '"userRpmLimit":null,"userCurrent5hUsd":2.5,"userCurrentDailyUsd":4,"userCurrentWeeklyUsd":31,"userCurrentMonthlyUsd":50,' +
  '"userCurrentTotalUsd":480,"userCurrentConcurrentSessions":0,"userLimitDailyUsd":null,"userExpiresAt":null,"userProviderGroup":null,' +
  '"userName":"alice","userIsEnabled":true,"keyProviderGroup":null,"keyName":"laptop","keyIsEnabled":true,' +
  '"userAllowedModels":[],"userAllowedClients":[],"expiresAt":"2026-12-31T16:00:00.000Z","dailyResetMode":"fixed","dailyResetTime":"00:00"}';

/** The §4.2 quota object with some fields changed, in the server's key order. */
export const hubQuota = (fields: Record<string, unknown> = {}) => JSON.stringify({ ...JSON.parse(HUB_QUOTA), ...fields });

/** One claude-relay key: what its stats say (a body string, or a refusal), and by its id. */
export interface RelayKey {
  /** Answer to `{"apiKey": <this key>}`: a JSON body served with 200, or a refusal. Its `data.id` finds it by `apiId` too. */
  answer: string | FakeAnswer;
  /** Answer to `{"apiId": …}` when it differs (an `apiId`-only refusal, §3.4). */
  byId?: string | FakeAnswer;
  /**
   * The weekly-fields bug by `apiKey` (§3.1): the key's week is configured to start on another
   * day, so by `apiKey` the answer says Monday 00:00 and this figure; by `apiId` it is true.
   */
  mondayWeekCost?: number;
}

/** One Claude Code Hub key: its quota object, or how the hub refuses it (its `/v1/models` 401 type, §4.4). */
export type HubKey = { quota: string } | { refused: 'key_expired' | 'key_disabled' | 'invalid_api_key' | 'user_disabled' | 'user_expired' };

export interface FakeClaudeOptions {
  /** claude-relay: keys by their `cr_…` secret (or by UUID, for keys known only by id). */
  relay?: Record<string, RelayKey>;
  /** claude-relay: the service's key prefix (`config.security.apiKeyPrefix`, `cr_` unless the admin changed it). */
  relayPrefix?: string;
  /** claude-code-hub: keys by secret. */
  hub?: Record<string, HubKey>;
  /** claude-code-hub: no v1 API (before v0.7.4, §4.1): `/api/v1/me/quota` is Next.js's 404 page. */
  noV1?: boolean;
  /** claude-code-hub: the legacy actions API: on (default), `gone` (410, `ENABLE_LEGACY_ACTIONS_API=false`). */
  legacy?: 'on' | 'gone';
  /** claude-code-hub: `SESSION_TOKEN_MODE=opaque` (the default since #806): raw keys refused on both quota routes (§4.1). */
  opaque?: boolean;
  /** What each request carried (path and body), for tests of what the site receives. */
  received?: { method: string; path: string; body: string }[];
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const isAnswer = (v: unknown): v is FakeAnswer => typeof v === 'object' && v !== null && (v as FakeAnswer).fake === 'answer';
function serve(res: ServerResponse, found: string | FakeAnswer) {
  if (!isAnswer(found)) return send(res, 200, found);
  if (found.status === 429) {
    res.writeHead(429, found.retryAfter !== undefined ? { 'Retry-After': String(found.retryAfter) } : {});
    return res.end();
  }
  if (found.html) {
    res.writeHead(found.status, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(String(found.body));
  }
  return send(res, found.status, found.body);
}

const NEXT_404 = '<!DOCTYPE html><html><head><title>404: This page could not be found.</title></head><body><h1>404</h1></body></html>';
const next404 = (res: ServerResponse) => {
  res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(NEXT_404);
};

const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/i;
const idOf = (answer: string | FakeAnswer) => {
  if (isAnswer(answer)) return undefined;
  return (JSON.parse(answer) as { data?: { id?: string } }).data?.id;
};

/** `POST /apiStats/api/user-stats` (relays.md §3.1, §3.4): `apiId` wins when both are given. */
function userStats(options: FakeClaudeOptions, raw: string, res: ServerResponse) {
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(raw);
    if (parsed && typeof parsed === 'object') body = parsed;
  } catch {
    // Not JSON: express leaves the body empty.
  }
  const keys = options.relay ?? {};
  const { apiKey, apiId } = body;
  if (typeof apiId === 'string' && apiId) {
    if (!UUID.test(apiId)) return send(res, 400, { error: 'Invalid API ID format', message: 'API ID must be a valid UUID' });
    const entry = keys[apiId] ?? Object.values(keys).find((k) => idOf(k.answer) === apiId);
    if (!entry) return send(res, 404, { error: 'API key not found', message: 'The specified API key does not exist' });
    return serve(res, entry.byId ?? entry.answer);
  }
  if (typeof apiKey === 'string' && apiKey) {
    if (apiKey.length < 10 || apiKey.length > 512)
      return send(res, 400, { error: 'Invalid API key format', message: 'API key format is invalid' });
    if (!apiKey.startsWith(options.relayPrefix ?? 'cr_'))
      return send(res, 401, { error: 'Invalid API key', message: 'Invalid API key format' });
    const entry = keys[apiKey];
    if (!entry) return send(res, 401, { error: 'Invalid API key', message: 'API key not found' });
    if (entry.mondayWeekCost !== undefined && !isAnswer(entry.answer)) {
      const shown = JSON.parse(entry.answer);
      Object.assign(shown.data.limits, { weeklyResetDay: 1, weeklyResetHour: 0, weeklyOpusCost: entry.mondayWeekCost });
      return send(res, 200, JSON.stringify(shown));
    }
    return serve(res, entry.answer);
  }
  return send(res, 400, { error: 'API Key or ID is required', message: 'Please provide your API Key or API ID' });
}

const problem = (res: ServerResponse, status: number, instance: string, errorCode: string, title: string, detail: string) => {
  res.writeHead(status, { 'Content-Type': 'application/problem+json', 'X-API-Version': '1.0.0' });
  res.end(JSON.stringify({ type: `urn:claude-code-hub:problem:${errorCode}`, title, status, detail, instance, errorCode }));
};

const DEPRECATION = {
  Deprecation: '@1777420800',
  Sunset: 'Thu, 31 Dec 2026 00:00:00 GMT',
  Link: '</api/v1/openapi.json>; rel="successor-version"',
  Warning: '299 - "The /api/actions API is deprecated; use /api/v1"',
};

const REFUSALS: Record<Extract<HubKey, { refused: string }>['refused'], string> = {
  key_expired: 'API Key 已过期',
  key_disabled: 'API Key 已被禁用',
  invalid_api_key: 'API Key 无效',
  user_disabled: '用户账户已被禁用',
  user_expired: '用户账户已过期',
};

/** Claude Code Hub's routes a key may call (relays.md §4.1, §4.4). */
function hub(options: FakeClaudeOptions, req: IncomingMessage, res: ServerResponse, path: string) {
  const header = req.headers.authorization ?? '';
  const secret = header.startsWith('Bearer ') ? header.slice(7) : String(req.headers['x-api-key'] ?? '');
  const key = secret ? options.hub?.[secret] : undefined;
  // A refused key never reaches the quota; neither does a raw key on an opaque-mode hub.
  const quota = key && 'quota' in key && !options.opaque ? key.quota : null;
  // relays.md §7.1 rule 3: the hub's health routes answer anyone (≥ 2026-04-30 and ≥ 2026-04-13).
  if (path === '/api/v1/health' && req.method === 'GET' && !options.noV1)
    return send(res, 200, '{"status":"ok","apiVersion":"1.0.0"}', { 'X-API-Version': '1.0.0' });
  if (path === '/v1/_ping' && req.method === 'GET') return send(res, 200, '{"status":"pong"}');
  if (path === '/api/v1/me/quota' && req.method === 'GET') {
    if (options.noV1) return next404(res);
    if (!secret) return problem(res, 401, path, 'auth.missing', 'Unauthorized', 'Authentication is required.');
    if (quota === null) return problem(res, 401, path, 'auth.invalid', 'Unauthorized', 'Authentication is invalid or expired.');
    return send(res, 200, quota, { 'X-API-Version': '1.0.0' });
  }
  if (path === '/api/actions/my-usage/getMyQuota' && req.method === 'POST') {
    if (options.legacy === 'gone')
      return problem(
        res,
        410,
        path,
        'api.legacy_actions_gone',
        'Legacy actions API is gone',
        'The /api/actions API is disabled. Use the /api/v1 management API instead.',
      );
    if (!secret) return send(res, 401, { ok: false, error: '未认证' }, DEPRECATION);
    if (quota === null) return send(res, 401, { ok: false, error: '认证无效或已过期' }, DEPRECATION);
    return send(res, 200, `{"ok":true,"data":${quota}}`, DEPRECATION);
  }
  if (path === '/v1/models' && req.method === 'GET') {
    // Answered from the hub's own provider settings (§4.1), whatever the session mode.
    const type = key && 'refused' in key ? key.refused : key ? null : 'invalid_api_key';
    if (type) return send(res, 401, { error: { message: REFUSALS[type], type } });
    return send(res, 200, { object: 'list', data: [] });
  }
  return next404(res);
}

/** Answers one request for a claude flavour; `body` is the request's body as received. */
export function handleClaude(
  flavor: ClaudeFlavor,
  options: FakeClaudeOptions | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  const own = options ?? {};
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    own.received?.push({ method: req.method ?? 'GET', path, body });
    if (flavor === 'claude-code-hub') return hub(own, req, res, path);
    if (path === '/apiStats/api/user-stats' && req.method === 'POST') return userStats(own, body, res);
    // relays.md §7.1 rule 3: the service's health route names it, to anyone.
    if (path === '/health' && req.method === 'GET')
      return send(res, 200, {
        status: 'healthy',
        service: 'claude-relay-service',
        version: '1.1.314',
        timestamp: '2026-12-08T08:00:00.000Z',
      });
    // Unknown route (§3.4).
    return send(res, 404, { error: 'Not Found', message: `Route ${req.method} ${path} not found`, timestamp: '2026-12-08T08:00:00.000Z' });
  });
}
