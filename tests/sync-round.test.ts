import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emptyState, type VaultKey as FileKey, type VaultState, vaultPlain } from '@/lib/sync/content';
import { type LocalSide, readVault, syncRound } from '@/lib/sync/round';
import {
  deriveVaultKey,
  envelopeText,
  newSalt,
  open,
  parseEnvelope,
  seal,
  VAULT_ITERATIONS,
  type VaultKey,
  WRONG_PASSPHRASE,
} from '@/lib/sync/vault';
import { type DavConfig, DavError, ensureFolder, getVault, normaliseAddress, putVault } from '@/lib/sync/webdav';
import { type FakeDav, startFakeDav } from './fake-dav/server';

const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);
let vaultKey: VaultKey;
let otherKey: VaultKey;
const servers: FakeDav[] = [];

beforeAll(async () => {
  const salt = newSalt();
  vaultKey = await deriveVaultKey('correct horse battery staple', salt);
  otherKey = await deriveVaultKey('not the passphrase', salt);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function dav(): Promise<{ server: FakeDav; config: DavConfig }> {
  const server = await startFakeDav('ann', 'pw ü');
  servers.push(server);
  return { server, config: { address: server.url, user: 'ann', password: 'pw ü' } };
}
const deps = { fetch: (...args: Parameters<typeof fetch>) => fetch(...args) };

const key = (id: string, label: string, updatedAt: number): FileKey =>
  ({
    id,
    label,
    baseUrl: 'https://relay.example.com',
    kind: 'newapi-token',
    secret: `sk-secret-${id}-0123456789`,
    muted: false,
    pinned: false,
    updatedAt,
  }) as FileKey;

/** A browser's side in memory: `version` moves with every change, as the stored list's does. */
interface Side {
  state: VaultState;
  version: number;
  applied: number;
  local: LocalSide<number>;
}
function browserSide(initial: VaultState = emptyState()): Side {
  const side: Side = {
    state: initial,
    version: 0,
    applied: 0,
    local: {
      read: async () => ({ state: side.state, mark: side.version }),
      apply: async (merged: VaultState, mark: number) => {
        if (mark !== side.version) return false;
        side.state = merged;
        side.version++;
        side.applied++;
        return true;
      },
    } satisfies LocalSide<number>,
  };
  return side;
}

describe('vault envelope (automation.md §6)', () => {
  it('writes the envelope of §6 with PBKDF2 600,000, a 16-byte salt and a fresh 12-byte IV each time', async () => {
    const a = await seal(vaultKey, 'same text');
    const b = await seal(vaultKey, 'same text');
    expect(Object.keys(a)).toEqual(['type', 'v', 'kdf', 'hash', 'iter', 'cipher', 'salt', 'iv', 'ct']);
    expect(a).toMatchObject({
      type: 'quota-glance-vault',
      v: 1,
      kdf: 'PBKDF2',
      hash: 'SHA-256',
      iter: VAULT_ITERATIONS,
      cipher: 'AES-GCM',
    });
    expect(VAULT_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(atob(a.salt)).toHaveLength(16);
    expect(atob(a.iv)).toHaveLength(12);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
    expect(await open(vaultKey, parseEnvelope(envelopeText(a)))).toBe('same text');
  });

  it('tells a wrong passphrase apart from a damaged file and a newer one', async () => {
    const text = envelopeText(await seal(vaultKey, 'inside'));
    await expect(open(otherKey, parseEnvelope(text))).rejects.toMatchObject({ problem: 'wrong-passphrase', message: WRONG_PASSPHRASE });
    const broken = JSON.parse(text);
    broken.ct = broken.ct.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'));
    // A flipped byte of a well-formed file fails GCM's check like a wrong key: both say the passphrase does not open it.
    await expect(open(vaultKey, parseEnvelope(JSON.stringify(broken)))).rejects.toMatchObject({ problem: 'wrong-passphrase' });
    expect(() => parseEnvelope('{"type":"quota-glance-vault"')).toThrow(expect.objectContaining({ problem: 'damaged' }));
    expect(() => parseEnvelope(JSON.stringify({ ...JSON.parse(text), iv: 'AAAA' }))).toThrow(
      expect.objectContaining({ problem: 'damaged' }),
    );
    expect(() => parseEnvelope(JSON.stringify({ ...JSON.parse(text), iter: 1000 }))).toThrow(
      expect.objectContaining({ problem: 'damaged' }),
    );
    expect(() => parseEnvelope(JSON.stringify({ ...JSON.parse(text), v: 2 }))).toThrow(expect.objectContaining({ problem: 'newer' }));
  });

  it('says a vault made anew (another salt) apart from a wrong passphrase: only the passphrase typed again opens it', async () => {
    const text = envelopeText(await seal(await deriveVaultKey('correct horse battery staple', newSalt()), 'inside'));
    await expect(open(vaultKey, parseEnvelope(text))).rejects.toMatchObject({ problem: 'rekeyed' });
  });

  it('derives a key that cannot be exported', async () => {
    expect(vaultKey.key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', vaultKey.key)).rejects.toThrow();
  });
});

describe('WebDAV client', () => {
  it('sends Basic auth it sets itself, creates a missing folder with MKCOL, and reads and writes the file', async () => {
    const { server, config } = await dav();
    const nested = { ...config, address: `${config.address}/team` };
    await ensureFolder(nested, deps);
    expect(server.requests.map((r) => r.method)).toEqual(['PROPFIND', 'MKCOL']);
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ann:pw ü').toString('base64')}`);
    expect(await getVault(nested, deps)).toBeNull();
    expect(await putVault(nested, deps, 'one', null)).toBe(true);
    const read = await getVault(nested, deps);
    expect(read?.text).toBe('one');
    expect(await putVault(nested, deps, 'two', read?.etag ?? null)).toBe(true);
    // A write over a version that changed meanwhile is refused where the server honours If-Match.
    expect(await putVault(nested, deps, 'three', read?.etag ?? null)).toBe(false);
    expect(server.files.get('/dav/qg/team/quota-glance.vault.json')).toBe('two');
  });

  it.each([
    [401, 'auth', '401'],
    [507, 'full', '507'],
    [500, 'server', '500'],
  ])('says what %i means', async (status, code, words) => {
    const { server, config } = await dav();
    server.fail = status;
    const error = await getVault(config, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DavError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toContain(words);
  });

  it('makes missing folders above the address (409), reports one it cannot make, a wrong password, and never sends the password elsewhere', async () => {
    const { server, config } = await dav();
    await ensureFolder({ ...config, address: `${server.url}/no/such` }, deps);
    expect(server.folders.has('/dav/qg/no/such')).toBe(true);
    // The fake server's root takes no folders: a folder right under it cannot be made.
    await expect(ensureFolder({ ...config, address: `${new URL(server.url).origin}/top` }, deps)).rejects.toMatchObject({
      code: 'no-parent',
    });
    await expect(getVault({ ...config, password: 'wrong' }, deps)).rejects.toMatchObject({ code: 'auth' });
    // A redirect is not followed: the request stops at the address typed.
    const redirecting = createServer((_req, res) => res.writeHead(302, { Location: `${server.url}/quota-glance.vault.json` }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const before = server.requests.length;
    const address = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/dav`;
    await expect(getVault({ ...config, address }, deps)).rejects.toMatchObject({ code: 'redirect' });
    expect(server.requests.length).toBe(before);
    redirecting.close();
  });

  it('says network when nothing listens, and gives up at its deadline when the server never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    await expect(
      getVault({ address: `http://127.0.0.1:${port}`, user: 'a', password: 'b' }, { ...deps, timeoutMs: 100 }),
    ).rejects.toMatchObject({
      code: 'timeout',
    });
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await expect(getVault({ address: `http://127.0.0.1:${port}`, user: 'a', password: 'b' }, deps)).rejects.toMatchObject({
      code: 'network',
    });
  });

  it('takes only plain http(s) folder addresses', () => {
    expect(normaliseAddress(' https://dav.jianguoyun.com/dav/qg/ ')).toBe('https://dav.jianguoyun.com/dav/qg');
    expect(normaliseAddress('https://user:pw@example.com/dav')).toBeNull();
    expect(normaliseAddress('ftp://example.com/dav')).toBeNull();
    expect(normaliseAddress('not a url')).toBeNull();
  });
});

describe('sync round', () => {
  const round = (config: DavConfig, local: LocalSide<number>, key = vaultKey, now = NOW) =>
    syncRound({ dav: config, davDeps: deps, key, local, now: () => now });

  it('carries adds, edits and deletes between two browsers; the file holds no label, site or secret in plain text', async () => {
    const { server, config } = await dav();
    const a = browserSide({ keys: [key('k1', 'laptop', NOW - 10)], deleted: [] });
    const b = browserSide({ keys: [key('k2', 'desktop', NOW - 5)], deleted: [] });
    expect(await round(config, a.local)).toEqual({ wrote: true, changedLocal: false });
    expect(await round(config, b.local)).toEqual({ wrote: true, changedLocal: true });
    expect(b.state.keys.map((k) => k.label)).toEqual(['laptop', 'desktop']);
    await round(config, a.local);
    expect(a.state.keys.map((k) => k.label)).toEqual(['laptop', 'desktop']);
    // a edits laptop and deletes desktop.
    a.state = { keys: [{ ...key('k1', 'laptop 2', NOW + 1) }], deleted: [{ id: 'k2', deletedAt: NOW + 1 }] };
    a.version++;
    await round(config, a.local, vaultKey, NOW + 2);
    await round(config, b.local, vaultKey, NOW + 3);
    expect(b.state.keys.map((k) => k.label)).toEqual(['laptop 2']);
    expect(b.state.deleted).toEqual([{ id: 'k2', deletedAt: NOW + 1 }]);
    const file = server.files.get('/dav/qg/quota-glance.vault.json') as string;
    // Long enough that random base64 cannot spell them by chance (a 2-letter id would, one run in four).
    for (const plain of ['laptop', 'relay.example.com', 'sk-secret']) expect(file).not.toContain(plain);
  });

  it('a wrong passphrase changes nothing here or on the server', async () => {
    const { server, config } = await dav();
    await round(config, browserSide({ keys: [key('k1', 'laptop', NOW)], deleted: [] }).local);
    const before = server.files.get('/dav/qg/quota-glance.vault.json');
    const c = browserSide({ keys: [key('k9', 'mine', NOW)], deleted: [] });
    await expect(round(config, c.local, otherKey)).rejects.toThrow(WRONG_PASSPHRASE);
    expect(c.applied).toBe(0);
    expect(server.files.get('/dav/qg/quota-glance.vault.json')).toBe(before);
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('a server failure (507) changes nothing here', async () => {
    const { server, config } = await dav();
    const a = browserSide({ keys: [key('k1', 'laptop', NOW)], deleted: [] });
    await round(config, a.local);
    const b = browserSide({ keys: [key('k2', 'other', NOW)], deleted: [] });
    server.fail = 507;
    await expect(round(config, b.local)).rejects.toMatchObject({ code: 'full' });
    expect(b.applied).toBe(0);
  });

  it('merges again when another browser writes in between and the server ignores If-Match (rclone)', async () => {
    const { server, config } = await dav();
    server.ignoreIfMatch = true;
    const a = browserSide({ keys: [key('k1', 'a', NOW)], deleted: [] });
    await round(config, a.local);
    // Just after b's write lands, another browser that read the file before it writes k1 and k3 over it.
    const other = envelopeText(
      await seal(vaultKey, vaultPlain({ keys: [key('k1', 'a', NOW), key('k3', 'a again', NOW + 1)], deleted: [] }, NOW)),
    );
    server.afterPut = (path) => {
      server.afterPut = undefined;
      server.files.set(path, other);
    };
    const b = browserSide({ keys: [key('k2', 'b', NOW)], deleted: [] });
    await round(config, b.local, vaultKey, NOW + 3);
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(3);
    const final = await readVault(config, deps, vaultKey);
    expect(final?.state.keys.map((k) => k.id)).toEqual(['k1', 'k2', 'k3']);
    expect(b.state.keys.map((k) => k.id)).toEqual(['k1', 'k2', 'k3']);
  });

  it('a round stopped after its write (a worker killed) loses nothing: the next one finishes it', async () => {
    const { config } = await dav();
    const a = browserSide({ keys: [key('k1', 'a', NOW)], deleted: [] });
    await round(config, a.local);
    const b = browserSide({ keys: [key('k2', 'b', NOW)], deleted: [] });
    const apply = b.local.apply;
    b.local.apply = async () => {
      throw new Error('worker stopped');
    };
    await expect(round(config, b.local, vaultKey, NOW + 1)).rejects.toThrow('worker stopped');
    expect(b.state.keys.map((k) => k.id)).toEqual(['k2']);
    b.local.apply = apply;
    await round(config, b.local, vaultKey, NOW + 2);
    await round(config, a.local, vaultKey, NOW + 3);
    expect(b.state.keys.map((k) => k.id)).toEqual(['k1', 'k2']);
    expect(a.state.keys.map((k) => k.id)).toEqual(['k1', 'k2']);
  });
});
