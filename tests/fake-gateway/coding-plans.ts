/**
 * Imitations of the coding plans of shared/spec/relays.md §5 (GLM / Z.ai) and §6 (Kimi
 * Code), for the fake gateway. Each answers its route with what is stored for the
 * caller's key: a JSON text served byte for byte as the spec writes it, any other value
 * as JSON, or a `FakeAnswer` (status, empty body, 429 with `Retry-After`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeAnswer, FakeProviderOptions } from './providers.ts';

export const CODING_PLAN_FLAVORS = ['glm-coding', 'kimi-code'] as const;
export type CodingPlanFlavor = (typeof CODING_PLAN_FLAVORS)[number];

/** Each plan's route (shared/spec/automation.md §2). */
export const CODING_PLAN_PATHS: Record<CodingPlanFlavor, string> = {
  'glm-coding': '/api/monitor/usage/quota/limit',
  'kimi-code': '/coding/v1/usages',
};

/** A GLM key that the gateway takes only with `Bearer ` (relays.md §8.4 scenario 7): raw gets HTTP 401. */
export interface BearerOnly {
  fake: 'bearer-only';
  answer: unknown;
}
export const bearerOnly = (answer: unknown): BearerOnly => ({ fake: 'bearer-only', answer });

// Refusals of an unknown key: relays.md §5, §6 leave the bodies unconfirmed; these are made up in the documented envelopes.
const GLM_REFUSAL = '{"code":401,"msg":"token expired or incorrect","success":false}';
const KIMI_REFUSAL = '{"error":{"message":"Authorization failed. Please check your API key","type":"invalid_authentication_error"}}';

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const isFake = (v: unknown, kind: string): boolean => typeof v === 'object' && v !== null && (v as { fake?: unknown }).fake === kind;

/** Answers one request for a coding-plan flavour; the keys are `options.accounts` (secret → answer). */
export function handleCodingPlan(
  flavor: CodingPlanFlavor,
  options: FakeProviderOptions | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  if (path !== CODING_PLAN_PATHS[flavor] || req.method !== 'GET') return send(res, 404, { error: { message: `Not found: ${path}` } });
  const header = String(req.headers.authorization ?? '');
  const bearer = header.startsWith('Bearer ');
  // GLM reads the raw header (relays.md §5) and, like the clients that send it, `Bearer `; Kimi only `Bearer ` (§6).
  if (flavor === 'kimi-code' && !bearer) return send(res, 401, KIMI_REFUSAL);
  const secret = bearer ? header.slice(7) : header;
  let found = options?.accounts[secret];
  if (isFake(found, 'bearer-only')) found = bearer ? (found as BearerOnly).answer : undefined;
  if (found === undefined) return send(res, 401, flavor === 'glm-coding' ? GLM_REFUSAL : KIMI_REFUSAL);
  if (isFake(found, 'answer')) {
    const a = found as FakeAnswer;
    return send(res, a.status, a.body ?? '', a.retryAfter !== undefined ? { 'Retry-After': String(a.retryAfter) } : {});
  }
  return send(res, 200, found);
}
