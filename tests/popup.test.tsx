// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { KeyRow } from '@/components/KeyRow';
import { App, FULL_ROWS_AHEAD } from '@/entrypoints/popup/App';
import { onMessage } from '@/lib/messages';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { applyAppearance } from '@/lib/page-setup';
import { withoutSecrets } from '@/lib/popup-view';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { keysItem, statusesItem } from '@/lib/storage/items';
import { makeKey, NOW, NOW_S, usdReading } from './helpers';

/** Message handlers a test registered, removed after it (the messaging library allows one per message). */
const handlers: (() => void)[] = [];
/** The host patterns the extension holds, for permissions.getAll. */
let granted: string[] = ['<all_urls>'];
const requested: string[][] = [];
beforeEach(() => {
  granted = ['<all_urls>'];
  requested.length = 0;
  Object.assign(fakeBrowser.permissions, {
    getAll: vi.fn(async () => ({ origins: granted, permissions: [] })),
    contains: vi.fn(async () => {
      throw new Error('the popup looks at what is granted once (permissions.getAll), never site by site');
    }),
    request: vi.fn(async ({ origins }: { origins: string[] }) => {
      requested.push(origins);
      return true;
    }),
  });
});
afterEach(() => {
  cleanup();
  for (const stop of handlers.splice(0)) stop();
});

const key = (label: string): KeyConfig => makeKey({ id: label, label, baseUrl: 'https://relay.example.com', secret: `sk-${label}` });
const status = (fields: Partial<NonNullable<KeyStatus['reading']>>, error: KeyStatus['error'] = null): KeyStatus => ({
  reading: { ...usdReading(8.5, { fetchedAt: NOW - 5 * 60_000 }), ...fields },
  error,
  attemptedAt: NOW,
  failures: error ? 1 : 0,
});
const row = () => document.querySelector('[data-key-row]') as HTMLElement;
const CONTRACT = [
  'data-key-row',
  'data-label',
  'data-state',
  'data-remaining',
  'data-unit',
  'data-unlimited',
  'data-expires-at',
  'data-error',
  'data-fetched-at',
];
/** The row's contract attributes; a missing one is null, so it cannot pass for empty. */
const attrs = () => Object.fromEntries(CONTRACT.map((name) => [name.replace(/^data-/, ''), row().getAttribute(name)]));

