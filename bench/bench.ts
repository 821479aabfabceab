/**
 * Speed and size figures, printed, never asserted: `npm run bench` (builds first).
 *
 * 1. A poll cycle of 500 keys on 50 sites with 50 ms server latency: wall time, and
 *    its ratio to the lower bound the concurrency caps allow.
 * 2. Requests per key per cycle, by kind, against what each kind needs.
 * 3. Storage writes per cycle.
 * 4. Popup time to show 500 cached keys in real Chromium, against an empty extension
 *    page loaded in the same run.
 * 5. Popup and background bundle sizes, raw and gzip.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/fixtures';
import { CONCURRENCY, createEngine } from '../lib/engine';
import { STORAGE_VERSION } from '../lib/migrations';
import type { KeyConfig, KeyStatus, ResolvedKind } from '../lib/model';
import { STORED } from '../lib/storage-layout';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { memoryStore } from './memory-item';

const LATENCY_MS = 50;
const SITES = 50;
const KEYS_PER_SITE = 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function pollCycle() {
  const secret = (site: number, i: number) => `s${site}k${i}`.padEnd(48, 'q');
  const gateways: FakeGateway[] = [];
  for (let s = 0; s < SITES; s++) {
    gateways.push(
      await startGateway({
        flavor: 'new-api',
        latencyMs: LATENCY_MS,
        tokens: Array.from({ length: KEYS_PER_SITE }, (_, i) => ({ key: secret(s, i), remain: 4_000_000, used: 1_000_000 })),
      }),
    );
  }
  const keys: KeyConfig[] = gateways.flatMap((g, s) =>
    Array.from({ length: KEYS_PER_SITE }, (_, i) => ({
      id: `${s}-${i}`,
      label: `site ${s} key ${i}`,
      baseUrl: g.url,
      kind: 'newapi-token' as const,
      secret: secret(s, i),
      createdAt: 0,
      updatedAt: 0,
    })),
  );
  const store = memoryStore(keys);
  let clock = Date.UTC(2026, 10, 22);
  const engine = createEngine({ fetch: (...a) => fetch(...a), now: () => clock, hasHostAccess: async () => true, ...store.deps });

  const timed = async () => {
    const writesBefore = store.writes;
    const requestsBefore = gateways.reduce((n, g) => n + g.requests.length, 0);
    const started = performance.now();
    const summary = await engine.pollDue();
    return {
      wall: performance.now() - started,
      keys: summary.total,
      ok: summary.ok,
      writes: store.writes - writesBefore,
      requests: gateways.reduce((n, g) => n + g.requests.length, 0) - requestsBefore,
    };
  };
  const cold = await timed();
  clock += 60 * 60_000;
  const warm = await timed();
  await Promise.all(gateways.map((g) => g.close()));

  // Each key holds a slot for its sequential requests (token route, then /v1/models).
  const perKey = warm.requests / warm.keys;
  const bound = Math.max(
    (keys.length * perKey * LATENCY_MS) / CONCURRENCY.total,
    (KEYS_PER_SITE * perKey * LATENCY_MS) / CONCURRENCY.perOrigin,
  );
  console.log(
    `\n1. Poll cycle: ${keys.length} keys on ${SITES} sites, ${LATENCY_MS} ms latency, caps ${CONCURRENCY.total} overall / ${CONCURRENCY.perOrigin} per site`,
  );
  console.log(
    `   first cycle (also reads each site's /api/status): ${ms(cold.wall)}, ${cold.ok}/${cold.keys} read, ${cold.requests} requests`,
  );
  console.log(`   next cycle: ${ms(warm.wall)}, lower bound ${ms(bound)}, ratio ${(warm.wall / bound).toFixed(2)}`);
  return () => console.log(`\n3. Storage writes per cycle: first ${cold.writes}, next ${warm.writes}`);
}

async function requestsByKind() {
  const healthy = 'kindkind'.repeat(6);
  const newApi = await startGateway({
    flavor: 'new-api',
    tokens: [{ key: healthy, remain: 4_000_000, used: 1_000_000 }],
    users: [{ id: 7, accessToken: 'bench-access-token-0123456789', quota: 1_000_000, usedQuota: 0 }],
  });
  const oneApi = await startGateway({ flavor: 'one-api', tokens: [{ key: healthy, remain: 4_000_000, used: 1_000_000 }] });
  const r9s = await startGateway({ flavor: 'r9s', r9s: [{ key: 'sk_mg_0123', balance: 10 }] });
  const key = (id: string, baseUrl: string, kind: ResolvedKind, secret: string, userId?: number): KeyConfig => ({
    id,
    label: id,
    baseUrl,
    kind,
    secret,
    ...(userId ? { userId } : {}),
    createdAt: 0,
    updatedAt: 0,
  });
  // Each kind's own paths, so kinds sharing a site are counted apart.
  const cases: { key: KeyConfig; site: FakeGateway; paths: RegExp; needs: number; why: string }[] = [
    {
      key: key('token', newApi.url, 'newapi-token', healthy),
      site: newApi,
      paths: /^\/(api\/usage\/token\/|v1\/models)/,
      needs: 2,
      why: 'token usage + /v1/models (the route shows disabled keys as healthy)',
    },
    {
      key: key('billing', oneApi.url, 'openai-billing', healthy),
      site: oneApi,
      paths: /dashboard\/billing/,
      needs: 2,
      why: 'subscription + usage',
    },
    {
      key: key('account', newApi.url, 'newapi-user', 'bench-access-token-0123456789', 7),
      site: newApi,
      paths: /^\/api\/user\/self/,
      needs: 1,
      why: '/api/user/self',
    },
    { key: key('r9s', r9s.url, 'r9s-manager', 'sk_mg_0123'), site: r9s, paths: /management/, needs: 2, why: 'balance + 7-day usage' },
  ];
  const store = memoryStore(cases.map((c) => c.key));
  let clock = Date.UTC(2026, 10, 22);
  const engine = createEngine({ fetch: (...a) => fetch(...a), now: () => clock, hasHostAccess: async () => true, ...store.deps });
  await engine.pollDue();
  clock += 60 * 60_000;
  const count = (c: (typeof cases)[number]) => c.site.requests.filter((r) => c.paths.test(r.path)).length;
  const before = cases.map(count);
  await engine.pollDue();
  console.log('\n2. Requests per key per cycle (warm; /api/status is read once a day per site on top)');
  cases.forEach((c, i) => {
    console.log(`   ${c.key.kind.padEnd(15)} ${count(c) - (before[i] ?? 0)}  (needs ${c.needs}: ${c.why})`);
  });
  await Promise.all([newApi.close(), oneApi.close(), r9s.close()]);
}

async function popupTime() {
  const extension = resolve('.output/chrome-mv3');
  const empty = mkdtempSync(join(tmpdir(), 'qg-empty-'));
  writeFileSync(
    join(empty, 'manifest.json'),
    JSON.stringify({ manifest_version: 3, name: 'empty', version: '1.0', background: { service_worker: 'sw.js' } }),
  );
  writeFileSync(join(empty, 'sw.js'), '');
  writeFileSync(
    join(empty, 'empty.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>empty</title></head><body></body></html>',
  );
  const profile = mkdtempSync(join(tmpdir(), 'qg-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [`--disable-extensions-except=${extension},${empty}`, `--load-extension=${extension},${empty}`, ...CHROMIUM_FLAGS],
  });
  const deadline = Date.now() + 20_000;
  while (context.serviceWorkers().length < 2 && Date.now() < deadline)
    await context.waitForEvent('serviceworker', { timeout: 20_000 }).catch(() => undefined);
  const ids = context.serviceWorkers().map((w) => new URL(w.url()).host);
  const ours = context.serviceWorkers().find((w) => w.url().endsWith('/background.js'));
  const ourId = ours ? new URL(ours.url()).host : '';
  const emptyId = ids.find((id) => id !== ourId) ?? '';

  const seed = async (count: number) => {
    const now = Date.now();
    const keys: KeyConfig[] = Array.from({ length: count }, (_, i) => ({
      id: `k${i}`,
      label: `Key ${i}`,
      baseUrl: `https://relay-${i % 50}.example.com`,
      kind: 'newapi-token',
      secret: `sk-${String(i).padStart(48, '0')}`,
      createdAt: now,
      updatedAt: now,
    }));
    const statuses: Record<string, KeyStatus> = Object.fromEntries(
      keys.map((k, i) => [
        k.id,
        {
          reading: {
            kind: 'newapi-token',
            scope: 'key',
            unit: { code: i % 3 ? 'USD' : 'CNY' },
            unlimited: false,
            remaining: (i * 7.3) % 50,
            granted: 50,
            used: 50 - ((i * 7.3) % 50),
            expiresAt: i % 4 ? null : Math.floor(now / 1000) + i * 3600,
            name: `token ${i}`,
            fetchedAt: now,
          },
          error: null,
          attemptedAt: now,
          failures: 0,
          trend: {
            burnPerDay: 1.5,
            runsOutAt: now + 5 * 86_400_000,
            sparkline: Array.from({ length: 20 }, (_, j) => [Math.floor(now / 60000) - (20 - j) * 360, 50 - j]),
          },
        } satisfies KeyStatus,
      ]),
    );
    await ours?.evaluate(
      async (data) => {
        // @ts-expect-error chrome is the extension API inside the service worker
        await chrome.storage.local.set(data);
      },
      // Laid out as the extension stores them: one status item per key.
      { keys, storageVersion: STORAGE_VERSION, ...Object.fromEntries(Object.entries(statuses).map(([id, st]) => [STORED.status(id), st])) },
    );
  };

  const page = await context.newPage();
  const runs = 15;
  /** Milliseconds from navigation start until `rows` rows are in the page and a frame has been painted with them. */
  const open = async (rows: number) => {
    await page.goto(`chrome-extension://${ourId}/popup.html`);
    const handle = await page.waitForFunction(
      (n) =>
        document.querySelectorAll('[data-key-row]').length >= n && new Promise((r) => requestAnimationFrame(() => r(performance.now()))),
      rows,
      { polling: 'raf' },
    );
    return (await handle.jsonValue()) as number;
  };
  const emptyPage = async () => {
    await page.goto(`chrome-extension://${emptyId}/empty.html`);
    return page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))));
  };
  const measure = async (count: number, rows: number) => {
    await seed(count);
    const popup: number[] = [];
    const blank: number[] = [];
    // The first two runs warm the browser's caches.
    for (let i = 0; i < runs + 2; i++) {
      const e = await emptyPage();
      const p = await open(rows);
      if (i >= 2) {
        blank.push(e);
        popup.push(p);
      }
    }
    return { popup: median(popup), blank: median(blank) };
  };
  const few = await measure(5, 5);
  const firstScreen = await measure(500, 30);
  const all = await measure(500, 500);
  console.log(
    `\n4. Popup in real Chromium, from navigation to a painted frame (median of ${runs}; empty extension page measured alongside)`,
  );
  for (const [what, m] of [
    ['5 keys', few],
    ['500 keys, first screen (30 worst rows)', firstScreen],
    ['500 keys, all rows', all],
  ] as const) {
    console.log(
      `   ${what.padEnd(40)} ${ms(m.popup).padStart(7)}  empty page ${ms(m.blank).padStart(6)}  ratio ${(m.popup / m.blank).toFixed(2)}`,
    );
  }
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
}

