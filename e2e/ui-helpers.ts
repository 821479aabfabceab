import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { KeyConfig, KeyStatus, Reading } from '../lib/model';
import { encodeStatus, STORED } from '../lib/storage/layout';
import { STORAGE_VERSION } from '../lib/storage/migrations';
import type { Extension } from './fixtures';

const DAY = 86_400_000;

interface Seed {
  label: string;
  site: string;
  unit?: string;
  remaining?: number | null;
  granted?: number | null;
  unlimited?: boolean;
  expiresInDays?: number;
  error?: KeyStatus['error'];
  never?: boolean;
}

/** A realistic set of keys: 26 on five sites, 11 needing attention (2 expired, 1 exhausted, 1 refused, 3 low, 4 unreadable). */
export function manyKeys(now: number): Seed[] {
  const sites = ['api.relay-one.com', 'gw.example.cn', 'openai-proxy.dev', 'llm.team.internal', 'r9s.ai'];
  const seeds: Seed[] = [
    { label: 'Old trial', site: sites[0] as string, remaining: 2, granted: 10, expiresInDays: -2 },
    { label: '中转站 key', site: sites[1] as string, unit: 'CNY', remaining: 30, granted: 40, expiresInDays: -1 },
    { label: 'Side project', site: sites[0] as string, remaining: 0, granted: 10 },
    {
      label: 'Revoked bot',
      site: sites[2] as string,
      remaining: 5,
      granted: 10,
      error: { kind: 'auth', message: 'HTTP 401: invalid token', at: now },
    },
    { label: 'CI pipeline', site: sites[0] as string, remaining: 0.4, granted: 10 },
    { label: 'Nightly evals', site: sites[3] as string, unit: 'tokens', remaining: 20_000, granted: 1_000_000 },
    { label: 'Translator', site: sites[1] as string, unit: 'CNY', remaining: 3, granted: 100 },
    ...[1, 2, 3, 4].map((n) => ({
      label: `Flaky relay ${n}`,
      site: sites[2] as string,
      remaining: 6,
      granted: 10,
      error: { kind: 'network' as const, message: 'connection failed', at: now },
    })),
  ];
  for (let i = 1; i <= 15; i++)
    seeds.push({
      label: `Work key ${String(i).padStart(2, '0')}`,
      site: sites[i % 5] as string,
      unit: i % 5 === 1 ? 'CNY' : i % 5 === 3 ? 'tokens' : 'USD',
      remaining: i % 5 === 3 ? 4_000_000 + i * 10_000 : 40 + i * 3.5,
      granted: i % 5 === 3 ? 5_000_000 : 100,
      expiresInDays: i % 4 === 0 ? 30 + i : undefined,
      unlimited: i === 7,
    });
  return seeds;
}

/** Keys and statuses in storage as the extension writes them, read just now (so nothing is due). */
export function buildStorage(seeds: Seed[], now: number): { keys: KeyConfig[]; statuses: Record<string, KeyStatus> } {
  const keys: KeyConfig[] = seeds.map((s, i) => ({
    id: `k${i}`,
    label: s.label,
    baseUrl: `https://${s.site}`,
    kind: 'newapi-token',
    secret: `sk-${String(i).padStart(48, 'x')}`,
    createdAt: now,
    updatedAt: now,
  }));
  const statuses: Record<string, KeyStatus> = {};
  seeds.forEach((s, i) => {
    if (s.never) return;
    const reading: Reading = {
      kind: 'newapi-token',
      scope: 'key',
      unit: { code: s.unit ?? 'USD' },
      unlimited: !!s.unlimited,
      remaining: s.unlimited ? null : (s.remaining ?? null),
      granted: s.unlimited ? null : (s.granted ?? null),
      used: s.granted != null && s.remaining != null ? s.granted - s.remaining : null,
      expiresAt: s.expiresInDays === undefined ? null : Math.floor((now + s.expiresInDays * DAY) / 1000),
      fetchedAt: now - 3 * 60_000,
    };
    statuses[`k${i}`] = {
      reading,
      error: s.error ?? null,
      attemptedAt: now - 60_000,
      failures: s.error ? 1 : 0,
      ...(i % 3 === 0 && !s.unlimited
        ? {
            trend: {
              burnPerDay: 1.2,
              runsOutAt: now + 5 * DAY,
              sparkline: Array.from({ length: 8 }, (_, j) => [Math.floor(now / 60_000) - (8 - j) * 720, (s.remaining ?? 0) + (8 - j)]),
            },
          }
        : {}),
    } as KeyStatus;
  });
  return { keys, statuses };
}

