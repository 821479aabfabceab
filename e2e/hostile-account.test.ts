import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { badge, type Extension, importBackup, launchExtension, notifications, openPopupSettled, popupRows } from './fixtures';

/**
 * A new-api account whose gateway echoes the account's access token in every account
 * part (new-api-accounts.md §A, §B): a token named after it, a model limit, a plan
 * title, then the token list's and the plans' refusals. Through the automation
 * contract only (shared/spec/automation.md §3, §3.3, §4, §5): the token stays in the
 * key's own entry, and a right-to-left override in a token name is dropped.
 */
const nowS = () => Math.floor(Date.now() / 1000);
// A system access token: 32 characters, not an `sk-` key (new-api.md §0).
const ACCESS = 'Kq3vT9xLm2Rw7ZpB4nYc8HdJ6sFa1GeU';
const RLO = '\u202e';

let ext: Extension;
let relay: FakeGateway;

beforeAll(async () => {
  relay = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    users: [{ id: 42, accessToken: ACCESS, quota: 2_500_000, usedQuota: 0 }],
    accounts: {
      tokens: [
        // `{auth}` is the access token the request carried (tests/fake-gateway/accounts.ts).
        { id: 1, userId: 42, key: 'a'.repeat(48), name: 'leak {auth}', remain: 200_000, used: 4_800_000, modelLimits: 'gpt-4o,{auth}' },
        { id: 2, userId: 42, key: 'b'.repeat(48), name: `invoice${RLO}fdp.exe`, remain: 4_000_000, used: 0 },
      ],
      subscriptions: [
        { id: 311, userId: 42, planId: 4, total: 5_000_000, used: 4_900_000, startTime: nowS() - 86_400, endTime: nowS() + 20 * 86_400 },
      ],
      plans: [{ id: 4, title: 'Pro {auth}' }],
    },
  });
  ext = await launchExtension();
});

afterAll(async () => {
  await ext?.close();
  await relay?.close();
});

declare const chrome: { storage: { local: { get(keys: null): Promise<Record<string, unknown>> } } };

const hasAccess = (text: string) => text.toLowerCase().includes(ACCESS.toLowerCase());

/** The whole popup as markup: every text and every attribute, with each row's details open. */
async function popupMarkup(page: import('playwright-core').Page): Promise<string> {
  const toggles = page.locator('[data-key-row] > .row-toggle');
  for (let i = 0; i < (await toggles.count()); i++)
    if ((await toggles.nth(i).getAttribute('aria-expanded')) === 'false') await toggles.nth(i).click();
  return page.evaluate(() => document.documentElement.outerHTML);
}

async function storedOutsideKeys(): Promise<string> {
  const { keys, ...rest } = await ext.worker.evaluate(() => chrome.storage.local.get(null));
  expect(JSON.stringify(keys)).toContain(ACCESS);
  return JSON.stringify(rest);
}

describe('a gateway that echoes a watched account’s access token', () => {
  it('shows the token rows, the plan, the badge and notifications without it, and a right-to-left name without the override', async () => {
    const options = await ext.context.newPage();
    await importBackup(options, ext, {
      format: 'quota-glance',
      version: 2,
      exportedAt: new Date().toISOString(),
      keys: [{ label: 'relay account', baseUrl: relay.url, kind: 'newapi-user', secret: ACCESS, userId: 42, watchTokens: true }],
    });
    await options.close();
    const popup = await openPopupSettled(ext, 3);
    // The gateway did echo it: what follows is the extension's doing.
    expect(relay.requests.filter((r) => r.path.startsWith('/api/token/')).length).toBeGreaterThan(0);

    const tokens = (await popupRows(popup)).filter((r) => r.label !== 'relay account');
    expect(tokens.map((r) => r.label).sort()).toEqual(['invoicefdp.exe', 'leak •••']);
    expect(tokens.find((r) => r.label === 'leak •••')?.state).toBe('low');
    expect(await popup.locator('[data-key-row][data-label="relay account"] [data-window]').getAttribute('data-window')).toBe('Pro •••');
    const markup = await popupMarkup(popup);
    expect(markup).toContain('gpt-4o, •••'); // the token's model limits, in its details
    expect(hasAccess(markup)).toBe(false);
    expect(markup).not.toContain(RLO);
    expect(hasAccess(await storedOutsideKeys())).toBe(false);
    await popup.close();

    // The badge's tooltip names the tokens and the plan; notifications are seen by id only
    // (automation.md §5): their text is checked in tests/redact-deep.test.ts.
    const shown = await badge(ext);
    expect(shown.title).toContain('leak •••: Low');
    expect(shown.title).not.toContain(RLO);
    expect(hasAccess(shown.title)).toBe(false);
    await expect.poll(() => notifications(ext), { timeout: 15_000 }).toHaveLength(2);
    for (const id of await notifications(ext)) expect(hasAccess(id)).toBe(false);
  });

  it('keeps it out of the refusals of the token list and the plans, in the popup and in storage', async () => {
    const accounts = relay.options.accounts;
    if (!accounts) throw new Error('no accounts');
    accounts.refuseTokenList = { status: 401, message: 'access token {auth} is not allowed to list tokens' };
    accounts.refuseSubscriptions = { status: 403, message: 'plans are closed to {auth}' };
    const popup = await openPopupSettled(ext, 3);
    await popup.getByRole('button', { name: 'Refresh', exact: true }).click();
    // The tokens stay, unconfirmed: the list's refusal is their error.
    await popup.waitForFunction(
      () =>
        document.querySelectorAll('[data-key-row][data-parent][data-error="auth"]').length === 2 &&
        !document.querySelector('[data-refreshing]'),
      undefined,
      { timeout: 30_000 },
    );
    const stored = await storedOutsideKeys();
    expect(stored).toContain('is not allowed to list tokens');
    expect(stored).toContain('plans are closed to');
    expect(hasAccess(stored)).toBe(false);
    const markup = await popupMarkup(popup);
    expect(markup).toContain('is not allowed to list tokens');
    expect(hasAccess(markup)).toBe(false);
    expect(markup).not.toContain(RLO);
    await popup.close();
    const shown = await badge(ext);
    expect(shown.title).toContain('leak •••');
    expect(hasAccess(shown.title)).toBe(false);
  });
});
