import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { fontSizesOnPage, rowsInViewOnPage, storedItems } from './ui-helpers';

/** Debian's Firefox ESR, driven over WebDriver BiDi. */
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The Firefox e2e build (`npm run build:firefox:e2e`): loopback hosts granted at install. */
export const FIREFOX_EXTENSION = resolve('.output/firefox-mv3-e2e');
const ADDON_ID = 'quota-glance@quota-glance.dev';
// A fixed internal UUID, so the test knows the extension's moz-extension:// address.
const UUID = '5f2b4a1e-8c3d-4e6f-9a0b-1c2d3e4f5a6b';

/** The extension's address for one of its pages. */
export const extensionUrl = (path: string) => `moz-extension://${UUID}/${path.replace(/^\//, '')}`;

/** Launches Firefox ESR, headless, with the e2e build installed. */
export async function launchFirefox(): Promise<Browser> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // Firefox 153+ lets WebDriver open moz-extension:// pages only with system access
    // (https://github.com/ghostery/ghostery-extension/pull/3526).
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: UUID }) },
  });
  await browser.installExtension(FIREFOX_EXTENSION);
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args: Parameters<Browser['newPage']>) => forFirefox140(await newPage(...args));
  return browser;
}

/**
 * A page whose waits and viewport work in Firefox ESR 140 over WebDriver BiDi:
 * `waitForFunction` builds its poller with `Function()`, which extension pages' CSP
 * blocks, so the check is asked again by `evaluate` until true (with the same deadline);
 * `setViewport` also sends `emulation.setScreenOrientationOverride`, which this Firefox
 * does not know: the viewport is set, the orientation's refusal is let go.
 */
function forFirefox140(page: Page): Page {
  const setViewport = page.setViewport.bind(page);
  page.setViewport = async (viewport) => {
    await setViewport(viewport).catch((error: unknown) => {
      if (!/setScreenOrientationOverride/.test(String(error))) throw error;
    });
  };
  const waitForFunction = page.waitForFunction.bind(page);
  page.waitForFunction = (async (check: unknown, options: { timeout?: number } = {}, ...args: unknown[]) => {
    if (typeof check !== 'function') return waitForFunction(check as string, options, ...args);
    const deadline = Date.now() + (options.timeout ?? 30_000);
    for (;;) {
      const done = await page.evaluate(check as (...a: unknown[]) => unknown, ...args).catch(() => false);
      if (done) return page.evaluateHandle(() => true);
      if (Date.now() > deadline)
        throw new Error(`waitForFunction: still false after ${options.timeout ?? 30_000} ms: ${String(check).slice(0, 200)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }) as Page['waitForFunction'];
  return page;
}

/**
 * Opens one of the extension's pages (again, if it is open already). The page loads in
 * Firefox's extension process and the navigation events never reach WebDriver, so the
 * wait is on the page itself: a new document at that address, fully loaded.
 */
export async function openExtensionPage(page: Page, path: string): Promise<void> {
  const url = extensionUrl(path);
  // WebDriver never hears of these navigations, so page.url() is not to be trusted: ask the page.
  const here = await page.evaluate(() => {
    (window as unknown as { qgOld?: boolean }).qgOld = true;
    return location.href;
  });
  if (here.startsWith('moz-extension://'))
    // From one of its pages the extension navigates itself, without waiting on events that never come.
    await page.evaluate((to) => location.assign(to), url).catch(() => undefined);
  else await page.goto(url, { timeout: 2_000 }).catch(() => undefined);
  await waitInPage(
    page,
    (expected) => location.href === expected && document.readyState === 'complete' && !(window as unknown as { qgOld?: boolean }).qgOld,
    url,
  );
}

/**
 * Waits until `check` is true in the page, asking it again after each answer. Firefox
 * ESR 140's extension pages refuse `waitForFunction` (it builds its poller with
 * `Function()`, which their CSP blocks); `evaluate` passes. A navigation under way
 * (the page is replaced while asked) counts as not yet.
 */
export async function waitInPage<A>(page: Page, check: (arg: A) => boolean, arg: A, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(check as (value: unknown) => boolean, arg as unknown).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`waitInPage: still false after ${timeoutMs} ms: ${check.toString().slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Replaces the extension's storage with these items, from an open extension page (Firefox
 * gives WebDriver no handle on the background). Statuses go one item per key, as
 * `seedStorage` in ui-helpers.ts writes them for Chromium (`storedItems`).
 */
export async function seedFirefoxStorage(page: Page, given: Record<string, unknown>): Promise<void> {
  const items = storedItems(given);
  await page.evaluate(async (data) => {
    const local = (globalThis as unknown as { browser: { storage: { local: StorageLocal } } }).browser.storage.local;
    // Everything else goes, without clearing the key list first: the background forgets a
    // key's data when the key leaves the list, and these keys are the same ones again.
    const current = await local.get(null);
    await local.remove(Object.keys(current).filter((k) => !(k in data)));
    await local.set(data);
  }, items);
}
interface StorageLocal {
  get(keys: null): Promise<Record<string, unknown>>;
  remove(keys: string[]): Promise<void>;
  set(items: Record<string, unknown>): Promise<void>;
}

/** Computed font sizes in px of the first element matching each selector. */
export const fontSizesIn = (page: Page, selectors: string[]): Promise<Record<string, number>> => page.evaluate(fontSizesOnPage, selectors);

/** How many key rows are shown whole inside the viewport, without scrolling. */
export const rowsInViewOf = (page: Page): Promise<number> => page.evaluate(rowsInViewOnPage);

/** What has focus, by its name as a person hears it: aria-label, else its label, else its text. */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return el?.getAttribute('aria-label') ?? el?.labels?.[0]?.textContent ?? el?.textContent ?? '';
  });
}

const axeSource = readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on the page (rule id and the offending nodes). The source is
 * evaluated in the page, not added by a script tag, which the extension's CSP refuses.
 */
export async function axeViolationsIn(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe;
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: { id: string; nodes: { target: string[] }[] }[];
    };
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
