// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeyForm } from '@/components/KeyForm';
import { buildBackup, mergeImport, parseBackup } from '@/lib/backup';
import { KEY_KINDS, type KeyConfig, type ResolvedKind } from '@/lib/model';
import { PROVIDERS } from '@/lib/providers';
import { collect } from '@/lib/providers/collect';
import { probeOrder, recognise } from '@/lib/providers/detect';
import { kindLabel } from '@/lib/providers/labels';
import { MANIFESTS, manifestOf, PROVIDER_IDS } from '@/lib/providers/manifests';
import { pageOf } from '@/lib/providers/pages';
import { ADAPTERS } from '@/lib/providers/read';
import { STORED_KINDS } from '@/lib/schema-kinds';
import { ANSWERS } from './arbitraries';
import { HUB_QUOTA, RELAY_STATS } from './fake-gateway/claude';
import { type FakeGateway, type GatewayOptions, startGateway } from './fake-gateway/gateway';
import { key48, liveContext, makeKey, NOW } from './helpers';

const locale = (file: string) =>
  new Map(parseMessagesText(readFileSync(resolve(process.cwd(), 'locales', file), 'utf8'), 'YAML').map((m) => [m.key.join('_'), m]));
const LOCALES = ['en.yml', 'zh_CN.yml', 'ja.yml'].map(locale);

/**
 * Each kind's imitation in tests/fake-gateway, with one good key, and the key fields
 * a user gives for it. Keyed by kind: a provider cannot be added without its flavour.
 */
const token = key48('contract');
const FLAVOURS: Record<ResolvedKind, { gateway: Omit<GatewayOptions, 'now'>; secret: string; fields?: Partial<KeyConfig> }> = {
  'newapi-token': { gateway: { flavor: 'new-api', tokens: [{ key: token, remain: 500_000, used: 0 }] }, secret: token },
  'openai-billing': { gateway: { flavor: 'one-api', tokens: [{ key: token, remain: 500_000, used: 0 }] }, secret: token },
  'newapi-user': {
    gateway: { flavor: 'new-api', users: [{ id: 3, accessToken: 'access-contract', quota: 500_000, usedQuota: 0 }] },
    secret: 'access-contract',
    fields: { userId: 3 },
  },
  'r9s-manager': { gateway: { flavor: 'r9s', r9s: [{ key: 'sk_mg_c0ffee', balance: 1 }] }, secret: 'sk_mg_c0ffee' },
  openrouter: {
    gateway: { flavor: 'openrouter', provider: { accounts: { 'sk-or-v1-c': { data: { limit: 5, limit_remaining: 4 } } } } },
    secret: 'sk-or-v1-c',
  },
  deepseek: {
    gateway: {
      flavor: 'deepseek',
      provider: { accounts: { 'sk-d': { is_available: true, balance_infos: [{ currency: 'CNY', total_balance: '1.00' }] } } },
    },
    secret: 'sk-d',
  },
  moonshot: {
    gateway: { flavor: 'moonshot', provider: { accounts: { 'sk-m': { code: 0, data: { available_balance: 1 } } } } },
    secret: 'sk-m',
  },
  siliconflow: {
    gateway: { flavor: 'siliconflow', provider: { accounts: { 'sk-s': { code: 20000, data: { totalBalance: '1.00' } } } } },
    secret: 'sk-s',
  },
  stepfun: { gateway: { flavor: 'stepfun', provider: { accounts: { 'sk-t': { object: 'account', balance: 1 } } } }, secret: 'sk-t' },
  'claude-relay': {
    gateway: { flavor: 'claude-relay', claude: { relay: { [`cr_${'c0'.repeat(32)}`]: { answer: RELAY_STATS } } } },
    secret: `cr_${'c0'.repeat(32)}`,
  },
  'claude-code-hub': { gateway: { flavor: 'claude-code-hub', claude: { hub: { 'sk-h': { quota: HUB_QUOTA } } } }, secret: 'sk-h' },
  'glm-coding': {
    gateway: { flavor: 'glm-coding', provider: { accounts: { 'glm-c': { code: 200, success: true, data: { limits: [] } } } } },
    secret: 'glm-c',
  },
  'kimi-code': { gateway: { flavor: 'kimi-code', provider: { accounts: { 'sk-kimi-c': { limits: [] } } } }, secret: 'sk-kimi-c' },
  custom: {
    gateway: { flavor: 'custom', provider: { accounts: { 'sk-c': { left: 1 } } } },
    secret: 'sk-c',
    fields: { custom: { path: '/api/balance', remaining: '/left' } },
  },
  sub2api: {
    gateway: {
      flavor: 'sub2api',
      provider: {
        accounts: { 'sk-s2a': '{"balance":1,"isValid":true,"mode":"unrestricted","planName":"钱包余额","remaining":1,"unit":"USD"}' },
      },
    },
    secret: 'sk-s2a',
  },
};

