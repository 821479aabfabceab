/**
 * Where the popup's first frame goes: opens the e2e build's popup with N keys (default
 * 500) under the CPU profiler and prints the functions and scripts with the most self
 * time. `node --import ./bench/register.mjs bench/profile-popup.ts [N]` after
 * `npm run build:e2e`. Prints, never asserts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/fixtures';
import { seedData } from './speed-table';

const count = Number(process.argv[2] ?? 500);
const extension = resolve('.output/chrome-mv3-e2e');
const profile = mkdtempSync(join(tmpdir(), 'qg-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 400, height: 600 },
  args: [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`, ...CHROMIUM_FLAGS],
});
const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
const data = seedData(
  count,
  Date.now(),
  Array.from({ length: 50 }, (_, i) => `https://relay-${i}.example.com`),
);
await worker.evaluate(async (d) => {
  // @ts-expect-error chrome is the extension API inside the service worker
  await chrome.storage.local.clear();
  // @ts-expect-error chrome is the extension API inside the service worker
  await chrome.storage.local.set(d);
}, data);
const url = `chrome-extension://${new URL(worker.url()).host}/popup.html`;
const page = await context.newPage();
// Warm once (the browser's code cache), then profile the second open.
for (let i = 0; i < 3; i++) {
  await page.goto(url);
  await page
    .locator('[data-key-row]')
    .nth(count - 1)
    .waitFor({ state: 'attached' });
}
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
const started = Date.now();
await page.goto(url);
await page
  .locator('[data-key-row]')
  .nth(count - 1)
  .waitFor({ state: 'attached' });
await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
const elapsed = Date.now() - started;
const { profile: cpu } = (await cdp.send('Profiler.stop')) as {
  profile: {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
};
const self = new Map<number, number>();
cpu.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (cpu.timeDeltas[i] ?? 0) / 1000);
});
const byFn = new Map<string, number>();
const byUrl = new Map<string, number>();
for (const node of cpu.nodes) {
  const t = self.get(node.id) ?? 0;
  const file = node.callFrame.url.split('/').pop() || '(native)';
  const name = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber}`;
  byFn.set(name, (byFn.get(name) ?? 0) + t);
  byUrl.set(file, (byUrl.get(file) ?? 0) + t);
}
const top = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `   ${v.toFixed(1).padStart(7)} ms  ${k}`)
    .join('\n');
console.log(`Popup with ${count} keys: ${elapsed} ms from navigation to the last row painted (under the profiler)`);
console.log(`By script:\n${top(byUrl, 10)}`);
console.log(`By function (self time):\n${top(byFn, 25)}`);
await context.close();
rmSync(profile, { recursive: true, force: true });