describe('KeyRow', () => {
  it.each([
    [2 * 60, 'exp 2m ago', 'Expired 2 minutes ago'],
    [3 * 3600 + 60, 'exp 3h ago', 'Expired 3 hours ago'],
    [2 * 86400 + 60, 'exp 2d ago', 'Expired 2 days ago'],
    // A day ago: "1 day ago" as on the row, not "yesterday" (ja read "1日前に期限切れ" above "昨日に期限切れ").
    [86400 + 60, 'exp 1d ago', 'Expired 1 day ago'],
  ])('a key that expired %i s ago says the same time on its row as in its title', (ago, short, full) => {
    render(<KeyRow keyConfig={key('old')} status={status({ expiresAt: NOW_S - ago })} state="expired" now={NOW} locale="en-US" />);
    const expiry = row().querySelector('.row-figure .expiry');
    expect([expiry?.textContent, expiry?.getAttribute('title')]).toEqual([short, full]);
  });

  it('shows the amount, the share used, the expiry and when it was read, with the contract attributes', () => {
    render(<KeyRow keyConfig={key('laptop')} status={status({ expiresAt: NOW_S + 3 * 86400 })} state="ok" now={NOW} locale="en-US" />);
    expect(screen.getByText('$8.50')).toBeTruthy();
    // The expiry short beside the state, the site whole on its own line (issue #19, item 3).
    expect(row().querySelector('.row-figure .expiry')?.textContent).toBe('exp 3d');
    expect(row().querySelector('.row-sub')?.textContent).toBe('relay.example.com');
    expect(screen.queryByText(/Expires in 3 days/)).toBeNull();
    // The bar shows what is left, so a healthy key looks full.
    expect(screen.getByRole('meter', { name: '85% left' }).getAttribute('aria-valuenow')).toBe('85');
    expect(screen.queryByText(/of \$10\.00/)).toBeNull();
    const toggle = screen.getByRole('button', { expanded: false });
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('$8.50 left of $10.00 granted')).toBeTruthy();
    expect(screen.getByText(/read 5 minutes ago/)).toBeTruthy();
    // In full in the details, once.
    expect(screen.getAllByText('Expires in 3 days')).toHaveLength(1);
    expect(attrs()).toEqual({
      'key-row': '',
      label: 'laptop',
      state: 'ok',
      remaining: '8.5',
      unit: 'USD',
      unlimited: 'false',
      'expires-at': String(NOW_S + 3 * 86400),
      error: '',
      'fetched-at': String(NOW - 5 * 60_000),
    });
  });

  it('names no grant for a wallet: an account balance was not granted (issue #19, item 3)', () => {
    render(<KeyRow keyConfig={key('wallet')} status={status({ scope: 'account' })} state="ok" now={NOW} locale="en-US" />);
    fireEvent.click(screen.getByRole('button', { expanded: false }));
    expect(screen.getByText(/account wallet/)).toBeTruthy();
    expect(screen.queryByText(/granted/)).toBeNull();
  });

  it('keeps the last good reading visible with its time when a read fails', () => {
    render(
      <KeyRow
        keyConfig={key('k')}
        status={status({}, { kind: 'timeout', message: 'no answer within 15 s', at: NOW })}
        state="error"
        now={NOW}
        locale="en-US"
      />,
    );
    expect(screen.getByText('$8.50')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { expanded: false }));
    expect(screen.getByText(/did not answer in time\. \(no answer within 15 s\)/)).toBeTruthy();
    expect(attrs()).toMatchObject({ state: 'error', error: 'timeout', remaining: '8.5' });
  });

  it('shows an unlimited key as unlimited with no remaining figure', () => {
    render(
      <KeyRow
        keyConfig={key('u')}
        status={status({ unlimited: true, remaining: null, granted: null })}
        state="ok"
        now={NOW}
        locale="en-US"
      />,
    );
    expect(screen.getByText('Unlimited')).toBeTruthy();
    expect(attrs()).toMatchObject({ unlimited: 'true', remaining: '', 'expires-at': '' });
  });

  it('renders a hostile token name as text, never as markup', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    render(
      <KeyRow
        keyConfig={{ ...key('h'), label: hostile }}
        status={status({ name: '<script>x</script>' })}
        state="ok"
        now={NOW}
        locale="en-US"
      />,
    );
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('script')).toBeNull();
    expect(screen.getByText(hostile)).toBeTruthy();
  });

  it.each([
    ['CNY', { code: 'CNY' }, 'CN¥8.50'],
    ['JPY', { code: 'JPY' }, '¥8.50'],
    ['tokens', { code: 'tokens' }, '4.3M tokens'],
    ['custom', { code: 'custom', symbol: '🪙' }, '🪙8.50'],
  ])('shows %s amounts in their unit', (_, unit, text) => {
    const remaining = unit.code === 'tokens' ? 4_250_000 : 8.5;
    render(<KeyRow keyConfig={key('c')} status={status({ unit, remaining, granted: null })} state="ok" now={NOW} locale="en-US" />);
    expect(screen.getByText(text)).toBeTruthy();
    expect(attrs().unit).toBe(unit.code);
  });

  it.each([
    ['en-US', 'CN¥8.50', '¥8.50'],
    ['ja', '元 8.50', '￥8.50'],
    ['zh-CN', '¥8.50', 'JP¥8.50'],
  ])('tells yuan from yen in %s', (locale, yuan, yen) => {
    const row = (code: string) =>
      render(
        <KeyRow
          keyConfig={key(code)}
          status={status({ unit: { code }, remaining: 8.5, granted: null })}
          state="ok"
          now={NOW}
          locale={locale}
        />,
      ).container.querySelector('.amount')?.textContent;
    expect(row('CNY')?.replace(/\s/g, ' ')).toBe(yuan);
    expect(row('JPY')?.replace(/\s/g, ' ')).toBe(yen);
  });
});

