// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Background } from '@/entrypoints/background/create';
import { keyWriter } from '@/entrypoints/background/key-writer';
import { App } from '@/entrypoints/options/App';
import { type Engine, PROBE_REUSE_MS } from '@/lib/engine';
import type { KeyConfig } from '@/lib/model';
import { permissionPattern } from '@/lib/site';
import { keyState, withDefaults } from '@/lib/state';
import { budgetItem, historyItem, keysItem, settingsItem, statusesItem } from '@/lib/storage/items';
import { plainDecimal } from '@/lib/units';
import { sendAsExtensionPage, startBackground } from './background-helpers';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { key48 } from './helpers';

/**
 * Saving a key reads it once (issue #9, item 3, and new-api's token route budget,
 * shared/spec/new-api.md §9): the options page against the background as the browser runs
 * it (entrypoints/background/create.ts), and a local imitation of new-api that counts what it receives.
 */
const good = key48('good');
const low = key48('low');
const other = key48('other');
let site: FakeGateway;
let clock: number;
let background: Background;
let engine: Engine;
/** Host access the person granted (production builds grant none at install). */
let granted: Set<string>;
/** The background's way of giving access back. */
const release = () => background.release();
/** The notifications shown: their titles. */
const notified = () => Object.values(fakeBrowser.notifications.getAllCreateOptions()).map((n) => n.title);

beforeEach(async () => {
  // The page's fetch is happy-dom's: the extension's own requests are not subject to CORS (host permission).
  (
    window as unknown as { happyDOM: { settings: { fetch: { disableSameOriginPolicy: boolean } } } }
  ).happyDOM.settings.fetch.disableSameOriginPolicy = true;
  clock = Date.now();
  granted = new Set();
  Object.assign(fakeBrowser.permissions, {
    request: async ({ origins = [] }: { origins?: string[] }) => {
      for (const origin of origins) granted.add(origin);
      return true;
    },
    remove: async ({ origins = [] }: { origins?: string[] }) => {
      for (const origin of origins) granted.delete(origin);
      return true;
    },
    contains: async ({ origins = [] }: { origins?: string[] }) => origins.every((o) => granted.has(o)),
    getAll: async () => ({ origins: [...granted], permissions: [] }),
  });
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'x', version: '1' });
  site = await startGateway({
    flavor: 'new-api',
    rateLimits: true,
    now: () => clock,
    tokens: [
      { key: good, name: 'good', remain: 4_250_000, used: 750_000 },
      { key: low, name: 'low', remain: 100_000, used: 4_900_000 },
      { key: other, name: 'other', remain: 1_000_000, used: 0 },
    ],
  });
  sendAsExtensionPage();
  background = startBackground({ fetch: (...args) => fetch(...args), now: () => clock, timeoutMs: 2000 });
  engine = background.engine;
  await background.ready;
});
afterEach(async () => {
  cleanup();
  background.stop();
  vi.restoreAllMocks();
  await site.close();
});

const tokenRequests = () => site.requests.filter((r) => r.path === '/api/usage/token/');
/** What the popup's row says of a stored key: its `data-state` and `data-remaining` (automation.md §4). */
async function row(label: string) {
  const key = (await keysItem.getValue()).find((k) => k.label === label);
  if (!key) return undefined;
  const status = (await statusesItem.getValue())[key.id];
  const remaining = status?.reading?.remaining;
  return {
    state: keyState(key, status, withDefaults(await settingsItem.getValue()), Date.now()),
    remaining: remaining === null || remaining === undefined ? '' : plainDecimal(remaining),
    error: status?.error?.kind ?? '',
  };
}

/** Opens the options page and types a new key on the test site into the add form. */
async function fill(label: string, secret: string) {
  render(<App locale="en-US" />);
  fireEvent.input(await screen.findByLabelText('Label'), { target: { value: label } });
  fireEvent.input(screen.getByLabelText('Site address'), { target: { value: site.url } });
  fireEvent.input(screen.getByLabelText('Key or access token'), { target: { value: secret } });
}

async function fillAndSave(label: string, secret: string) {
  await fill(label, secret);
  fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
}