function sizes() {
  const dir = resolve('.output/chrome-mv3');
  const html = readFileSync(join(dir, 'popup.html'), 'utf8');
  const files = new Set<string>(['popup.html']);
  const queue = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  while (queue.length) {
    const file = queue.shift() as string;
    if (files.has(file)) continue;
    files.add(file);
    if (file.endsWith('.js')) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/from\s*"\.\/([^"]+\.js)"|import\("\.\/([^"]+\.js)"\)/g)) {
        queue.push(`chunks/${m[1] ?? m[2]}`);
      }
    }
  }
  const measure = (list: string[]) =>
    list.reduce(
      (acc, f) => {
        const body = readFileSync(join(dir, f));
        return { raw: acc.raw + statSync(join(dir, f)).size, gzip: acc.gzip + gzipSync(body, { level: 9 }).length };
      },
      { raw: 0, gzip: 0 },
    );
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const popup = measure([...files]);
  const background = measure(['background.js']);
  console.log('\n5. Bundle sizes (production build)');
  console.log(`   popup: ${kb(popup.raw)} raw, ${kb(popup.gzip)} gzip (${[...files].join(', ')})`);
  console.log(`   background: ${kb(background.raw)} raw, ${kb(background.gzip)} gzip`);
}

/**
 * 6. Bytes written to storage in one simulated day: 500 keys on 50 sites at default
 * settings, the alarm every minute, against the fake gateways (no latency). Counted
 * as the JSON the extension hands to `storage.local.set`.
 */
