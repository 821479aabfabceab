import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';

/** The e2e build: the production code plus loopback host access (shared/spec/automation.md §1). */
export const EXTENSION_DIR = resolve('.output/chrome-mv3-e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for headless Chromium on a machine without network: no background traffic, no sandbox, no GPU. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Extension {
  context: BrowserContext;
  worker: Worker;
  id: string;
  url: (path: string) => string;
  close: () => Promise<void>;
}

/** Launches Debian's Chromium, headless, with the built extension loaded unpacked. */
export async function launchExtension(): Promise<Extension> {
  const profile = mkdtempSync(join(tmpdir(), 'qg-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1000, height: 800 },
    args: [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`, ...CHROMIUM_FLAGS],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(worker.url()).host;
  return {
    context,
    worker,
    id,
    url: (path) => `chrome-extension://${id}/${path.replace(/^\//, '')}`,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The part of the extension API the badge helper calls inside the service worker. */
declare const chrome: {
  storage: { local: { clear(): Promise<void> } };
  notifications: { getAll(): Promise<Record<string, boolean>>; clear(id: string): Promise<boolean> };
  action: {
    getBadgeText(details: object): Promise<string>;
    getTitle(details: object): Promise<string>;
    getBadgeBackgroundColor(details: object): Promise<number[]>;
  };
};

/** Forgets every key and reading, as a fresh install would have it. */
export async function resetStorage(ext: Extension): Promise<void> {
  await ext.worker.evaluate(() => chrome.storage.local.clear());
}

/** The ids of the notifications the extension is showing. */
export async function notifications(ext: Extension): Promise<string[]> {
  return ext.worker.evaluate(async () => Object.keys(await chrome.notifications.getAll()));
}

/** Dismisses a notification, as a user closing it would. */
export async function dismissNotification(ext: Extension, id: string): Promise<void> {
  await ext.worker.evaluate((n) => chrome.notifications.clear(n), id);
}

/** The toolbar badge as the browser shows it. */
export async function badge(ext: Extension): Promise<{ text: string; title: string; color: number[] }> {
  return ext.worker.evaluate(async () => ({
    text: await chrome.action.getBadgeText({}),
    title: await chrome.action.getTitle({}),
    color: await chrome.action.getBadgeBackgroundColor({}),
  }));
}

/** Imports a backup through the options page's Import input, as a user would. */
export async function importBackup(page: Page, ext: Extension, backup: unknown): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qg-backup-'));
  const file = join(dir, 'backup.json');
  writeFileSync(file, typeof backup === 'string' ? backup : JSON.stringify(backup));
  await page.goto(ext.url('options.html'));
  await page.getByLabel('Import', { exact: true }).setInputFiles(file);
  // The page reads the file after the change event: keep it until the page has answered.
  await page.locator('.import-export [role="status"], .import-export [role="alert"]').waitFor();
  rmSync(dir, { recursive: true, force: true });
}

/** A row's contract attributes; null when the attribute is missing (which the contract never allows). */
export interface RowData {
  label: string | null;
  state: string | null;
  remaining: string | null;
  unit: string | null;
  unlimited: string | null;
  expiresAt: string | null;
  error: string | null;
  fetchedAt: string | null;
}

/** Every popup row's contract attributes, in display order. */
export async function popupRows(page: Page): Promise<RowData[]> {
  return page.locator('[data-key-row]').evaluateAll((rows) =>
    rows.map((row) => {
      const get = (name: string) => row.getAttribute(name);
      return {
        label: get('data-label'),
        state: get('data-state'),
        remaining: get('data-remaining'),
        unit: get('data-unit'),
        unlimited: get('data-unlimited'),
        expiresAt: get('data-expires-at'),
        error: get('data-error'),
        fetchedAt: get('data-fetched-at'),
      };
    }),
  );
}

/** Opens the popup page and waits until every key has an outcome. */
export async function openPopupSettled(ext: Extension, expectedRows: number): Promise<Page> {
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: 380, height: 600 });
  await page.goto(ext.url('popup.html'));
  try {
    await page.waitForFunction(
      (n) => {
        const rows = [...document.querySelectorAll('[data-key-row]')];
        return (
          rows.length === n && rows.every((r) => r.getAttribute('data-state') !== 'pending') && !document.querySelector('[data-refreshing]')
        );
      },
      expectedRows,
      { timeout: 30_000 },
    );
  } catch (error) {
    const seen = (await popupRows(page)).map((r) => `${r.label}=${r.state}`).join(', ');
    throw new Error(`popup did not settle on ${expectedRows} rows; saw ${seen || 'none'}`, { cause: error });
  }
  return page;
}

/** A popup row's quota windows (automation.md §4.1): name, unit, used, limit, remaining, reset, in row order. */
export function rowWindows(page: Page, label: string): Promise<(string | null)[][]> {
  return page
    .locator(`[data-key-row][data-label="${label}"] [data-window]`)
    .evaluateAll((elements) =>
      elements.map((w) =>
        ['data-window', 'data-window-unit', 'data-used', 'data-limit', 'data-remaining', 'data-resets-at'].map((a) => w.getAttribute(a)),
      ),
    );
}

/** One contract attribute of a popup row. */
export const rowAttribute = (page: Page, label: string, name: string) =>
  page.locator(`[data-key-row][data-label="${label}"]`).getAttribute(name);