describe('Save reads a key once (issue #9, item 3)', () => {
  it('a new working key: one token-route request, and the answer recorded as a read (status, history, budget)', async () => {
    await fillAndSave('works', `sk-${good}`);
    await screen.findByText('Saved. works: OK · $8.50 of $10.00');
    expect(tokenRequests()).toHaveLength(1);
    expect(tokenRequests()[0]?.headers.authorization).toBe(`Bearer sk-${good}`);
    // Nothing else is asked twice either.
    const paths = site.requests.map((r) => r.path);
    expect(paths).toEqual([...new Set(paths)]);
    expect(await row('works')).toEqual({ state: 'ok', remaining: '8.5', error: '' });
    const [key] = await keysItem.getValue();
    const id = (key as KeyConfig).id;
    expect((await statusesItem.getValue())[id]).toMatchObject({ failures: 0, detectedKind: 'newapi-token', error: null });
    expect((await historyItem.getMany([id]))[id]).toHaveLength(1);
    // The one request is counted in the site's budget once.
    expect(Object.values(await budgetItem.getValue()).flat()).toHaveLength(1);
  });

  it('a low key: one request, and its alert is announced as after any read', async () => {
    await fillAndSave('nearly out', `sk-${low}`);
    await screen.findByText(/^Saved\. nearly out: Low · \$0\.20/);
    expect(tokenRequests()).toHaveLength(1);
    expect(await row('nearly out')).toMatchObject({ state: 'low', remaining: '0.2' });
    await expect.poll(notified).toEqual(['nearly out: Low']);
  });

  it('after "Save anyway" on a refused key: one request, stored as invalid', async () => {
    await fillAndSave('revoked', `sk-${key48('revoked')}`);
    fireEvent.click(await screen.findByRole('button', { name: 'Save anyway' }));
    await screen.findByText(/^Saved\. revoked: /);
    expect(tokenRequests()).toHaveLength(1);
    expect(await row('revoked')).toEqual({ state: 'invalid', remaining: '', error: 'auth' });
  });

  it('a Test, then Save of the same draft: one request in all', async () => {
    await fill('tested', `sk-${good}`);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await screen.findByText('Test: OK · $8.50 of $10.00');
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    await screen.findByText('Saved. tested: OK · $8.50 of $10.00');
    expect(tokenRequests()).toHaveLength(1);
    expect(await row('tested')).toEqual({ state: 'ok', remaining: '8.5', error: '' });
  });

  it('an edit that changes the secret: one request, with the new secret, and its answer stored', async () => {
    await fillAndSave('edited', `sk-${good}`);
    await screen.findByText('Saved. edited: OK · $8.50 of $10.00');
    fireEvent.click(screen.getByRole('button', { name: 'Edit', description: 'edited' }));
    const editor = document.querySelector('.editor') as HTMLElement;
    fireEvent.input(editor.querySelector('input[name="secret"]') as Element, { target: { value: `sk-${other}` } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved. edited: OK · $2.00 of $2.00');
    expect(tokenRequests().map((r) => r.headers.authorization)).toEqual([`Bearer sk-${good}`, `Bearer sk-${other}`]);
    expect(await row('edited')).toEqual({ state: 'ok', remaining: '2', error: '' });
  });
});

describe("the engine records a draft's answer only for the key it was read with", () => {
  const draft = (secret: string): KeyConfig => ({
    id: 'probe',
    label: 'draft',
    baseUrl: site.url,
    kind: 'newapi-token',
    secret: `sk-${secret}`,
    createdAt: 0,
    updatedAt: 0,
  });
  const save = async (key: KeyConfig) => keyWriter.change({ type: 'put', key: { ...key, id: 'saved' } });
  beforeEach(() => void granted.add(permissionPattern(site.url)));

  it('reads as usual with an unknown probe id', async () => {
    await save(draft(good));
    await engine.refresh(['saved'], { reset: true, probe: 'no-such-probe' });
    expect(tokenRequests()).toHaveLength(1);
    expect(await row('draft')).toMatchObject({ state: 'ok', remaining: '8.5' });
  });

  it(`reads again when the answer is older than ${PROBE_REUSE_MS / 1000} s, and uses an answer once`, async () => {
    const late = await engine.probe(draft(good));
    await save(draft(good));
    clock += PROBE_REUSE_MS + 1;
    await engine.refresh(['saved'], { reset: true, probe: late.probeId as string });
    expect(tokenRequests()).toHaveLength(2);

    const fresh = await engine.probe(draft(good));
    await engine.refresh(['saved'], { reset: true, probe: fresh.probeId as string });
    expect(tokenRequests()).toHaveLength(3);
    await engine.refresh(['saved'], { probe: fresh.probeId as string });
    expect(tokenRequests()).toHaveLength(4);
  });

  it('does not reuse the answer when the saved key was changed after the probe (another secret)', async () => {
    const probed = await engine.probe(draft(good));
    await save(draft(other));
    await engine.refresh(['saved'], { reset: true, probe: probed.probeId as string });
    expect(tokenRequests().map((r) => r.headers.authorization)).toEqual([`Bearer sk-${good}`, `Bearer sk-${other}`]);
    expect(await row('draft')).toMatchObject({ state: 'ok', remaining: '2' });
  });

  it('keeps no secret where it keeps a probe: its id says nothing of the key', async () => {
    const probed = await engine.probe(draft(good));
    expect(probed.probeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(good);
  });
});

describe("a draft's host access (production: nothing granted at install)", () => {
  it('stays after Save, so the saved key goes on being read', async () => {
    await fillAndSave('kept', `sk-${good}`);
    await screen.findByText('Saved. kept: OK · $8.50 of $10.00');
    expect(granted).toEqual(new Set([permissionPattern(site.url)]));
    clock += PROBE_REUSE_MS + 1;
    await release();
    await engine.refresh('all');
    expect(await row('kept')).toEqual({ state: 'ok', remaining: '8.5', error: '' });
    expect(tokenRequests()).toHaveLength(2);
  });

  it('is given back after a Test alone, once its answer is no longer kept', async () => {
    await fill('tested', `sk-${good}`);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await screen.findByText('Test: OK · $8.50 of $10.00');
    await release();
    expect(granted.size).toBe(1);
    clock += PROBE_REUSE_MS + 1;
    await release();
    expect(granted.size).toBe(0);
  });
});