/**
 * Items laid out as the extension stores them (lib/storage/layout.ts): statuses one item
 * per key, each as its JSON text, at the current storage version.
 */
export function storedItems(given: Record<string, unknown>): Record<string, unknown> {
  const { statuses, ...rest } = given as { statuses?: Record<string, unknown> };
  return {
    ...rest,
    ...Object.fromEntries(Object.entries(statuses ?? {}).map(([id, status]) => [STORED.status(id), encodeStatus(status as KeyStatus)])),
    storageVersion: STORAGE_VERSION,
  };
}

/** Replaces the extension's storage with these items. */
export async function seedStorage(ext: Extension, given: Record<string, unknown>): Promise<void> {
  const items = storedItems(given);
  await ext.worker.evaluate(async (data) => {
    // Everything else goes, without clearing the key list first: the background forgets a
    // key's data when the key leaves the list, and these keys are the same ones again.
    // @ts-expect-error chrome is the extension API inside the service worker
    const current = await chrome.storage.local.get(null);
    // @ts-expect-error chrome is the extension API inside the service worker
    await chrome.storage.local.remove(Object.keys(current).filter((k) => !(k in data)));
    // @ts-expect-error chrome is the extension API inside the service worker
    await chrome.storage.local.set(data);
  }, items);
}

/** In the page: computed font sizes in px of the first element matching each selector. */
export function fontSizesOnPage(list: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const selector of list) {
    const element = document.querySelector(selector);
    if (element) out[selector] = Number.parseFloat(getComputedStyle(element).fontSize);
  }
  return out;
}

/** In the page: how many key rows are shown whole inside the viewport, without scrolling. */
export function rowsInViewOnPage(): number {
  return [...document.querySelectorAll('[data-key-row]')].filter((row) => {
    const box = row.getBoundingClientRect();
    return !(row as HTMLElement).hidden && box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
  }).length;
}

/** The popup's text a person reads, measured in Chromium and in Firefox. */
export const POPUP_TEXT = ['body', 'h1', 'header button', '.label', '.row-sub', '.amount', '.chip', '[data-summary]', '.toolbar input'];

/**
 * Text sizes a person reads: every element above is there; body text 13–14 px, controls
 * and names 13–15 px, nothing under 12 px.
 */
export function expectReadableSizes(sizes: Record<string, number>): void {
  expect(Object.keys(sizes)).toHaveLength(POPUP_TEXT.length);
  expect(sizes.body).toBeGreaterThanOrEqual(13);
  expect(sizes.body).toBeLessThanOrEqual(14);
  for (const selector of ['header button', '.label', '.amount', '[data-summary]', '.toolbar input'])
    expect({ selector, size: sizes[selector] }).toEqual({ selector, size: expect.toSatisfy((n: number) => n >= 13 && n <= 15) });
  for (const [selector, size] of Object.entries(sizes))
    expect({ selector, size }).toEqual({ selector, size: expect.toSatisfy((n: number) => n >= 12) });
}

/** Computed font sizes in px of the first element matching each selector. */
export const fontSizes = (page: Page, selectors: string[]): Promise<Record<string, number>> => page.evaluate(fontSizesOnPage, selectors);

/** How many key rows are shown whole inside the viewport, without scrolling. */
export const rowsInView = (page: Page): Promise<number> => page.evaluate(rowsInViewOnPage);

const axeSource = readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page (rule id and the first offending node), injected without a script tag (extension CSP). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as { id: string; nodes: { target: string[] }[] }[]).map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  });
}
