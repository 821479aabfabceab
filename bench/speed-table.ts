/**
 * Issue #9's speed table, printed by `npm run bench`: the popup against a trivial
 * WXT + Preact popup loaded in the same Chromium run (the ratio is what counts).
 *
 * - popup main UI: navigation to a painted frame with every key's row in the DOM;
 * - the contract's floor: the same for a popup that draws N bare rows (`buildFloor`);
 * - the floor with the read: the same bare rows drawn from one `get` of the stored keys and
 *   statuses (`buildFloorRead`), the least a popup that shows stored statuses pays;
 * - first contentful paint (the browser's own paint timing);
 * - JS heap after a forced GC (CDP), popup page only;
 * - Refresh: from the last gateway answer to the last row that changed (a
 *   MutationObserver in the popup), with N keys on real HTTP gateways (50 ms latency).
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/fixtures';
import type { KeyConfig, KeyStatus } from '../lib/model';
import { encodeStatus, STORED } from '../lib/storage/layout';
import { STORAGE_VERSION } from '../lib/storage/migrations';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';

const COUNTS = [5, 100, 500] as const;
const secretOf = (i: number) => String(i).padStart(48, 'q');
const RUNS = 7;
/** The pause before each opening in the second measure of the main UI. */
const APART_MS = 1000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Builds a WXT + Preact extension named `name` whose popup runs `main` (its main.tsx); returns its build's folder. */
function buildPopup(name: string, main: string, permissions: string[] = []): string {
  const root = resolve(`node_modules/.cache/qg-${name}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'entrypoints/popup'), { recursive: true });
  writeFileSync(
    join(root, 'wxt.config.ts'),
    `import preact from '@preact/preset-vite';\nimport { defineConfig } from 'wxt';\nexport default defineConfig({ vite: () => ({ plugins: [preact()] }), manifest: { name: '${name}', version: '1.0.0', permissions: ${JSON.stringify(permissions)} } });\n`,
  );
  writeFileSync(
    join(root, 'entrypoints/popup/index.html'),
    `<!doctype html><html lang="en"><head><meta charset="UTF-8" /><title>${name}</title><meta name="manifest.type" content="browser_action" /></head><body><div id="app"></div><script type="module" src="./main.tsx"></script></body></html>\n`,
  );
  writeFileSync(join(root, 'entrypoints/popup/main.tsx'), main);
  writeFileSync(
    join(root, 'entrypoints/background.ts'),
    `import { defineBackground } from 'wxt/utils/define-background';\nexport default defineBackground(() => {});\n`,
  );
  execSync(`npx wxt build ${root}`, { stdio: 'ignore' });
  return join(root, '.output/chrome-mv3');
}

/** A popup that renders one heading and one paragraph. */
const buildTrivial = () =>
  buildPopup(
    'trivial',
    `import { render } from 'preact';\nrender(<main><h1>Trivial</h1><p>One paragraph.</p></main>, document.getElementById('app') as HTMLElement);\n`,
  );

const FLOOR_MAIN = `import { render } from 'preact';
const n = Number(new URLSearchParams(location.search).get('n') ?? 0);
const text = (i: number) => \`Key \${i} · relay-\${i % 50}.example.com · $\${((i * 7.3) % 50).toFixed(2)} · OK\`;
render(
  <main>
    {/* What lets the popup lay out only the rows on screen: any popup with every row in the DOM can do as much. */}
    <style>{'.row{content-visibility:auto;contain-intrinsic-size:auto 40.5px}'}</style>
    <h1>Floor</h1>
    <ul>
      {Array.from({ length: n }, (_, i) => (
        <li key={i} aria-busy={false} class="row" data-key-row="" data-label={\`Key \${i}\`} data-state="ok" data-remaining={String((i * 7.3) % 50)} data-unit="USD" data-resets-at="" data-unlimited="false" data-expires-at="" data-error="" data-fetched-at="1765000000000" data-attention="false" data-muted="false" data-pinned="false">
          <button type="button" id={\`toggle-k\${i}\`} aria-expanded="false" data-open={\`k\${i}\`}>{text(i)}</button>
        </li>
      ))}
    </ul>
  </main>,
  document.getElementById('app') as HTMLElement,
);
`;

/**
 * The contract's floor: a popup that renders `?n=` rows straight from a constant, each one
 * element with the attributes automation.md §4 asks of every row and a button with one
 * line of text (as this popup's far rows are), and nothing else: no storage, no logic.
 * Its rows skip layout off screen as the popup's do (`content-visibility`), so the floor
 * does not pay for laying out 500 rows that no popup needs to lay out (39 ms at 500 rows
 * without it, by a trace). What any popup that keeps every row in the DOM pays at least.
 */
const buildFloor = () => buildPopup('floor', FLOOR_MAIN);

/**
 * The floor with the one thing no popup can skip: reading what it shows. One `get` of the
 * whole storage (the key list and every status, laid out as this extension stores them),
 * each status parsed, and the same bare rows as the floor drawn from them: no check, no
 * ranking, no words. What any popup that shows stored statuses pays at least.
 */
const FLOOR_READ_MAIN = `import { render } from 'preact';
const all = await (globalThis as any).chrome.storage.local.get(null);
const keys = (all.keys ?? []) as { id: string; label: string; baseUrl: string }[];
render(
  <main>
    <style>{'.row{content-visibility:auto;contain-intrinsic-size:auto 40.5px}'}</style>
    <h1>Floor</h1>
    <ul>
      {keys.map((k) => {
        const r = JSON.parse(all[\`status:\${k.id}\`] ?? 'null')?.reading;
        return (
          <li key={k.id} aria-busy={false} class="row" data-key-row="" data-label={k.label} data-state="ok" data-remaining={String(r?.remaining ?? '')} data-unit={r?.unit?.code ?? ''} data-resets-at="" data-unlimited={String(!!r?.unlimited)} data-expires-at={String(r?.expiresAt ?? '')} data-error="" data-fetched-at={String(r?.fetchedAt ?? '')} data-attention="false" data-muted="false" data-pinned="false">
            <button type="button" id={\`toggle-\${k.id}\`} aria-expanded="false" data-open={k.id}>{\`\${k.label} · \${k.baseUrl} · \${r?.remaining ?? ''}\`}</button>
          </li>
        );
      })}
    </ul>
  </main>,
  document.getElementById('app') as HTMLElement,
);
`;
const buildFloorRead = () => buildPopup('floor-read', FLOOR_READ_MAIN, ['storage']);

export function seedData(count: number, now: number, sites: string[]) {
  const keys: KeyConfig[] = Array.from({ length: count }, (_, i) => ({
    id: `k${i}`,
    label: `Key ${i}`,
    baseUrl: sites[i % sites.length] as string,
    kind: 'newapi-token',
    secret: secretOf(i),
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
          unit: { code: 'USD' },
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
          sparkline: Array.from({ length: 20 }, (_, j) => [Math.floor(now / 60000) - (20 - j) * 360, 50 - j] as [number, number]),
        },
      } satisfies KeyStatus,
    ]),
  );
  // Laid out as the extension stores them: one status item per key (lib/storage/layout.ts).
  return {
    keys,
    storageVersion: STORAGE_VERSION,
    ...Object.fromEntries(Object.entries(statuses).map(([id, status]) => [STORED.status(id), encodeStatus(status)])),
  };
}