async function writesPerDay() {
  const secret = (site: number, i: number) => `d${site}k${i}`.padEnd(48, 'w');
  const gateways: FakeGateway[] = [];
  for (let s = 0; s < SITES; s++) {
    gateways.push(
      await startGateway({
        flavor: 'new-api',
        tokens: Array.from({ length: KEYS_PER_SITE }, (_, i) => ({ key: secret(s, i), remain: 40_000_000, used: 1_000_000 })),
      }),
    );
  }
  const keys: KeyConfig[] = gateways.flatMap((g, s) =>
    Array.from({ length: KEYS_PER_SITE }, (_, i) => ({
      id: `${s}-${i}`,
      label: `site ${s} key ${i}`,
      baseUrl: g.url,
      kind: 'newapi-token' as const,
      secret: secret(s, i),
      createdAt: 0,
      updatedAt: 0,
    })),
  );
  const store = memoryStore(keys);
  const start = Date.UTC(2026, 10, 22, 9);
  let clock = start;
  const engine = createEngine({ fetch: (...a) => fetch(...a), now: () => clock, hasHostAccess: async () => true, ...store.deps });
  // A first day fills the history, so the measured day pays for its daily archive rewrite.
  const day = 24 * 60;
  let measuredFrom = 0;
  let reads = 0;
  for (let minute = 0; minute < 2 * day; minute++) {
    clock = start + minute * 60_000;
    if (minute === day) measuredFrom = store.area.bytes;
    const summary = await engine.pollDue();
    if (minute >= day) reads += summary.total;
    // The user spends a little every hour, so every reading is new.
    if (minute % 60 === 0) {
      for (const t of gateways.flatMap((g) => g.options.tokens ?? [])) {
        t.remain -= 20_000;
        t.used += 20_000;
      }
    }
  }
  await Promise.all(gateways.map((g) => g.close()));
  const written = store.area.bytes - measuredFrom;
  console.log(`\n6. Storage written in a simulated day: ${keys.length} keys on ${SITES} sites, default settings`);
  console.log(
    `   ${(written / 1024 / 1024).toFixed(1)} MiB in ${reads} reads (${(written / Math.max(1, reads)).toFixed(0)} bytes a read); goal under 50 MiB`,
  );
}

const printWrites = await pollCycle();
await requestsByKind();
await writesPerDay();
printWrites();
await popupTime();
sizes();
