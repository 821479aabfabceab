import { describe, expect, it } from 'vitest';
import { buildBackup, maskSecret, mergeImport, parseBackup } from '@/lib/backup';
import type { KeyConfig } from '@/lib/model';

const file = (keys: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'quota-glance', version: 1, exportedAt: '2026-11-22T03:00:00.000Z', keys, ...extra });

const stored: KeyConfig[] = [
  {
    id: 'a',
    label: 'laptop',
    baseUrl: 'https://relay.example.com',
    kind: 'newapi-token',
    secret: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa1234',
    createdAt: 1,
    updatedAt: 1,
    threshold: { type: 'amount', value: 2 },
  },
];
let n = 0;
const newId = () => `new-${++n}`;

describe('backup file (automation.md §3)', () => {
  it('reads the documented example, normalising site roots and ignoring unknown fields', () => {
    const parsed = parseBackup(
      file([
        { label: 'laptop', baseUrl: 'https://relay.example.com/', kind: 'newapi-token', secret: 'sk-x', future: 1 },
        { label: 'wallet', baseUrl: 'https://relay.example.com/v1', kind: 'newapi-user', secret: 'tok', userId: 42 },
        { label: 'team', baseUrl: 'https://portal-api.r9s.ai', kind: 'r9s-manager', secret: 'sk_mg_1' },
      ]),
    );
    expect(parsed.ok && parsed.keys.map((k) => k.baseUrl)).toEqual([
      'https://relay.example.com',
      'https://relay.example.com',
      'https://portal-api.r9s.ai',
    ]);
  });

  it.each([
    ['not JSON', '{oops', /not valid JSON/],
    ['wrong format', JSON.stringify({ format: 'other', version: 1, keys: [] }), /format/],
    ['a newer version', JSON.stringify({ format: 'quota-glance', version: 99, keys: [] }), /version/],
    ['a key without a secret', file([{ label: 'x', baseUrl: 'https://a.test', kind: 'auto' }]), /Key 1 \("x"\): field "secret"/],
    [
      'an account key without a user id',
      file([{ label: 'w', baseUrl: 'https://a.test', kind: 'newapi-user', secret: 't' }]),
      /Key 1 \("w"\): field "userId" is required/,
    ],
    ['a bad kind', file([{ label: 'k', baseUrl: 'https://a.test', kind: 'magic', secret: 't' }]), /field "kind" must be one of/],
    [
      'a non-http site',
      file([{ label: 'k', baseUrl: 'javascript:alert(1)', kind: 'auto', secret: 't' }]),
      /field "baseUrl" is not an http\(s\) URL/,
    ],
  ])('rejects %s and says where', (_, text, problem) => {
    const parsed = parseBackup(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems.join('\n')).toMatch(problem);
  });

  it('merges: same site and secret updates, others are added, nothing is deleted', () => {
    const parsed = parseBackup(
      file([
        {
          label: 'laptop (renamed)',
          baseUrl: 'https://relay.example.com',
          kind: 'newapi-token',
          secret: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa1234',
        },
        { label: 'new', baseUrl: 'https://other.test', kind: 'auto', secret: 'sk-new' },
      ]),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join());
    const merged = mergeImport(stored, parsed.keys, 5, newId);
    if (!merged.ok) throw new Error(merged.problems.join());
    expect(merged.keys).toHaveLength(2);
    expect(merged.keys[0]).toMatchObject({
      id: 'a',
      label: 'laptop (renamed)',
      createdAt: 1,
      updatedAt: 5,
      threshold: { type: 'amount', value: 2 },
    });
    expect(merged.updated).toEqual(['a']);
    expect(merged.added).toHaveLength(1);
  });

  it('exports masked secrets by default, and a masked file only updates the keys it masks', () => {
    const masked = buildBackup(stored, false, 0);
    expect(masked).not.toContain('aaaaaaaaaaaaaaaaaaaaaaaa1234');
    expect(masked).toContain(maskSecret(stored[0]!.secret));
    const again = parseBackup(masked);
    if (!again.ok) throw new Error(again.problems.join());
    const merged = mergeImport(stored, again.keys, 9, newId);
    expect(merged.ok && merged.keys[0]?.secret).toBe(stored[0]!.secret);
    const elsewhere = mergeImport([], again.keys, 9, newId);
    expect(!elsewhere.ok && elsewhere.problems[0]).toEqual({ code: 'masked-unknown', key: 1, label: 'laptop' });
  });

  it('an export without secrets keeps no secret in a custom key’s path, query or headers (issue #15, item 5)', () => {
    const secret = 'cst-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
    const session = 'sess0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5';
    const custom = {
      path: `/balance/${secret}?key=${encodeURIComponent(secret)}&token=short1&format=json&trace=ab12cd34ef56ab78cd90ef12ab34cd56`,
      headers: { 'X-Api-Key': secret, Cookie: `session=${session}`, 'X-Client': `app ${session}`, Accept: 'application/json' },
      remaining: 'data.left',
    };
    const key: KeyConfig = {
      id: 'c',
      label: 'proxy',
      baseUrl: 'https://proxy.test',
      kind: 'custom',
      secret,
      custom,
      createdAt: 1,
      updatedAt: 1,
    };
    const file = buildBackup([key], false, 0);
    for (const leaked of [secret, encodeURIComponent(secret), session, 'short1', 'ab12cd34ef56ab78cd90ef12ab34cd56'])
      expect(file).not.toContain(leaked);
    const parsed = parseBackup(file);
    if (!parsed.ok) throw new Error(parsed.problems.join());
    const exported = parsed.keys[0]?.custom;
    // The key's own secret becomes the placeholder, filled in again when the key is read.
    expect(exported?.path).toMatch(/^\/balance\/\{secret\}\?key=\{secret\}&token=[^&]+&format=json&trace=/);
    expect(exported?.headers?.['X-Api-Key']).toBe('{secret}');
    expect(exported?.headers?.Accept).toBe('application/json');
    // Imported back over the same key, the masked mapping does not replace the working one.
    const merged = mergeImport([key], parsed.keys, 9, newId);
    expect(merged.ok && merged.keys[0]?.custom).toEqual(custom);
    // With secrets, nothing is masked.
    const full = parseBackup(buildBackup([key], true, 0));
    expect(full.ok && full.keys[0]?.custom).toEqual(custom);
  });

  it('round-trips an export with secrets', () => {
    const parsed = parseBackup(buildBackup(stored, true, 0));
    expect(parsed.ok && parsed.keys[0]).toMatchObject({
      label: 'laptop',
      secret: stored[0]!.secret,
      threshold: { type: 'amount', value: 2 },
    });
  });

  it('counts a key listed twice in one file once (issue #7.14)', () => {
    const twice = { label: 'dup', baseUrl: 'https://other.test', kind: 'auto', secret: 'sk-dup' } as const;
    const added = mergeImport(stored, [twice, { ...twice, label: 'dup again' }], 5, newId);
    if (!added.ok) throw new Error('merge failed');
    expect({ added: added.added.length, updated: added.updated.length, keys: added.keys.length }).toEqual({
      added: 1,
      updated: 0,
      keys: 2,
    });
    expect(added.keys[1]?.label).toBe('dup again');
    const mine = { label: 'x', baseUrl: stored[0]!.baseUrl, kind: 'auto', secret: stored[0]!.secret } as const;
    const updated = mergeImport(stored, [mine, mine], 5, newId);
    expect(updated.ok && { added: updated.added.length, updated: updated.updated.length }).toEqual({ added: 0, updated: 1 });
  });

  it('refuses two masked entries that would both update the same stored key, and a mask shared by two stored keys', () => {
    const a = stored[0]!;
    const b = { ...a, id: 'b', label: 'twin', secret: `sk-aaXXXXXXXXXXXXXXXXXXXXXXXXXX${a.secret.slice(-4)}` };
    expect(maskSecret(b.secret)).toBe(maskSecret(a.secret));
    const entry = { label: 'm', baseUrl: a.baseUrl, kind: 'auto', secret: maskSecret(a.secret) } as const;
    const twice = mergeImport([a], [entry, { ...entry, label: 'm2' }], 5, newId);
    expect(!twice.ok && twice.problems).toEqual([{ code: 'masked-twice', key: 2, label: 'm2', other: 1 }]);
    const ambiguous = mergeImport([a, b], [entry], 5, newId);
    expect(!ambiguous.ok && ambiguous.problems).toEqual([{ code: 'masked-ambiguous', key: 1, label: 'm', count: 2 }]);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['a line break', 'a\nb'],
    ['a carriage return', 'a\rb'],
    ['U+202E', 'a\u202Eb'],
    ['U+2066', 'a\u2066b'],
  ])('rejects %s in a label or a secret, naming the field', (_, bad) => {
    for (const field of ['label', 'secret']) {
      const key = { label: 'ok', baseUrl: 'https://a.test', kind: 'auto', secret: 'sk-ok', [field]: bad };
      const parsed = parseBackup(file([key]));
      expect(!parsed.ok && parsed.problems.join()).toMatch(new RegExp(`Key 1.*field "${field}" contains a control character`));
    }
  });

  it('keeps the read interval and every optional field through export and import', () => {
    const full: KeyConfig = {
      ...stored[0]!,
      intervalMinutes: 45,
      expiresAt: 1798732800,
      watchTokens: true,
      kind: 'newapi-user',
      userId: 7,
    };
    const parsed = parseBackup(buildBackup([full], true, 0));
    expect(parsed.ok && parsed.keys[0]).toMatchObject({ intervalMinutes: 45, expiresAt: 1798732800, watchTokens: true, userId: 7 });
  });

  it.each([
    ['sk-abcdefghijklmnopqrstuvwxyz0123', 'sk-ab…0123'],
    ['sk_mg_0123456789abcdef0123', 'sk_mg_01…0123'],
    ['short', '•••••'],
  ])('masks %s as %s', (secret, shown) => {
    expect(maskSecret(secret)).toBe(shown);
  });
});
