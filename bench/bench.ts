/**
 * Speed and size figures, printed, never asserted: `npm run bench` (builds first).
 *
 * 1. A poll cycle of 500 keys on 50 sites with 50 ms server latency: wall time, and
 *    its ratio to the lower bound the concurrency caps allow.
 * 2. Requests per key per cycle, by kind, against what each kind needs.
 * 3. Storage writes per cycle.
 * 4. Issue #9's popup speed table (bench/speed-table.ts), against a trivial WXT + Preact
 *    popup loaded in the same Chromium run.
 * 5. Popup and background bundle sizes, raw and gzip.
 */
import { execSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONCURRENCY, createEngine } from '../lib/engine';
import type { KeyConfig, ResolvedKind } from '../lib/model';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { memoryStore } from './memory-item';
import { speedTable } from './speed-table';

const LATENCY_MS = 50;
const SITES = 50;
const KEYS_PER_SITE = 10;
const _median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ms = (n: number) => `${n.toFixed(0)} ms`;

/** SITES new-api imitations with KEYS_PER_SITE keys each, and the keys for them. */
async function startSites(seed: string, options: { latencyMs: number; remain: number }) {
  const secret = (site: number, i: number) => `${seed}${site}k${i}`.padEnd(48, 'q');
  const gateways: FakeGateway[] = [];
  for (let s = 0; s < SITES; s++) {
    gateways.push(
      await startGateway({
        now: Date.now,
        flavor: 'new-api',
        latencyMs: options.latencyMs,
        tokens: Array.from({ length: KEYS_PER_SITE }, (_, i) => ({ key: secret(s, i), remain: options.remain, used: 1_000_000 })),
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
  return { gateways, keys };
}

async function pollCycle() {
  const { gateways, keys } = await startSites('s', { latencyMs: LATENCY_MS, remain: 4_000_000 });
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
    now: Date.now,
    flavor: 'new-api',
    tokens: [{ key: healthy, remain: 4_000_000, used: 1_000_000 }],
    users: [{ id: 7, accessToken: 'bench-access-token-0123456789', quota: 1_000_000, usedQuota: 0 }],
  });
  const oneApi = await startGateway({ now: Date.now, flavor: 'one-api', tokens: [{ key: healthy, remain: 4_000_000, used: 1_000_000 }] });
  const r9s = await startGateway({ now: Date.now, flavor: 'r9s', r9s: [{ key: 'sk_mg_0123', balance: 10 }] });
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
  const { gateways, keys } = await startSites('d', { latencyMs: 0, remain: 40_000_000 });
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
// The e2e build: the same code with loopback host access, so Refresh can reach the local gateways.
execSync('npx wxt build', { stdio: 'ignore', env: { ...process.env, QG_BUILD: 'e2e' } });
await speedTable(resolve('.output/chrome-mv3-e2e'));
sizes();
