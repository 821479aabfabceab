import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_KEYS, mergeImport } from '@/lib/backup';
import { type Analysis, analyseImport, unlockImport } from '@/lib/imports/detect';
import { decryptEnvelope, MAX_PBKDF2_ITERATIONS, readEnvelope } from '@/lib/imports/envelope';
import { decodeProviderLinkData, parseCcSwitchLink, parseConnectionJson, parseProviderLink } from '@/lib/imports/links';
import { previewActions } from '@/lib/imports/preview';
import { makeKey } from './helpers';

const fixture = (name: string) => readFileSync(resolve(process.cwd(), 'tests/fixtures/imports', name), 'utf8');
const ready = (analysis: Analysis) => {
  if (analysis.status !== 'ready') throw new Error(`expected keys, got ${JSON.stringify(analysis).slice(0, 300)}`);
  return analysis;
};
const SECRET = 'sk-Q7mZ2xK9pL4vB8nR1tY6wE3sD5fG0hJ2kA9cV7bN4mX1zP8q';
const TOKEN = 'Zq8rT2vXy4Lm9NpB3cD6fG1hJ5kW7sA';

describe('All API Hub backups, every version of imports.md §D.1.8', () => {
  it('V1 full: the new-api account becomes a newapi-user key with its numeric user id', () => {
    const got = ready(analyseImport(fixture('aah-v1-full.json')));
    expect(got.source).toBe('all-api-hub');
    expect(got.newer).toBe(false);
    expect(got.keys).toEqual([
      { label: 'Acme Relay', baseUrl: 'https://relay.example.com', kind: 'newapi-user', secret: TOKEN, userId: 1042 },
    ]);
    expect(got.skipped).toEqual([]);
  });

  it('V1 accounts partial (under "data"): a one-api account is listed with its reason, not dropped', () => {
    const got = ready(analyseImport(fixture('aah-v1-accounts.json')));
    expect(got.keys).toEqual([]);
    expect(got.skipped).toEqual([{ at: { account: 'Old One API' }, reason: 'one-api-account' }]);
  });

  it('a file without version is read as V1', () => {
    const got = ready(analyseImport(fixture('aah-noversion.json')));
    expect(got.keys).toEqual([{ label: 'Acme', baseUrl: 'https://relay.example.com', kind: 'newapi-user', secret: TOKEN, userId: 1042 }]);
  });

  it('V2: profile → auto key, account → newapi-user, cookie-only account listed with its reason', () => {
    const got = ready(analyseImport(fixture('aah-v2.json')));
    expect(got.keys).toEqual([
      { label: 'Acme laptop key', baseUrl: 'https://relay.example.com', kind: 'auto', secret: SECRET },
      { label: 'Acme Relay', baseUrl: 'https://relay.example.com', kind: 'newapi-user', secret: TOKEN, userId: 1042 },
    ]);
    expect(got.skipped).toEqual([{ at: { account: 'Cookie-only site' }, reason: 'cookie-auth' }]);
    expect(JSON.stringify(got)).not.toContain('session=');
  });

  it('V3: the profile’s expiry (ms at local midnight) is carried over in Unix seconds', () => {
    const got = ready(analyseImport(fixture('aah-v3.json')));
    expect(got.keys).toEqual([
      {
        label: 'DeepSeek direct',
        baseUrl: 'https://api.deepseek.com',
        kind: 'auto',
        secret: 'sk-3f9a0c8b7e6d5c4b3a291807f6e5d4c3',
        expiresAt: 1798732800,
      },
    ]);
  });

  it('V4: user id as a string, telemetry mode newApiTokenUsage → newapi-token', () => {
    const got = ready(analyseImport(fixture('aah-v4.json')));
    expect(got.keys).toEqual([
      { label: 'Acme laptop key', baseUrl: 'https://relay.example.com', kind: 'newapi-token', secret: SECRET, expiresAt: 1798732800 },
      { label: 'Acme Relay', baseUrl: 'https://relay.example.com', kind: 'newapi-user', secret: TOKEN, userId: 1042 },
    ]);
  });

  it('maps site types and auth as §D.1.4 says, and de-duplicates profiles keeping the newer', () => {
    const account = (over: Record<string, unknown>) => ({
      site_name: 'S',
      site_url: 'https://s.example.com/',
      site_type: 'new-api',
      authType: 'access_token',
      account_info: { id: 5, access_token: 'tok-s' },
      ...over,
    });
    const profile = (over: Record<string, unknown>) => ({
      name: 'p',
      apiType: 'openai',
      baseUrl: 'https://p.example.com',
      apiKey: 'sk-p',
      ...over,
    });
    const got = ready(
      analyseImport(
        JSON.stringify({
          version: '2.0',
          accounts: {
            accounts: [
              account({ site_name: 'sub', site_type: 'sub2api' }),
              account({ site_name: 'velo', site_type: 'Veloera', account_info: { id: '9', access_token: 'tok-v' } }),
              account({ site_name: 'no id', account_info: { id: 'abc', access_token: 'tok-x' } }),
              account({ site_name: 'none', authType: 'none' }),
              account({ site_name: 'paused', disabled: true }),
              account({ site_name: 'old', updated_at: 1 }),
              account({ site_name: 'newer', updated_at: 2, account_info: { id: 5, access_token: 'tok-s2' } }),
            ],
          },
          apiCredentialProfiles: {
            version: 5,
            profiles: [
              profile({ name: 'older', updatedAt: 1, telemetryConfig: { mode: 'openaiBilling' } }),
              profile({ name: 'newer', updatedAt: 2, telemetryConfig: { mode: 'openaiBilling' } }),
              profile({ name: 'no key', apiKey: '' }),
            ],
          },
        }),
      ),
    );
    expect(got.keys.map((k) => [k.label, k.kind, k.secret])).toEqual([
      ['newer', 'openai-billing', 'sk-p'],
      ['velo', 'auto', 'tok-v'],
      ['newer', 'newapi-user', 'tok-s2'],
    ]);
    expect(got.skipped.map((s) => [Object.values(s.at)[0], s.reason, s.detail])).toEqual([
      ['older', 'duplicate', undefined],
      ['no key', 'missing-fields', undefined],
      ['sub', 'unsupported-site', 'sub2api'],
      ['no id', 'needs-token', undefined],
      ['none', 'needs-token', undefined],
      ['paused', 'paused', undefined],
      ['old', 'duplicate', undefined],
    ]);
  });

  it('§D.1.5: a profile read in sub2apiUsage mode is a sub2api key; a Sub2API account (a login token) stays skipped', () => {
    const got = ready(
      analyseImport(
        JSON.stringify({
          version: '2.0',
          accounts: {
            accounts: [{ site_name: 'sub site', site_url: 'https://sub.example.com', site_type: 'sub2api', authType: 'access_token' }],
          },
          apiCredentialProfiles: {
            version: 5,
            profiles: [
              {
                name: 'claude relay',
                apiType: 'anthropic',
                baseUrl: 'https://sub.example.com',
                apiKey: 'sk-s2a',
                telemetryConfig: { mode: 'sub2apiUsage' },
              },
            ],
          },
        }),
      ),
    );
    expect(got.keys.map((k) => [k.label, k.kind, k.secret])).toEqual([['claude relay', 'sub2api', 'sk-s2a']]);
    expect(got.skipped.map((s) => [Object.values(s.at)[0], s.reason, s.detail])).toEqual([['sub site', 'unsupported-site', 'sub2api']]);
  });

  it('names a hostile account without its control characters', () => {
    const got = ready(
      analyseImport(JSON.stringify({ version: '4.0', accounts: { accounts: [{ site_name: 'evil\u202Etxt.exe', site_type: 'sub2api' }] } })),
    );
    expect(got.skipped).toEqual([{ at: { account: 'evil\uFFFDtxt.exe' }, reason: 'unsupported-site', detail: 'sub2api' }]);
  });

  it('reads a newer All API Hub file best-effort and says so', () => {
    const profiles = [{ name: 'p', baseUrl: 'https://p.example.com', apiKey: 'sk-p' }];
    const newer = ready(
      analyseImport(JSON.stringify({ version: '5.0', accounts: { accounts: [] }, apiCredentialProfiles: { version: 5, profiles } })),
    );
    expect(newer).toMatchObject({ newer: true, keys: [{ label: 'p', secret: 'sk-p' }] });
    const newerProfiles = ready(analyseImport(JSON.stringify({ version: '4.0', apiCredentialProfiles: { version: 6, profiles } })));
    expect(newerProfiles.newer).toBe(true);
  });

  it('never reads the WebDAV credentials in preferences', () => {
    const text = JSON.stringify({
      version: '4.0',
      preferences: { webdav: { password: 'hunter2', backupEncryptionPassword: 'x' } },
      accounts: { accounts: [] },
    });
    expect(JSON.stringify(analyseImport(text))).not.toContain('hunter2');
  });
});