async function setStorage(worker: Worker, data: unknown) {
  await worker.evaluate(async (d) => {
    // @ts-expect-error chrome is the extension API inside the service worker
    await chrome.storage.local.clear();
    // @ts-expect-error chrome is the extension API inside the service worker
    await chrome.storage.local.set(d);
  }, data);
}

/** Opens a page and returns [ms to a painted frame once `ready` holds, first contentful paint ms]. */
async function open(page: Page, url: string, rows: number): Promise<[number, number]> {
  await page.goto(url);
  const handle = await page.waitForFunction(
    (n) =>
      (n === 0 ? !!document.querySelector('main') : document.querySelectorAll('[data-key-row]').length >= n) &&
      new Promise((r) => requestAnimationFrame(() => r(performance.now()))),
    rows,
    { polling: 'raf' },
  );
  const painted = (await handle.jsonValue()) as number;
  const fcp = await page.evaluate(async () => {
    for (let i = 0; i < 50; i++) {
      const entry = performance.getEntriesByName('first-contentful-paint')[0];
      if (entry) return entry.startTime;
      await new Promise((r) => setTimeout(r, 20));
    }
    return Number.NaN;
  });
  return [painted, fcp];
}

async function heapAfterGc(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/** Prints the table; `extension` is a build with loopback host access (the e2e build). */
export async function speedTable(extension: string): Promise<void> {
  const trivial = buildTrivial();
  const floor = buildFloor();
  const floorRead = buildFloorRead();
  const profile = mkdtempSync(join(tmpdir(), 'qg-speed-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 400, height: 600 },
    args: [
      `--disable-extensions-except=${extension},${trivial},${floor},${floorRead}`,
      `--load-extension=${extension},${trivial},${floor},${floorRead}`,
      ...CHROMIUM_FLAGS,
    ],
  });
  const deadline = Date.now() + 20_000;
  while (context.serviceWorkers().length < 4 && Date.now() < deadline)
    await context.waitForEvent('serviceworker', { timeout: 20_000 }).catch(() => undefined);
  const named = await Promise.all(
    context.serviceWorkers().map(async (w) => ({
      w,
      name: await w.evaluate(
        () => (globalThis as never as { chrome: { runtime: { getManifest(): { name: string } } } }).chrome.runtime.getManifest().name,
      ),
    })),
  );
  const ours = named.find((n) => !['trivial', 'floor', 'floor-read'].includes(n.name))?.w as Worker;
  const reader = named.find((n) => n.name === 'floor-read')?.w as Worker;
  const other = named.find((n) => n.name === 'trivial')?.w as Worker;
  const bare = named.find((n) => n.name === 'floor')?.w as Worker;
  const url = (w: Worker, path: string) => `chrome-extension://${new URL(w.url()).host}/${path}`;
  const page = await context.newPage();

  const rows: Record<string, string[]> = { main: [], floor: [], floorRead: [], apart: [], fcp: [], heap: [], refresh: [] };
  let trivialHeap = 0;
  for (const count of COUNTS) {
    const seeded = seedData(
      count,
      Date.now(),
      Array.from({ length: 50 }, (_, i) => `https://relay-${i}.example.com`),
    );
    await setStorage(ours, seeded);
    await setStorage(reader, seeded);
    const mine: [number, number][] = [];
    const base: [number, number][] = [];
    const floorRuns: number[] = [];
    const floorReadRuns: number[] = [];
    const mineApart: number[] = [];
    const baseApart: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const t = await open(page, url(other, 'popup.html'), 0);
      const p = await open(page, url(ours, 'popup.html'), count);
      const f = await open(page, url(bare, `popup.html?n=${count}`), count);
      const r = await open(page, url(reader, 'popup.html'), count);
      if (i >= 2) {
        base.push(t);
        mine.push(p);
        floorRuns.push(f[0]);
        floorReadRuns.push(r[0]);
      }
    }
    // As a person opens a popup: not within milliseconds of the last one. Back to back, each opening also
    // pays for the teardown of the one before, in the extension's one renderer process.
    for (let i = 0; i < RUNS; i++) {
      await new Promise((r) => setTimeout(r, APART_MS));
      baseApart.push((await open(page, url(other, 'popup.html'), 0))[0]);
      await new Promise((r) => setTimeout(r, APART_MS));
      mineApart.push((await open(page, url(ours, 'popup.html'), count))[0]);
    }
    await open(page, url(other, 'popup.html'), 0);
    trivialHeap = await heapAfterGc(context, page);
    await open(page, url(ours, 'popup.html'), count);
    const heap = await heapAfterGc(context, page);
    const ratio = (k: 0 | 1) => median(mine.map((m) => m[k])) / median(base.map((b) => b[k]));
    rows.main?.push(
      `${ratio(0).toFixed(2)}× (${median(mine.map((m) => m[0])).toFixed(0)} vs ${median(base.map((b) => b[0])).toFixed(0)} ms)`,
    );
    rows.floor?.push(
      `${(median(floorRuns) / median(base.map((b) => b[0]))).toFixed(2)}× (${median(floorRuns).toFixed(0)} vs ${median(base.map((b) => b[0])).toFixed(0)} ms)`,
    );
    rows.floorRead?.push(
      `${(median(floorReadRuns) / median(base.map((b) => b[0]))).toFixed(2)}× (${median(floorReadRuns).toFixed(0)} vs ${median(base.map((b) => b[0])).toFixed(0)} ms)`,
    );
    rows.apart?.push(
      `${(median(mineApart) / median(baseApart)).toFixed(2)}× (${median(mineApart).toFixed(0)} vs ${median(baseApart).toFixed(0)} ms)`,
    );
    rows.fcp?.push(
      `${ratio(1).toFixed(2)}× (${median(mine.map((m) => m[1])).toFixed(0)} vs ${median(base.map((b) => b[1])).toFixed(0)} ms)`,
    );
    rows.heap?.push(`${(heap / 1048576).toFixed(2)} MB`);
  }

  for (const count of COUNTS) {
    const sites = Math.min(50, count);
    const gateways: FakeGateway[] = [];
    for (let s = 0; s < sites; s++) {
      const mine = Array.from({ length: count }, (_, i) => i).filter((i) => i % sites === s);
      gateways.push(
        await startGateway({
          now: Date.now,
          flavor: 'new-api',
          latencyMs: 50,
          tokens: mine.map((i) => ({ key: secretOf(i), remain: 4_000_000 - i, used: 1_000_000 })),
        }),
      );
    }
    const data = seedData(
      count,
      Date.now(),
      gateways.map((g) => g.url),
    );
    await setStorage(ours, data);
    await page.goto(url(ours, 'popup.html'));
    await page
      .locator('[data-key-row]')
      .nth(count - 1)
      .waitFor({ state: 'attached' });
    await page.evaluate(() => {
      const w = window as unknown as { lastChange: number };
      w.lastChange = 0;
      new MutationObserver(() => {
        w.lastChange = Date.now();
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-fetched-at', 'data-remaining', 'data-state'] });
    });
    const before = gateways.reduce((n, g) => n + g.requests.length, 0);
    const started = Date.now();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.waitForFunction(() => !document.querySelector('[data-refreshing]'), undefined, { timeout: 600_000, polling: 200 });
    // Rows may still be catching up after the background said it was done: wait for quiet.
    let last = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const change = await page.evaluate(() => (window as unknown as { lastChange: number }).lastChange);
      if (change === last) break;
      last = change;
    }
    const answers = gateways.flatMap((g) => g.requests.map((r) => r.at));
    const lastAnswer = Math.max(...answers);
    const requests = gateways.reduce((n, g) => n + g.requests.length, 0) - before;
    rows.refresh?.push(
      `${((last - lastAnswer) / 1000).toFixed(2)} s (answers ${((lastAnswer - started) / 1000).toFixed(1)} s, ${requests} requests)`,
    );
    await Promise.all(gateways.map((g) => g.close()));
  }
  await context.close();
  rmSync(profile, { recursive: true, force: true });

  console.log(
    `\n4. Popup speed (issue #9), against a trivial WXT + Preact popup in the same run (median of ${RUNS}; trivial heap ${(trivialHeap / 1048576).toFixed(2)} MB)`,
  );
  console.log(`   | figure | ${COUNTS.map((c) => `${c} keys`).join(' | ')} |`);
  console.log(`   |---|${COUNTS.map(() => '---').join('|')}|`);
  console.log(`   | popup main UI vs trivial popup (opened back to back) | ${rows.main?.join(' | ')} |`);
  console.log(
    `   | the contract's floor vs trivial popup (every row bare: its attributes and a button, nothing read; back to back) | ${rows.floor?.join(' | ')} |`,
  );
  console.log(
    `   | the floor with the read vs trivial popup (the same bare rows, drawn from one \`get\` of the stored keys and statuses; back to back) | ${rows.floorRead?.join(' | ')} |`,
  );
  console.log(`   | popup main UI vs trivial popup (opened ${APART_MS / 1000} s apart) | ${rows.apart?.join(' | ')} |`);
  console.log(`   | first contentful paint vs trivial | ${rows.fcp?.join(' | ')} |`);
  console.log(`   | JS heap after GC | ${rows.heap?.join(' | ')} |`);
  console.log(`   | Refresh: last row updated after the last gateway answer | ${rows.refresh?.join(' | ')} |`);
}