describe('popup', () => {
  it('says how to add a key when there is none', async () => {
    render(<App locale="en-US" />);
    await screen.findByText('No keys yet');
    expect(screen.getByRole('button', { name: 'Add a key' })).toBeTruthy();
  });

  it('shows every key, worst first, in the first frame', async () => {
    const keys = Array.from({ length: 45 }, (_, i) => key(`k${String(i).padStart(2, '0')}`));
    const statuses = Object.fromEntries(keys.map((k, i) => [k.id, status({ remaining: i === 44 ? 0 : 5 })]));
    await keysItem.setValue(keys);
    await statusesItem.setValue(statuses);
    render(<App locale="en-US" initial={{ keys, statuses, settings: DEFAULT_SETTINGS }} />);
    const first = [...document.querySelectorAll('[data-key-row]')];
    expect(first).toHaveLength(45);
    expect(first[0]?.getAttribute('data-label')).toBe('k44');
  });

  it('reads one key when its own button is pressed', async () => {
    await keysItem.setValue([key('one'), key('two')]);
    await statusesItem.setValue({ one: status({}), two: status({}) });
    const asked: unknown[] = [];
    let finish: () => void = () => undefined;
    handlers.push(onMessage('pollDue', () => ({ total: 0, ok: 0, failed: 0 })));
    handlers.push(
      onMessage('refresh', ({ data }) => {
        asked.push(data);
        return new Promise((resolve) => (finish = () => resolve({ total: 1, ok: 1, failed: 0 })));
      }),
    );
    render(<App locale="en-US" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Read two now' }));
    await waitFor(() => expect(asked).toEqual([{ ids: ['two'] }]));
    expect(document.querySelector('[data-label="two"]')?.getAttribute('aria-busy')).toBe('true');
    expect(document.querySelector('[data-label="one"]')?.getAttribute('aria-busy')).toBe('false');
    expect(document.querySelector('[data-refreshing]')).toBeNull();
    finish();
    await waitFor(() => expect(document.querySelector('[data-label="two"]')?.getAttribute('aria-busy')).toBe('false'));
  });

  it('says so when Read now was held back by the site budget, and when the key is read (the row cannot show it)', async () => {
    // The page's clock held still: "in 19 minutes", not 18 and some milliseconds.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    handlers.push(() => vi.useRealTimers());
    await keysItem.setValue([key('busy')]);
    await statusesItem.setValue({ busy: status({}) });
    handlers.push(onMessage('pollDue', () => ({ total: 0, ok: 0, failed: 0 })));
    handlers.push(
      onMessage('refresh', async () => {
        const at = Date.now();
        await statusesItem.setValue({ busy: { ...status({}), heldBack: { at, until: at + 19 * 60_000 } } });
        return { total: 1, ok: 0, failed: 1 };
      }),
    );
    render(<App locale="en-US" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Read busy now' }));
    const notice = await screen.findByText(
      "busy was not read now: Quota Glance keeps within the site's rate limit. Next read in 19 minutes.",
    );
    expect(notice.closest('[role="status"]')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    expect(screen.queryByText(/was not read now/)).toBeNull();
  });

  it('lists keys worst first and shows progress while Refresh runs', async () => {
    await keysItem.setValue([key('fine'), key('empty'), key('low')]);
    await statusesItem.setValue({ fine: status({}), empty: status({ remaining: 0 }), low: status({ remaining: 0.4 }) });
    let finish: () => void = () => undefined;
    handlers.push(onMessage('pollDue', () => ({ total: 0, ok: 0, failed: 0 })));
    handlers.push(onMessage('refresh', () => new Promise((resolve) => (finish = () => resolve({ total: 3, ok: 3, failed: 0 })))));
    render(<App locale="en-US" />);
    await waitFor(() => expect(document.querySelectorAll('[data-key-row]')).toHaveLength(3));
    expect([...document.querySelectorAll('[data-key-row]')].map((r) => r.getAttribute('data-label'))).toEqual(['empty', 'low', 'fine']);

    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(document.querySelector('[data-refreshing]')).not.toBeNull());
    expect(screen.getByRole('progressbar')).toBeTruthy();
    finish();
    await waitFor(() => expect(document.querySelector('[data-refreshing]')).toBeNull());
  });

  it('offers Stop while a Refresh runs, and asks the background to stop (issue #9, item 6)', async () => {
    await keysItem.setValue([key('slow')]);
    let stopped = 0;
    let finish: () => void = () => undefined;
    handlers.push(onMessage('pollDue', () => ({ total: 0, ok: 0, failed: 0 })));
    handlers.push(onMessage('refresh', () => new Promise((resolve) => (finish = () => resolve({ total: 1, ok: 0, failed: 1 })))));
    handlers.push(
      onMessage('stop', () => {
        stopped++;
        finish();
      }),
    );
    render(<App locale="en-US" />);
    await waitFor(() => expect(document.querySelectorAll('[data-key-row]')).toHaveLength(1));
    expect(screen.queryByRole('button', { name: 'Stop reading' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Stop reading' }));
    await waitFor(() => expect(stopped).toBe(1));
    await waitFor(() => expect(document.querySelector('[data-refreshing]')).toBeNull());
    expect(screen.queryByRole('button', { name: 'Stop reading' })).toBeNull();
  });
});

describe('popup opened with data read before its first render', () => {
  it('still shows a reading written after its first read and before it started watching storage', async () => {
    const keys = [key('late')];
    // Storage already holds the newer reading; the popup starts from the older read.
    await keysItem.setValue(keys);
    await statusesItem.setValue({ late: status({}) });
    render(<App locale="en-US" initial={{ keys, statuses: {}, settings: DEFAULT_SETTINGS }} />);
    await waitFor(() => expect(document.querySelector('[data-key-row]')?.getAttribute('data-state')).toBe('ok'));
  });
});

describe('popup glance', () => {
  const mixed = () => {
    const keys = ['gone', 'empty', 'thin', 'fine', 'yuan', 'lots'].map(key);
    const statuses = {
      gone: status({ expiresAt: NOW_S - 86400 }),
      empty: status({ remaining: 0 }),
      thin: status({ remaining: 0.5 }),
      fine: status({}),
      yuan: status({ unit: { code: 'CNY' }, remaining: 20, granted: 30 }),
      lots: status({ unit: { code: 'tokens' }, remaining: 2_000_000, granted: 3_000_000 }),
    };
    return { keys, statuses };
  };

  it('says how many keys need attention and why, and totals each unit apart', async () => {
    const { keys, statuses } = mixed();
    render(<App locale="en-US" initial={{ keys, statuses, settings: DEFAULT_SETTINGS }} />);
    expect(document.querySelector('[data-summary]')?.textContent).toBe('3 keys need attention: 1 expired, 1 exhausted, 1 low');
    // Only money that can still be spent (issue #19): $0.50 + $8.50, not the expired key's $8.50 — never added to ¥ or tokens.
    expect(document.querySelector('[data-totals]')?.textContent).toBe('Left in total: CN¥20.00 · $9.00 · 2M tokens');
  });

  it('says all is well when it is', async () => {
    const keys = [key('a'), key('b')];
    render(<App locale="en-US" initial={{ keys, statuses: { a: status({}), b: status({}) }, settings: DEFAULT_SETTINGS }} />);
    expect(document.querySelector('[data-summary]')?.textContent).toBe('All 2 keys are fine');
  });

  it('searches and filters from 9 keys, hiding rows but keeping every one in the DOM', async () => {
    const keys = Array.from({ length: 9 }, (_, i) => key(i === 4 ? 'needle' : `k${i}`));
    const statuses = Object.fromEntries(keys.map((k, i) => [k.id, status({ remaining: i === 2 ? 0.3 : 8 })]));
    render(<App locale="en-US" initial={{ keys, statuses, settings: DEFAULT_SETTINGS }} />);
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search keys' }), { target: { value: 'NEED' } });
    const shown = () => [...document.querySelectorAll('[data-key-row]:not([hidden])')].map((r) => r.getAttribute('data-label'));
    expect(shown()).toEqual(['needle']);
    expect(document.querySelectorAll('[data-key-row]')).toHaveLength(9);
    expect(screen.getByText('1 of 9 keys shown')).toBeTruthy();
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search keys' }), { target: { value: '' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Show' }), { target: { value: 'low' } });
    expect(shown()).toEqual(['k2']);
  });

  it('lists a key expiring in 3 days under "Expires soon", as its chip says, and not under OK', async () => {
    // The popup's clock is the page's: held at NOW, so the expiry is 3 days away whatever today is.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    handlers.push(() => vi.useRealTimers());
    const keys = Array.from({ length: 9 }, (_, i) => key(`k${i}`));
    const statuses = Object.fromEntries(keys.map((k, i) => [k.id, status(i === 6 ? { expiresAt: NOW_S + 3 * 86_400 } : {})]));
    render(<App locale="en-US" initial={{ keys, statuses, settings: DEFAULT_SETTINGS }} />);
    const shown = () => [...document.querySelectorAll('[data-key-row]:not([hidden])')].map((r) => r.getAttribute('data-label'));
    const show = screen.getByRole('combobox', { name: 'Show' }) as HTMLSelectElement;
    expect([...show.options].map((o) => o.text)).toContain('Expires soon');
    fireEvent.change(show, { target: { value: 'expiring' } });
    expect(shown()).toEqual(['k6']);
    fireEvent.change(show, { target: { value: 'ok' } });
    expect(shown()).toHaveLength(8);
    expect(shown()).not.toContain('k6');
  });

  it('has no search for 8 keys or fewer', () => {
    const keys = Array.from({ length: 8 }, (_, i) => key(`k${i}`));
    render(<App locale="en-US" initial={{ keys, statuses: {}, settings: DEFAULT_SETTINGS }} />);
    expect(screen.queryByRole('searchbox')).toBeNull();
  });

  it('says "needs access" for a key whose site is not granted, and asks for it from the click', async () => {
    granted = ['https://relay.example.com/*', 'http://127.0.0.1/*'];
    const locked = makeKey({ id: 'locked', label: 'locked', baseUrl: 'https://locked.example.com', secret: 'sk-locked' });
    const keys = [locked, key('open')];
    const statuses = {
      locked: status({}, { kind: 'network', message: 'no permission for this site yet: grant it on the options page', at: NOW }),
      open: status({}),
    };
    const asked: unknown[] = [];
    handlers.push(onMessage('pollDue', () => ({ total: 0, ok: 0, failed: 0 })));
    handlers.push(
      onMessage('refresh', ({ data }) => {
        asked.push(data);
        return { total: 1, ok: 1, failed: 0 };
      }),
    );
    // Stored first, as the popup finds it when it opens.
    await keysItem.setValue(keys);
    await statusesItem.setValue(statuses);
    render(<App locale="en-US" initial={{ keys, statuses, settings: DEFAULT_SETTINGS }} />);
    await screen.findByText('Needs access');
    await waitFor(() => expect(document.querySelector('[data-summary]')?.textContent).toBe('1 key needs attention: 1 without access'));
    expect(document.querySelector('[data-label="locked"]')?.getAttribute('data-state')).toBe('error');
    fireEvent.click(screen.getByRole('button', { name: 'Grant access' }));
    expect(requested).toEqual([['https://locked.example.com/*']]);
    await waitFor(() => expect(asked).toEqual([{ ids: ['locked'] }]));
  });

  it('asks the browser once what it may reach, not once per site', async () => {
    const keys = Array.from({ length: 60 }, (_, i) =>
      makeKey({ id: `k${i}`, label: `k${i}`, baseUrl: `https://relay-${i % 30}.example.com`, secret: `sk-${i}` }),
    );
    const statuses = Object.fromEntries(keys.map((k) => [k.id, status({})]));
    handlers.push(onMessage('pollDue', () => ({ total: 0, ok: 0, failed: 0 })));
    await keysItem.setValue(keys);
    await statusesItem.setValue(statuses);
    render(<App locale="en-US" initial={{ keys, statuses, settings: DEFAULT_SETTINGS }} />);
    await waitFor(() => expect(fakeBrowser.permissions.getAll).toHaveBeenCalledTimes(1));
    // Whatever the popup does after its one look is settled: every row drawn with what it learnt.
    await waitFor(() => expect(document.querySelectorAll('[data-key-row]')).toHaveLength(60));
    expect(fakeBrowser.permissions.contains).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Grant access' })).toBeNull();
  });

  it('translates the error details the extension writes', () => {
    render(
      <KeyRow
        keyConfig={key('k')}
        status={status({}, { kind: 'bad-response', message: 'HTTP 200, a web page', at: NOW })}
        state="error"
        now={NOW}
        locale="en-US"
      />,
    );
    fireEvent.click(screen.getByRole('button', { expanded: false }));
    expect(screen.getByText(/\(HTTP 200, a web page\)/)).toBeTruthy();
  });
});

describe('a row opens and closes', () => {
  it('opens its details and closes them again, each time it is clicked', async () => {
    const keys = [key('toggled')];
    await keysItem.setValue(keys);
    await statusesItem.setValue({ toggled: status({}) });
    render(<App locale="en-US" initial={{ keys, statuses: { toggled: status({}) }, settings: DEFAULT_SETTINGS }} />);
    const toggle = document.querySelector('.row-toggle') as HTMLButtonElement;
    for (const round of [1, 2]) {
      fireEvent.click(toggle);
      await waitFor(() => expect(toggle.getAttribute('aria-expanded')).toBe('true'));
      expect(document.querySelector('.row-details')?.textContent, `round ${round}`).toContain('https://relay.example.com');
      fireEvent.click(toggle);
      await waitFor(() => expect(toggle.getAttribute('aria-expanded')).toBe('false'));
      expect(document.querySelector('.row-details')).toBeNull();
    }
  });
});

describe('popup with many keys', () => {
  it('draws far rows lite with every contract attribute, and in full once scrolled near', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => key(`k${String(i).padStart(2, '0')}`));
    const statuses = Object.fromEntries(keys.map((k) => [k.id, status({})]));
    await keysItem.setValue(keys);
    await statusesItem.setValue(statuses);
    render(<App locale="en-US" initial={{ keys, statuses, settings: DEFAULT_SETTINGS }} />);
    await waitFor(() => expect(document.querySelectorAll('[data-key-row]')).toHaveLength(60));
    const last = () => document.querySelector('[data-label="k59"]') as HTMLElement;
    expect(last().getAttribute('data-remaining')).toBe('8.5');
    expect(last().getAttribute('data-state')).toBe('ok');
    expect(last().querySelector('.read-now')).toBeNull();
    expect(last().textContent).toContain('$8.50');
    // The rows in view first, then the next screenful once the popup settles.
    await waitFor(() => expect(document.querySelectorAll('.read-now').length).toBeGreaterThanOrEqual(FULL_ROWS_AHEAD));
    expect(document.querySelectorAll('.read-now').length).toBeLessThan(60);
    // Reached by the keyboard while lite: focus stays on the row's button when the row is drawn in full.
    (last().querySelector('.row-toggle') as HTMLButtonElement).focus();
    Object.defineProperty(window, 'scrollY', { value: 60 * 46, configurable: true });
    fireEvent.scroll(window);
    await waitFor(() => expect(last().querySelector('.read-now')).not.toBeNull());
    expect(document.activeElement).toBe(last().querySelector('.row-toggle'));
    expect(document.activeElement?.getAttribute('aria-expanded')).toBe('false');
    Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
  });

  it('opens a far row drawn lite in place, with its details, and keeps focus on its button', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => key(`f${String(i).padStart(3, '0')}`));
    const statuses = Object.fromEntries(keys.map((k) => [k.id, status({})]));
    await keysItem.setValue(keys);
    await statusesItem.setValue(statuses);
    render(<App locale="en-US" initial={{ keys, statuses, settings: DEFAULT_SETTINGS }} />);
    const far = () => document.querySelector('[data-label="f199"]') as HTMLElement;
    await waitFor(() => expect(far()).not.toBeNull());
    expect(far().querySelector('.row-details')).toBeNull();
    const button = far().querySelector('.row-toggle') as HTMLButtonElement;
    expect(button.textContent).toBe('f199 · relay.example.com · $8.50 · OK');
    button.focus();
    fireEvent.click(button);
    await waitFor(() => expect(far().querySelector('.row-details')?.textContent).toContain('https://relay.example.com'));
    expect(document.activeElement).toBe(far().querySelector('.row-toggle'));
    expect(document.activeElement?.getAttribute('aria-expanded')).toBe('true');
    // Its contract attributes are the same, lite or full.
    expect(far().getAttribute('data-remaining')).toBe('8.5');
  });

  it('updates a far lite row when its key is read, and only its own', async () => {
    const keys = Array.from({ length: 120 }, (_, i) => key(`u${String(i).padStart(3, '0')}`));
    const statuses = Object.fromEntries(keys.map((k) => [k.id, status({})]));
    await keysItem.setValue(keys);
    await statusesItem.setValue(statuses);
    render(<App locale="en-US" initial={{ keys, statuses, settings: DEFAULT_SETTINGS }} />);
    const row = (label: string) => document.querySelector(`[data-label="${label}"]`) as HTMLElement;
    await waitFor(() => expect(row('u119')).not.toBeNull());
    expect(row('u119').classList.contains('row-lite')).toBe(true);
    const untouched = row('u118').querySelector('.row-toggle');
    await statusesItem.setValue({ ...statuses, u119: status({ remaining: 0.25, fetchedAt: NOW + 60_000 }) });
    await waitFor(() => expect(row('u119').getAttribute('data-remaining')).toBe('0.25'));
    expect(row('u119').getAttribute('data-state')).toBe('low');
    expect(row('u119').textContent).toContain('$0.25');
    expect(row('u118').getAttribute('data-remaining')).toBe('8.5');
    expect(row('u118').querySelector('.row-toggle')).toBe(untouched);
    Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
  });
});