describe('encrypted WebDAV envelope (imports.md §D.1.7 test vector)', () => {
  const envelopeText = fixture('aah-encrypted.json');

  it('asks for the password, then decrypts to the spec’s plaintext with the right one (trimmed)', async () => {
    const first = analyseImport(envelopeText);
    if (first.status !== 'password' || first.envelope.type === 'quota-glance-vault') throw new Error(first.status);
    expect(await decryptEnvelope(first.envelope, '  correct horse battery staple ')).toBe(fixture('aah-encrypted.plain.txt').trim());
    const inner = await unlockImport(first.envelope, 'correct horse battery staple');
    // The vector's plaintext is a V4 accounts partial with no accounts: nothing to import.
    expect(inner).toMatchObject({ status: 'failed', problem: 'no-keys' });
  });

  it('says "wrong password" for a wrong password and for a tampered file', async () => {
    const first = analyseImport(envelopeText);
    if (first.status !== 'password') throw new Error(first.status);
    expect(await unlockImport(first.envelope, 'Correct horse battery staple')).toMatchObject({
      status: 'failed',
      problem: 'wrong-password',
    });
    const ct = first.envelope.ct;
    const tampered = { ...first.envelope, ct: `${ct[0] === 'A' ? 'B' : 'A'}${ct.slice(1)}` };
    expect(await unlockImport(tampered, 'correct horse battery staple')).toMatchObject({ status: 'failed', problem: 'wrong-password' });
  });

  it('refuses an iteration count above the cap before deriving anything', () => {
    const env = JSON.parse(envelopeText);
    expect(readEnvelope({ ...env, iter: MAX_PBKDF2_ITERATIONS + 1 })).toBeNull();
    expect(analyseImport(JSON.stringify({ ...env, iter: 1e12 }))).toMatchObject({ status: 'failed', problem: 'bad-envelope' });
    expect(analyseImport(JSON.stringify({ ...env, v: 2 }))).toMatchObject({ status: 'failed', problem: 'bad-envelope' });
  });
});