const running: Partial<Record<ResolvedKind, FakeGateway>> = {};
beforeAll(async () => {
  for (const id of PROVIDER_IDS) running[id] = await startGateway({ ...FLAVOURS[id].gateway, now: () => NOW });
});
afterAll(async () => {
  await Promise.all(Object.values(running).map((g) => g?.close()));
});
afterEach(cleanup);

describe('the provider registry', () => {
  it('is where the kinds come from: the manifests, and the readers for exactly those kinds', () => {
    expect(KEY_KINDS).toEqual(['auto', ...Object.keys(MANIFESTS)]);
    expect(STORED_KINDS).toEqual(KEY_KINDS);
    expect(Object.keys(PROVIDERS)).toEqual(PROVIDER_IDS);
    expect(Object.keys(ADAPTERS)).toEqual(PROVIDER_IDS);
  });

  it('finds each kind in its folder by id, and says which kind lacks a piece', () => {
    expect(Object.values(PROVIDERS).map((p) => p.id)).toEqual([...PROVIDER_IDS]);
    expect(Object.values(MANIFESTS).map((m) => m.id)).toEqual([...PROVIDER_IDS]);
    expect(PROVIDER_IDS.map((id) => pageOf(id)?.id)).toEqual([...PROVIDER_IDS]);
    const modules = { './a/page.ts': { page: { id: 'a', expiry: 'reported' }, HELPER: 'x' } };
    expect(collect(modules, (v) => typeof v.expiry === 'string', ['a'], 'page.ts')).toEqual({ a: { id: 'a', expiry: 'reported' } });
    expect(() => collect(modules, (v) => typeof v.expiry === 'string', ['a', 'b'], 'page.ts')).toThrow('no page.ts for the kind b');
  });

  it('registers every provider folder: a folder left out of PROVIDER_IDS would never be read', () => {
    const pages = import.meta.glob<Record<string, { id?: string }>>('../lib/providers/*/page.ts', { eager: true });
    const folders = readdirSync('lib/providers', { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(Object.keys(pages).length).toBe(folders.length);
    const registered = new Set<string>(PROVIDER_IDS);
    for (const [path, module] of Object.entries(pages)) {
      const ids = Object.values(module).flatMap((v) => (typeof v?.id === 'string' ? [v.id] : []));
      expect(ids.length, path).toBeGreaterThan(0);
      for (const id of ids) expect(registered.has(id), `${path}: ${id}`).toBe(true);
    }
  });

  it("orders auto's probes by the manifests: new-api's token route first only where the site says new-api", () => {
    expect(probeOrder(true)).toEqual(['newapi-token', 'openai-billing']);
    expect(probeOrder(false)).toEqual(['openai-billing', 'newapi-token']);
  });
});

describe.each(PROVIDER_IDS)('%s', (id) => {
  const provider = PROVIDERS[id];

  const manifest = manifestOf(id);

  it('is filed under its own id, and its reader carries its manifest', () => {
    expect(manifest.id).toBe(id);
    expect(provider).toMatchObject(manifest);
  });

  it('has a label in all three locales, its own message or its brand in the shared template', () => {
    const { label } = manifest;
    const keys = 'message' in label ? [label.message] : ['kindApiKey', 'kindApiKeyPrefixed'];
    for (const messages of LOCALES) for (const key of keys) expect(messages.has(key), key).toBe(true);
    if ('brand' in label) expect(kindLabel(id)).toContain(label.brand);
    if ('brand' in label && manifest.secretPrefix) expect(kindLabel(id)).toContain(manifest.secretPrefix);
    expect(kindLabel(id)).not.toMatch(/^kind|\$\d/);
    expect(kindLabel(id).length).toBeGreaterThan(2);
  });

  it('says how auto recognises it (or that the user chooses it), and is recognised by that', () => {
    const { secretPrefix, hosts = [], probe, form, userChooses } = manifest;
    // A kind with no prefix, host, probe or form of its own is the user's choice (Manifest.probe): auto never takes a key for it.
    if (userChooses || (!secretPrefix && !hosts.length && !probe && !form))
      expect(recognise({ secret: `sk-${id}`, baseUrl: `https://${id}.test` })).toBeNull();
    if (secretPrefix) expect(recognise({ secret: `${secretPrefix}abc`, baseUrl: 'https://elsewhere.test' })).toBe(id);
    for (const host of hosts) expect(recognise({ secret: 'sk-abc', baseUrl: `https://${host}` })).toBe(id);
    if (probe) expect(probeOrder(false)).toContain(id);
    if (manifest.home) expect(hosts).toContain(new URL(manifest.home).hostname);
  });

  it('has property-test arbitraries', () => {
    expect(ANSWERS[id]).toBeDefined();
  });

  it('is read from its fake-gateway flavour', async () => {
    const gateway = running[id] as FakeGateway;
    const { secret, fields } = FLAVOURS[id];
    const outcome = await ADAPTERS[id](makeKey({ kind: id, baseUrl: gateway.url, secret, ...fields }), liveContext(gateway.url));
    expect(outcome).toMatchObject({ ok: true, reading: { kind: id } });
  });

  it('is refused by its fake-gateway flavour for a key it does not know', async () => {
    const gateway = running[id] as FakeGateway;
    const { fields } = FLAVOURS[id];
    const stranger = id === 'newapi-token' || id === 'openai-billing' ? key48('stranger') : `${FLAVOURS[id].secret}-stranger`;
    const outcome = await ADAPTERS[id](makeKey({ kind: id, baseUrl: gateway.url, secret: stranger, ...fields }), liveContext(gateway.url));
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'auth' } });
  });

  it('can be created with the form, and survives a backup round trip', () => {
    const onSubmit = vi.fn();
    render(<KeyForm defaultThresholdText="10%" defaultInterval={30} busy={false} onSubmit={onSubmit} />);
    const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: id } });
    // The kind's own fields are the ones its manifest names, and no other kind's.
    expect(!!screen.queryByLabelText('User id')).toBe(manifest.form === 'account');
    expect(!!screen.queryByLabelText('Endpoint path')).toBe(manifest.form === 'custom');
    type('Label', `my ${id}`);
    if (!manifest.home) type('Site address', 'https://relay.example.com');
    type('Key or access token', FLAVOURS[id].secret);
    if (id === 'newapi-user') type('User id', '3');
    if (id === 'custom') {
      type('Endpoint path', '/api/balance');
      type('Remaining amount at', '/left');
    }
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const draft = onSubmit.mock.calls[0]?.[0] as Omit<KeyConfig, 'id' | 'createdAt' | 'updatedAt'>;
    expect(draft.kind).toBe(id);

    const stored: KeyConfig = { id: 'k', createdAt: 1, updatedAt: 1, ...draft, ...(id === 'moonshot' ? { currency: 'USD' } : {}) };
    const parsed = parseBackup(buildBackup([stored], true, 0));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const merged = mergeImport([], parsed.keys, 5, () => 'new');
    // Backup version 3 carries the key's id and last change (automation.md §3.4).
    expect(merged.ok && merged.keys[0]).toEqual({ ...stored, createdAt: 5 });
  });
});
