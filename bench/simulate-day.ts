/**
 * 24 simulated hours of polling against a fake new-api that enforces the default
 * rate limits (shared/spec/new-api.md §6.1: GA 180/180 s, CT 20/1200 s per IP),
 * while the user logs in to the same site now and then (logins share the CT bucket).
 *
 *   npm run simulate            # 10 keys on one site, default settings
 *   KEYS=25 npm run simulate
 */
import { createEngine } from '../lib/engine';
import type { KeyConfig } from '../lib/model';
import { TOKEN_ROUTE_BUDGET } from '../lib/schedule';
import { DEFAULT_SETTINGS } from '../lib/state';
import { startGateway } from '../tests/fake-gateway/gateway';
import { memoryStore } from './memory-item';

export interface DayFigures {
  keys: number;
  hours: number;
  requests: Record<string, number>;
  refused429: number;
  loginsTried: number;
  loginsRefused: number;
  /** Most token-route requests the extension made in any 20-minute window. */
  tokenRoutePeakPerWindow: number;
  readsPerKey: { min: number; max: number };
  viaBilling: number;
  heldBack: number;
}

export async function simulateDay(options: {
  keys: number;
  hours?: number;
  loginsPerHour?: number;
  intervalMinutes?: number;
}): Promise<DayFigures> {
  const hours = options.hours ?? 24;
  const start = Date.UTC(2026, 10, 22);
  let clock = start;
  const secrets = Array.from({ length: options.keys }, (_, i) => `sim${i}`.padEnd(48, 'x'));
  const gateway = await startGateway({
    flavor: 'new-api',
    rateLimits: true,
    now: () => clock,
    tokens: secrets.map((key, i) => ({ key, name: `key ${i}`, remain: 50_000_000 - i * 1000, used: i * 1000 })),
  });
  const keys: KeyConfig[] = secrets.map((secret, i) => ({
    id: `key-${i}`,
    label: `key ${i}`,
    baseUrl: gateway.url,
    kind: 'newapi-token',
    secret,
    createdAt: start,
    updatedAt: start,
  }));
  const store = memoryStore(keys, { intervalMinutes: options.intervalMinutes ?? DEFAULT_SETTINGS.intervalMinutes });
  const engine = createEngine({
    fetch: (...args) => fetch(...args),
    now: () => clock,
    hasHostAccess: async () => true,
    ...store.deps,
  });

  const reads = new Map<string, number>();
  let viaBilling = 0;
  let heldBack = 0;
  let loginsTried = 0;
  const loginEvery = Math.round(60 / (options.loginsPerHour ?? 3));
  for (let minute = 0; minute < hours * 60; minute++) {
    clock = start + minute * 60_000;
    const before = store.data.statuses;
    await engine.pollDue();
    for (const [id, status] of Object.entries(store.data.statuses)) {
      if (status.attemptedAt === before[id]?.attemptedAt) continue;
      if (status.error?.heldBack) heldBack++;
      else if (status.reading && status.reading.fetchedAt === clock) reads.set(id, (reads.get(id) ?? 0) + 1);
    }
    if (minute % loginEvery === 7 % loginEvery) {
      loginsTried++;
      await fetch(`${gateway.url}/api/user/login`);
    }
  }

  const requests: Record<string, number> = {};
  for (const r of gateway.requests) {
    const path = r.path.replace(/\?.*/, '');
    requests[path] = (requests[path] ?? 0) + 1;
  }
  // Billing reads that stood in for the token route: subscription calls by newapi-token keys.
  viaBilling = requests['/v1/dashboard/billing/subscription'] ?? 0;
  await gateway.close();

  // The window peak, from the gateway's own clock.
  const times = gateway.requests.filter((r) => r.path === '/api/usage/token/' && r.status !== 429).map((r) => r.at);
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= TOKEN_ROUTE_BUDGET.windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  const counts = keys.map((k) => reads.get(k.id) ?? 0);
  return {
    keys: options.keys,
    hours,
    requests,
    refused429: gateway.refused,
    loginsTried,
    loginsRefused: gateway.loginsRefused,
    tokenRoutePeakPerWindow: peak,
    readsPerKey: { min: Math.min(...counts), max: Math.max(...counts) },
    viaBilling,
    heldBack,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const keys = Number(process.env.KEYS ?? 10);
  const figures = await simulateDay({ keys });
  console.log(
    `24 h, ${figures.keys} newapi-token keys on one new-api site, default settings (every ${DEFAULT_SETTINGS.intervalMinutes} min)`,
  );
  console.log('requests by path:');
  for (const [path, n] of Object.entries(figures.requests).sort()) console.log(`  ${String(n).padStart(6)}  ${path}`);
  console.log(`429 answers: ${figures.refused429} (user logins refused: ${figures.loginsRefused} of ${figures.loginsTried})`);
  console.log(
    `token-route peak in any 20 min: ${figures.tokenRoutePeakPerWindow} of the site's 20 (Quota Glance keeps to ${TOKEN_ROUTE_BUDGET.requests})`,
  );
  console.log(
    `reads per key: ${figures.readsPerKey.min}–${figures.readsPerKey.max}; via billing: ${figures.viaBilling}; held back: ${figures.heldBack}`,
  );
}