describe('links (imports.md §D.2, §D.3, §D.4.1)', () => {
  const cherryNewApi =
    'cherrystudio://providers/api-keys?v=1&data=eyJpZCI6Im5ldy1hcGkiLCJiYXNlVXJsIjoiaHR0cHM6Ly9hcGkucmVsYXkuZXhhbXBsZS5uZXQiLCJhcGlLZXkiOiJzay1RN21aMnhLOXBMNHZCOG5SMXRZNndFM3NENWZHMGhKMmtBOWNWN2JONG1YMXpQOHEifQ%3D%3D';
  const cherryPlus =
    'cherrystudio://providers/api-keys?v=1&data=eyJpZCI6ImFjY18yZjZjMWUwYSIsImJhc2VVcmwiOiJodHRwczovL3JlbGF5LmV4YW1wbGUuY29tIiwiYXBpS2V5Ijoic2stUTdtWjJ4SzlwTDR2QjhuUjF0WTZ3RTNzRDVmRzBoSjJrQTljVjdiTjRtWDF6UDhxIiwibmFtZSI6IuWwj+m5vyBBUEkifQ==';

  it('decodes vector 1 (percent-encoded padding)', () => {
    expect(decodeProviderLinkData(cherryNewApi)).toEqual({ id: 'new-api', baseUrl: 'https://api.relay.example.net', apiKey: SECRET });
  });

  it('decodes vector 2 with its raw "+" (URLSearchParams would break it), and vector 3 in URL-safe base64', () => {
    const expected = { id: 'acc_2f6c1e0a', baseUrl: 'https://relay.example.com', apiKey: SECRET, name: '小鹿 API' };
    expect(decodeProviderLinkData(cherryPlus)).toEqual(expected);
    const urlSafe = cherryPlus.replace(
      /data=(.*)$/,
      (_, d: string) => `data=${d.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`,
    );
    expect(urlSafe).not.toBe(cherryPlus);
    expect(decodeProviderLinkData(urlSafe)).toEqual(expected);
    // A paste that went through form decoding turned + into a space.
    expect(decodeProviderLinkData(cherryPlus.replace('+', ' '))).toEqual(expected);
    expect(parseProviderLink(cherryPlus)).toEqual({
      baseUrl: 'https://relay.example.com',
      secret: SECRET,
      label: '小鹿 API (relay.example.com)',
    });
  });

  it('takes Cherry’s lenient quotes and a DeepChat sibling', () => {
    const b64 = btoa("{'id':'x','baseUrl':'https://a.example.com/v1','apiKey':'sk-1','name':'Acme (CN)'}");
    expect(parseProviderLink(`deepchat://provider/install?v=1&data=${encodeURIComponent(b64)}`)).toEqual({
      baseUrl: 'https://a.example.com/v1',
      secret: 'sk-1',
      label: 'Acme CN (a.example.com)',
    });
  });

  it('labels name the host the key is sent to, never one it is not (issue #15, item 5)', () => {
    // A Cherry link named for a trusted site that sends the key to another.
    const b64 = btoa(JSON.stringify({ id: 'x', baseUrl: 'https://collector.example.net', apiKey: 'sk-1', name: 'api.openai.com' }));
    expect(parseProviderLink(`cherrystudio://providers/api-keys?v=1&data=${b64}`)?.label).toBe('api.openai.com (collector.example.net)');
    // A CC Switch account read at its usage address is labelled with that host, not the endpoint's.
    const link =
      'ccswitch://v1/import?resource=provider&app=claude&name=Relay&endpoint=https%3A%2F%2Frelay.example.com&apiKey=sk-k&usageAccessToken=acc&usageUserId=3&usageBaseUrl=https%3A%2F%2Fusage.example.org';
    expect(parseCcSwitchLink(link)?.map((k) => [k.baseUrl, k.label])).toEqual([
      ['https://relay.example.com', 'Relay (relay.example.com)'],
      ['https://usage.example.org', 'Relay (usage.example.org) account'],
    ]);
  });

  it('reads both CC Switch vectors; the site root comes from homepage', () => {
    const codex =
      'ccswitch://v1/import?resource=provider&app=codex&name=My+Codex&endpoint=https%3A%2F%2Frelay.example.com%2Fv1&apiKey=sk-Q7mZ2xK9pL4vB8nR1tY6wE3sD5fG0hJ2kA9cV7bN4mX1zP8q&model=gpt-5-codex&homepage=https%3A%2F%2Frelay.example.com&enabled=true';
    const claude =
      'ccswitch://v1/import?resource=provider&app=claude&name=My+Claude&endpoint=https%3A%2F%2Frelay.example.com&apiKey=sk-Q7mZ2xK9pL4vB8nR1tY6wE3sD5fG0hJ2kA9cV7bN4mX1zP8q&model=claude-sonnet-4-5&homepage=https%3A%2F%2Frelay.example.com&enabled=true';
    expect(parseCcSwitchLink(codex)).toEqual([
      { baseUrl: 'https://relay.example.com', secret: SECRET, label: 'My Codex (relay.example.com)' },
    ]);
    expect(parseCcSwitchLink(claude)).toEqual([
      { baseUrl: 'https://relay.example.com', secret: SECRET, label: 'My Claude (relay.example.com)' },
    ]);
  });

  it('fills a CC Switch key from its base64 config, offers the usage account, refuses other hosts', () => {
    const config = btoa(JSON.stringify({ env: { ANTHROPIC_AUTH_TOKEN: 'sk-cfg', ANTHROPIC_BASE_URL: 'https://c.example.com' } })).replace(
      /=+$/,
      '',
    );
    const link = `ccswitch://v1/import?resource=provider&app=claude&name=C&config=${encodeURIComponent(config)}&usageAccessToken=acc-tok&usageUserId=7`;
    expect(parseCcSwitchLink(link)).toEqual([
      { baseUrl: 'https://c.example.com', secret: 'sk-cfg', label: 'C (c.example.com)' },
      { baseUrl: 'https://c.example.com', secret: 'acc-tok', label: 'C (c.example.com) account', kind: 'newapi-user', userId: 7 },
    ]);
    expect(parseCcSwitchLink(link.replace('//v1/', '//v2/'))).toBeNull();
    expect(parseCcSwitchLink(link.replace('provider', 'mcp'))).toBeNull();
  });

  it('reads new-api’s copied connection info', () => {
    expect(parseConnectionJson(`{"_type":"newapi_channel_conn","key":"${SECRET}","url":"https://relay.example.com"}`)).toEqual({
      baseUrl: 'https://relay.example.com',
      secret: SECRET,
    });
    expect(parseConnectionJson('{"_type":"other","key":"a","url":"b"}')).toBeNull();
  });
});