describe('appearance', () => {
  it('answers i18n from a chosen locale, with substitutions, and sets theme and lang', async () => {
    const target = { getUILanguage: () => 'en-US', getMessage: (_key: string, _subs?: string | string[]) => 'browser' };
    const root = document.createElement('html');
    const locale = await applyAppearance(
      { language: 'ja', theme: 'dark', sort: 'urgency', groupBySite: false },
      {
        i18n: target,
        readJson: async (path) => {
          expect(path).toBe('/_locales/ja/messages.json');
          return { readNow: { message: '$1 を今すぐ読み取る' }, price: { message: '$$$1' } };
        },
        root,
      },
    );
    expect(locale).toBe('ja');
    expect(root.lang).toBe('ja');
    expect(root.dataset.theme).toBe('dark');
    expect(target.getMessage('readNow', ['鍵'])).toBe('鍵 を今すぐ読み取る');
    expect(target.getMessage('price', ['5'])).toBe('$5');
  });

  it('keeps the browser language when the locale file cannot be read, and follows the system theme', async () => {
    const original = (_key: string) => 'browser';
    const target = { getUILanguage: () => 'zh-CN', getMessage: original };
    const root = document.createElement('html');
    root.dataset.theme = 'light';
    const locale = await applyAppearance(
      { language: 'zh_CN', theme: 'system', sort: 'urgency', groupBySite: false },
      { i18n: target, readJson: () => Promise.reject(new Error('missing')), root },
    );
    expect(locale).toBe('zh-CN');
    expect(root.dataset.theme).toBeUndefined();
    // The browser's own messages answer, with and without substitutions.
    expect(target.getMessage('stateOk')).toBe('browser');
    expect(target.getMessage('stateOk')).toBe('browser');
  });

  it('answers repeated messages the same as the browser, and never mixes up substitutions', async () => {
    const asked: string[] = [];
    const messages: Record<string, string> = { stateLow: 'Low', readNow: 'Read $1 now', pair: '$2, then $1 ($$1)' };
    // As the browser answers: each $n is the n-th substitution, or nothing.
    const browserAnswer = (key: string, subs?: string | string[]) => {
      const list = subs === undefined ? [] : [subs].flat();
      return (messages[key] ?? '').replace(/\$(\d)/g, (_, n: string) => list[Number(n) - 1] ?? '');
    };
    const browserMessages = (key: string, subs?: string | string[]) => {
      asked.push(key);
      return browserAnswer(key, subs);
    };
    const target = { getUILanguage: () => 'en-US', getMessage: browserMessages };
    await applyAppearance(
      { language: 'browser', theme: 'system', sort: 'urgency', groupBySite: false },
      { i18n: target, readJson: () => Promise.reject(new Error('not asked')), root: document.createElement('html') },
    );
    expect([target.getMessage('stateLow'), target.getMessage('stateLow')]).toEqual(['Low', 'Low']);
    expect(target.getMessage('readNow', ['a'])).toBe('Read a now');
    expect(target.getMessage('readNow', ['$1 b'])).toBe('Read $1 b now');
    expect(target.getMessage('readNow', 'c')).toBe('Read c now');
    for (const subs of [['x', 'y'], ['x'], [], ['$2', '$1']]) expect(target.getMessage('pair', subs)).toBe(browserAnswer('pair', subs));
    // Each message is asked of the browser once, however many rows ask for it.
    expect(asked.filter((k) => k === 'stateLow')).toHaveLength(1);
    expect(asked.filter((k) => k === 'readNow')).toHaveLength(1);
  });
});

