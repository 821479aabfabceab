/**
 * A watched account's tokens and plans as virtual keys (automation.md §3.3,
 * new-api-accounts.md §A.4, §B): rows in the popup, and alerts, history and
 * forecasts judged like any key's. Virtual ids are stable: `<account>:token:<id>`,
 * `<account>:plan:<id>`. Nothing here carries the account's secret.
 */

import { type Alert, judgeAlerts } from './alerts';
import { addPoint, type Point, TOKEN_TIERS, trendOf } from './history';
import type { TokenReading } from './providers/newapi/account-tokens';

/** Most tokens of one account that keep a history (and so a trend): about 1 KB each. */
export const MAX_TOKEN_SERIES = 100;

import type { KeyConfig, KeyStatus, Reading } from './model';
import type { PlanReading } from './providers/newapi/plans';
import { type KeyView, keyState, type Settings, STATE_SEVERITY } from './state';
import { planWindow } from './windows';

export const tokenKeyId = (accountId: string, tokenId: number) => `${accountId}:token:${tokenId}`;
export const planKeyId = (accountId: string, planId: number) => `${accountId}:plan:${planId}`;

type Child = { key: KeyConfig; status: KeyStatus };

const virtualKey = (account: KeyConfig, id: string, label: string): KeyConfig => ({
  id,
  label,
  baseUrl: account.baseUrl,
  kind: 'newapi-token',
  secret: '',
  createdAt: account.createdAt,
  updatedAt: account.updatedAt,
  ...(account.snoozedUntil !== undefined ? { snoozedUntil: account.snoozedUntil } : {}),
  // A muted account's tokens and plans are muted with it: never announced, never counted.
  ...(account.muted ? { muted: true } : {}),
});

function tokenStatus(token: TokenReading, account: Reading, status: KeyStatus, id: string): KeyStatus {
  const reading: Reading = {
    kind: 'newapi-token',
    scope: 'key',
    unit: account.unit,
    unlimited: token.unlimited,
    remaining: token.remaining,
    granted: token.granted,
    used: token.used,
    expiresAt: token.expiresAt,
    name: token.name,
    ...(token.modelLimits ? { modelLimits: token.modelLimits } : {}),
    fetchedAt: account.fetchedAt,
  };
  const at = status.attemptedAt ?? account.fetchedAt;
  // The account's failure, or the token list's, leaves the token's last figures unconfirmed: it is the
  // account's failure (code `account`), never a refusal of this token, which may work perfectly well.
  const inherited = status.error ?? (account.tokensError ? { ...account.tokensError, at } : null);
  let error: KeyStatus['error'] = inherited ? { ...inherited, code: 'account' } : null;
  // §A.4: status 2 (and a stored 3 or 4) means the gateway refuses the token.
  if (!error && token.status !== 1) error = { kind: 'forbidden', message: `status ${token.status} (disabled on the gateway)`, at };
  const memory = status.children?.[id];
  return {
    reading,
    error,
    attemptedAt: status.attemptedAt,
    failures: 0,
    detectedKind: 'newapi-token',
    ...(memory?.trend ? { trend: memory.trend } : {}),
    ...(memory?.alert ? { alert: memory.alert } : {}),
  };
}

/** The account's tokens as virtual keys with their statuses; none unless the account watches them. */
export function tokenChildren(account: KeyConfig, status: KeyStatus | undefined): Child[] {
  const reading = status?.reading;
  if (!status || !reading || !account.watchTokens || !reading.tokens) return [];
  return reading.tokens.map((token) => {
    const id = tokenKeyId(account.id, token.id);
    return { key: virtualKey(account, id, token.name || `#${token.id}`), status: tokenStatus(token, reading, status, id) };
  });
}

/** The account's active plans as virtual keys, each a window, judged for alerts only (the account row shows them). */
export function planChildren(account: KeyConfig, status: KeyStatus | undefined): Child[] {
  const reading = status?.reading;
  if (!reading?.plans) return [];
  return reading.plans.map((plan: PlanReading) => {
    const id = planKeyId(account.id, plan.id);
    const memory = status?.children?.[id];
    const title = plan.title ?? `Plan #${plan.planId}`;
    return {
      key: virtualKey(account, id, `${account.label} · ${title}`),
      status: {
        // The plan as a window (lib/windows.ts): full until its reset is `capped`, under the low share `low`.
        reading: {
          kind: 'newapi-user',
          scope: 'account',
          unit: reading.unit,
          unlimited: plan.unlimited,
          remaining: null,
          granted: null,
          used: null,
          windows: [planWindow(plan, reading.unit.code, title)],
          expiresAt: plan.endsAt,
          fetchedAt: reading.fetchedAt,
        },
        error: null,
        attemptedAt: status?.attemptedAt ?? null,
        failures: 0,
        ...(memory?.alert ? { alert: memory.alert } : {}),
      },
    };
  });
}