describe('text files of lines (automation.md §3.2)', () => {
  it('reads every line form, skips comments and blank lines, and lists the rest by line number only', () => {
    const got = ready(analyseImport(fixture('lines.txt')));
    expect(got.source).toBe('lines');
    expect(got.keys.map(({ label, baseUrl, kind, secret }) => ({ label, baseUrl, kind, secret }))).toEqual([
      { label: 'laptop key', baseUrl: 'https://relay.example.com', kind: 'auto', secret: 'sk-linesAAAAAAAAAAAAAAAAAAAA1' },
      { label: 'relay.example.com', baseUrl: 'https://relay.example.com', kind: 'auto', secret: 'sk-linesBBBBBBBBBBBBBBBBBBBB2' },
      { label: '小鹿 API (relay.example.com)', baseUrl: 'https://relay.example.com', kind: 'auto', secret: SECRET },
      {
        label: 'My Codex (relay.example.com)',
        baseUrl: 'https://relay.example.com',
        kind: 'auto',
        secret: 'sk-ccswitchCCCCCCCCCCCCCCCCCC3',
      },
      { label: 'api.relay.example.net', baseUrl: 'https://api.relay.example.net', kind: 'auto', secret: 'sk-connDDDDDDDDDDDDDDDDDDDDD4' },
    ]);
    expect(got.skipped).toEqual([{ at: { line: 8 }, reason: 'no-base-url' }]);
    expect(JSON.stringify(got.skipped)).not.toContain('sk-nosite');
  });

  it('rejects NUL and bidi controls in a label or secret, naming the line', () => {
    const got = ready(
      analyseImport('https://a.example.com sk-ok fine\nhttps://a.example.com sk-x evil\u202Etxt\nhttps://a.example.com sk-\u0000y'),
    );
    expect(got.keys).toHaveLength(1);
    expect(got.skipped.map((s) => [s.at, s.reason])).toEqual([
      [{ line: 2 }, 'invalid'],
      [{ line: 3 }, 'invalid'],
    ]);
    expect(got.skipped[0]?.detail).toMatch(/label.*control character/);
  });

  it('a file of nothing it knows is refused as a whole', () => {
    expect(analyseImport('hello\nworld')).toMatchObject({ status: 'failed', problem: 'unrecognised' });
    expect(analyseImport('{"some": "json"}')).toMatchObject({ status: 'failed', problem: 'unrecognised' });
    expect(analyseImport('# only a comment\n')).toMatchObject({ status: 'failed', problem: 'no-keys' });
    expect(analyseImport('{"format":"quota-glance",\n"keys": [')).toMatchObject({ status: 'failed', problem: 'unrecognised' });
  });

  it('a text that opens with connection info is a lines file, not a broken backup', () => {
    const got = ready(analyseImport('{"_type":"newapi_channel_conn","key":"sk-a","url":"https://a.example.com"}\nsk-alone'));
    expect(got.keys.map((k) => k.secret)).toEqual(['sk-a']);
    expect(got.skipped).toEqual([{ at: { line: 2 }, reason: 'no-base-url' }]);
  });

  it(`refuses more than ${MAX_IMPORT_KEYS} keys per file, in lines and in backups, and files over the size limit`, () => {
    const lines = Array.from({ length: MAX_IMPORT_KEYS + 1 }, (_, i) => `https://a.example.com sk-${i}`).join('\n');
    expect(analyseImport(lines)).toMatchObject({ status: 'failed', problem: 'too-many', count: MAX_IMPORT_KEYS + 1 });
    const backup = (count: number) =>
      JSON.stringify({
        format: 'quota-glance',
        version: 2,
        keys: Array.from({ length: count }, (_, i) => ({
          label: `k${i}`,
          baseUrl: 'https://a.example.com',
          kind: 'auto',
          secret: `sk-${i}`,
        })),
      });
    expect(analyseImport(backup(MAX_IMPORT_KEYS + 1))).toMatchObject({ status: 'failed', problem: 'too-many', count: MAX_IMPORT_KEYS + 1 });
    expect(analyseImport(backup(MAX_IMPORT_KEYS))).toMatchObject({ status: 'ready' });
    // The file of issue #7.14: 83,334 keys, about 7 MB.
    expect(analyseImport(backup(83_334))).toMatchObject({ status: 'failed', problem: 'too-large' });
  });
});

