// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeyForm } from '@/components/KeyForm';
import { ADAPTERS } from '@/lib/adapters';
import { buildBackup, mergeImport, parseBackup } from '@/lib/backup';
import { KEY_KINDS, type KeyConfig, type ResolvedKind } from '@/lib/model';
import { PROVIDER_IDS, PROVIDERS, recognise } from '@/lib/providers';
import { kindLabel } from '@/lib/providers/labels';
import { ANSWERS } from './arbitraries';
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
  custom: {
    gateway: { flavor: 'custom', provider: { accounts: { 'sk-c': { left: 1 } } } },
    secret: 'sk-c',
    fields: { custom: { path: '/api/balance', remaining: '/left' } },
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
  it('is where the kinds come from', () => {
    expect(KEY_KINDS).toEqual(['auto', ...Object.keys(PROVIDERS)]);
    expect(Object.keys(ADAPTERS)).toEqual(PROVIDER_IDS);
  });
});

describe.each(PROVIDER_IDS)('%s', (id) => {
  const provider = PROVIDERS[id];

  it('is filed under its own id', () => {
    expect(provider.id).toBe(id);
  });

  it('has a label in all three locales', () => {
    for (const messages of LOCALES) expect(messages.has(provider.label), provider.label).toBe(true);
    expect(kindLabel(id)).not.toBe(provider.label);
    expect(kindLabel(id).length).toBeGreaterThan(2);
  });

  it('says how auto recognises it, and is recognised by that', () => {
    const { secretPrefix, hosts = [], siteProbe, manual } = provider.detect;
    expect(!!secretPrefix || hosts.length > 0 || !!siteProbe || !!manual).toBe(true);
    if (secretPrefix) expect(recognise({ secret: `${secretPrefix}abc`, baseUrl: 'https://elsewhere.test' })).toBe(id);
    for (const host of hosts) expect(recognise({ secret: 'sk-abc', baseUrl: `https://${host}` })).toBe(id);
    if (provider.defaultSite) expect(provider.hosts).toContain(new URL(provider.defaultSite).hostname);
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

  it('can be created with the form, and survives a backup round trip', () => {
    const onSubmit = vi.fn();
    render(<KeyForm defaultThresholdText="10%" defaultInterval={30} busy={false} onSubmit={onSubmit} />);
    const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: id } });
    type('Label', `my ${id}`);
    if (!provider.defaultSite) type('Site address', 'https://relay.example.com');
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
