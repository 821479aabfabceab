import { describe, expect, it } from 'vitest';
import { encryptedExport } from '@/entrypoints/options/export-encrypted';
import { analyseImport, unlockImport } from '@/lib/imports/detect';
import { keysItem } from '@/lib/storage/items';
import { tombstonesItem } from '@/lib/sync/stored';
import { makeKey } from './helpers';

describe('Export encrypted and Import of a vault (automation.md §6)', () => {
  it('writes the vault envelope, which Import opens only with its passphrase', async () => {
    const now = Date.now();
    await keysItem.setValue([
      makeKey({ id: 'k1', label: 'laptop relay', baseUrl: 'https://relay.example.com', secret: 'sk-laptop-0123456789' }),
    ]);
    await tombstonesItem.setValue([{ id: 'gone', deletedAt: now - 1000 }]);
    const text = await encryptedExport('export passphrase', now);
    const envelope = JSON.parse(text);
    expect(envelope).toMatchObject({ type: 'quota-glance-vault', v: 1, kdf: 'PBKDF2', hash: 'SHA-256', iter: 600_000, cipher: 'AES-GCM' });
    for (const plain of ['laptop', 'relay.example.com', 'sk-laptop']) expect(text).not.toContain(plain);

    const first = analyseImport(text);
    expect(first.status).toBe('password');
    if (first.status !== 'password') return;
    expect(await unlockImport(first.envelope, 'wrong passphrase')).toMatchObject({
      status: 'failed',
      problem: 'wrong-password',
      details: ['This passphrase does not open the vault'],
    });
    const opened = await unlockImport(first.envelope, 'export passphrase');
    expect(opened).toMatchObject({ status: 'ready', source: 'quota-glance' });
    if (opened.status !== 'ready') return;
    expect(opened.keys.map((k) => [k.id, k.label, k.secret])).toEqual([['k1', 'laptop relay', 'sk-laptop-0123456789']]);
  });

  it('refuses a damaged vault and names a newer one', () => {
    expect(analyseImport('{"type":"quota-glance-vault","v":1}')).toMatchObject({ status: 'failed', problem: 'bad-envelope' });
    expect(analyseImport('{"type":"quota-glance-vault","v":9}')).toMatchObject({ status: 'failed', problem: 'invalid-backup' });
  });
});