const bySeverity = (a: KeyView, b: KeyView) => STATE_SEVERITY[a.state] - STATE_SEVERITY[b.state] || a.key.label.localeCompare(b.key.label);

/** One watched account's token rows, worst first. */
export function tokenViews(account: KeyConfig, status: KeyStatus | undefined, settings: Settings, now: number): KeyView[] {
  return tokenChildren(account, status)
    .map(({ key, status: s }) => ({
      key,
      status: s,
      state: keyState(key, s, settings, now),
      parent: { id: account.id, label: account.label },
    }))
    .sort(bySeverity);
}

/** Ranked key views with each watched account's token rows placed right after it. */
export function withTokenViews(ranked: readonly KeyView[], settings: Settings, now: number): KeyView[] {
  return ranked.flatMap((view) => [view, ...tokenViews(view.key, view.status, settings, now)]);
}

/** Every row, worst first (for the badge): keys and watched tokens together. */
export function allViewsBySeverity(ranked: readonly KeyView[], settings: Settings, now: number): KeyView[] {
  return [...withTokenViews(ranked, settings, now)].sort((a, b) => STATE_SEVERITY[a.state] - STATE_SEVERITY[b.state]);
}

/** The virtual ids of an account's tokens and plans in a status (to load their history). */
export function childIdsOf(account: KeyConfig, status: KeyStatus | undefined): string[] {
  return [...tokenChildren(account, status), ...planChildren(account, status)].map((child) => child.key.id);
}

/**
 * The engine's commit step for an account's tokens and plans: extends each token's
 * history, judges alerts for tokens and plans against their memory, and drops the
 * memory and history of tokens and plans that are gone. A token list that failed
 * this time keeps the last known tokens. Mutates `history`; returns the account's
 * new status and what to announce.
 */
export function judgeChildren(
  account: KeyConfig,
  status: KeyStatus,
  previous: KeyStatus | undefined,
  history: Record<string, Point[]>,
  settings: Settings,
  now: number,
): { status: KeyStatus; alerts: { key: KeyConfig; alert: Alert }[] } {
  let next: KeyStatus = { ...status, ...(previous?.children ? { children: previous.children } : {}) };
  const reading = next.reading;
  if (reading?.tokensError && !reading.tokens && previous?.reading?.tokens) {
    next = { ...next, reading: { ...reading, tokens: previous.reading.tokens } };
  }
  if (reading?.plansError && !reading.plans && previous?.reading?.plans) {
    next = { ...next, reading: { ...(next.reading as Reading), plans: previous.reading.plans } };
  }
  const fresh = !next.error && !next.reading?.tokensError;
  const children: NonNullable<KeyStatus['children']> = {};
  const alerts: { key: KeyConfig; alert: Alert }[] = [];
  const withSeries = new Set<string>();
  for (const child of [...tokenChildren(account, next), ...planChildren(account, next)]) {
    let s = child.status;
    const r = s.reading;
    const isToken = child.key.kind === 'newapi-token';
    // History for the first MAX_TOKEN_SERIES tokens (those needing attention first, lib/reading-budget.ts), a week each.
    if (isToken && r && r.remaining !== null && !r.unlimited && withSeries.size < MAX_TOKEN_SERIES) withSeries.add(child.key.id);
    if (withSeries.has(child.key.id) && fresh && r && r.remaining !== null) {
      history[child.key.id] = addPoint(history[child.key.id] ?? [], r.fetchedAt, r.remaining, TOKEN_TIERS);
      s = { ...s, trend: trendOf(history[child.key.id] as Point[], now) };
    }
    const judged = judgeAlerts(child.key, s, keyState(child.key, s, settings, now), s.alert, settings, now);
    children[child.key.id] = { alert: judged.memory, ...(s.trend ? { trend: s.trend } : {}) };
    for (const alert of judged.alerts) alerts.push({ key: child.key, alert });
  }
  // Gone tokens and plans, and tokens past the series cap, take their history along.
  for (const id of Object.keys(history)) if (id.startsWith(`${account.id}:`) && (!children[id] || !withSeries.has(id))) delete history[id];
  const { children: _old, ...rest } = next;
  return { status: Object.keys(children).length ? { ...rest, children } : rest, alerts };
}