describe('popup memory', () => {
  it('keeps no sparkline in memory and reads it from storage when a row opens', async () => {
    // The popup's clock is the page's: held at NOW so the runway is 3 days whatever today is.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    handlers.push(() => vi.useRealTimers());
    const keys = [key('trend')];
    const withTrend: KeyStatus = {
      ...status({}),
      trend: {
        burnPerDay: 1,
        runsOutAt: NOW + 3 * 86_400_000,
        sparkline: [
          [1, 9],
          [2, 8.5],
        ],
      },
    };
    await keysItem.setValue(keys);
    await statusesItem.setValue({ trend: withTrend });
    render(<App locale="en-US" initial={{ keys, statuses: { trend: withTrend }, settings: DEFAULT_SETTINGS }} />);
    fireEvent.click(screen.getByRole('button', { expanded: false }));
    await waitFor(() => expect(document.querySelector('svg.spark polyline')).not.toBeNull());
    // The spend and runway are on the row's line, not said again in the details.
    expect(document.querySelector('.row-trend')?.textContent).toBe('$1.00/day · ~3 days');
    expect(screen.getAllByText(/\$1\.00/)).toHaveLength(1);
  });

  it('holds no secret: keys are kept without them, and a row still reads its key by id', async () => {
    const keys = [key('plain'), key('other')];
    expect(withoutSecrets(keys).map((k) => k.secret)).toEqual(['', '']);
    expect(withoutSecrets(keys).map(({ secret, ...rest }) => rest)).toEqual(keys.map(({ secret, ...rest }) => rest));
    // The stored keys are untouched.
    expect(keys.map((k) => k.secret)).toEqual(['sk-plain', 'sk-other']);
    const asked: unknown[] = [];
    handlers.push(
      onMessage('refresh', ({ data }) => {
        asked.push(data);
        return { total: 1, ok: 1, failed: 0 };
      }),
    );
    await keysItem.setValue(keys);
    render(<App locale="en-US" initial={{ keys: withoutSecrets(keys), statuses: {}, settings: DEFAULT_SETTINGS }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Read plain now' }));
    await waitFor(() => expect(asked).toEqual([{ ids: ['plain'] }]));
    expect(document.body.innerHTML).not.toContain('sk-plain');
  });
});

describe('a popup on stored data of a newer layout (issue #19, item 7)', () => {
  it('says so, and neither sums up the keys nor offers to read them', async () => {
    const keys = [key('a'), key('b')];
    const newer = { at: 1, keys: 0, settings: [], statuses: 0, caches: 0, newer: { layout: 9, reads: 3 } };
    render(
      <App
        locale="en-US"
        initial={{ keys, statuses: { a: status({}), b: status({}) }, settings: DEFAULT_SETTINGS, storedProblems: newer }}
      />,
    );
    expect(document.querySelector('.stored-problem')?.textContent).toContain('Update the extension');
    expect(document.querySelector('[data-summary]')).toBeNull();
    expect((screen.getByRole('button', { name: 'Refresh' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryAllByRole('button', { name: /^Read .* now$/ })).toEqual([]);
    // Every row is still shown, with its contract attributes.
    expect(document.querySelectorAll('[data-key-row]')).toHaveLength(2);
  });
});