describe('preview and merge of a foreign file', () => {
  it('marks stored keys as updates and a repeat as counted once; merging counts exactly', () => {
    const stored = [
      makeKey({
        id: 's1',
        label: 'mine',
        baseUrl: 'https://relay.example.com',
        secret: 'sk-linesAAAAAAAAAAAAAAAAAAAA1',
        kind: 'newapi-token',
      }),
    ];
    const got = ready(
      analyseImport(
        'https://relay.example.com sk-linesAAAAAAAAAAAAAAAAAAAA1\nhttps://b.example.com sk-b\nhttps://b.example.com sk-b again',
      ),
    );
    expect(previewActions(stored, got.keys)).toEqual(['update', 'new', 'repeat']);
    let n = 0;
    const merged = mergeImport(stored, got.keys, 9, () => `n${++n}`);
    if (!merged.ok) throw new Error('merge failed');
    expect({ added: merged.added.length, updated: merged.updated.length, stored: merged.keys.length }).toEqual({
      added: 1,
      updated: 1,
      stored: 2,
    });
    // A line without a label does not rename a stored key, and `auto` does not undo its kind.
    expect(merged.keys[0]).toMatchObject({ id: 's1', label: 'mine', kind: 'newapi-token' });
    expect(merged.keys[1]).toMatchObject({ label: 'again', secret: 'sk-b' });
  });
});
