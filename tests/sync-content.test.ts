import { describe, expect, it } from 'vitest';
import { keysAfterMerge, readVaultPlain, vaultKeysOf, vaultPlain } from '@/lib/sync/content';
import { makeKey } from './helpers';

const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);

describe('the vault’s contents and the stored list (automation.md §6)', () => {
  it('a round trip through the vault keeps every synced field; the plain text is a version 3 backup with `deleted`', () => {
    const keys = [
      makeKey({ id: 'a', label: 'one', baseUrl: 'https://relay.example.com', secret: 'sk-one', muted: true, updatedAt: NOW - 5 }),
      makeKey({
        id: 'b',
        label: 'two',
        baseUrl: 'https://relay.example.com',
        secret: 'sk-two',
        kind: 'newapi-user',
        userId: 42,
        updatedAt: NOW - 3,
      }),
    ];
    const state = { keys: vaultKeysOf(keys), deleted: [{ id: 'gone', deletedAt: NOW - 1 }] };
    const plain = vaultPlain(state, NOW);
    expect(JSON.parse(plain)).toMatchObject({
      format: 'quota-glance',
      version: 3,
      secretsIncluded: true,
      deleted: [{ id: 'gone', deletedAt: NOW - 1 }],
    });
    expect(readVaultPlain(plain)).toEqual(state);
  });

  it('after a merge, unchanged keys stay as stored and in order, changed ones keep what is only local, new ones come last', () => {
    const snoozed = makeKey({
      id: 'a',
      label: 'one',
      baseUrl: 'https://relay.example.com',
      secret: 'sk-one',
      snoozedUntil: NOW + 3600_000,
      createdAt: NOW - 9000,
      updatedAt: NOW - 5,
    });
    const same = makeKey({ id: 'b', label: 'two', baseUrl: 'https://relay.example.com', secret: 'sk-two', updatedAt: NOW - 4 });
    const [edited] = vaultKeysOf([{ ...snoozed, label: 'one, renamed elsewhere', updatedAt: NOW - 1 }]);
    const [added] = vaultKeysOf([
      makeKey({ id: 'c', label: 'three', baseUrl: 'https://relay.example.com', secret: 'sk-three', updatedAt: NOW - 2 }),
    ]);
    const [kept] = vaultKeysOf([same]);
    const next = keysAfterMerge(
      [snoozed, same],
      [added, edited, kept].filter((k) => k !== undefined),
      NOW,
    );
    expect(next.map((k) => k.id)).toEqual(['a', 'b', 'c']);
    expect(next[0]).toMatchObject({
      label: 'one, renamed elsewhere',
      snoozedUntil: NOW + 3600_000,
      createdAt: NOW - 9000,
      updatedAt: NOW - 1,
    });
    expect(next[1]).toBe(same);
    expect(next[2]).toMatchObject({ label: 'three', createdAt: NOW, updatedAt: NOW - 2 });
    // A key the merge dropped (deleted elsewhere) is not kept.
    expect(
      keysAfterMerge(
        [snoozed, same],
        [kept].filter((k) => k !== undefined),
        NOW,
      ).map((k) => k.id),
    ).toEqual(['b']);
  });
});
