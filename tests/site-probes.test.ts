import { afterEach, describe, expect, it } from 'vitest';
import { readKey } from '@/lib/providers/read';
import { RELAY_STATS } from './fake-gateway/claude';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { liveContext, makeKey } from './helpers';

// relays.md §8: now = 2026-12-08T08:00:00Z.
const NOW = Date.UTC(2026, 11, 8, 8, 0, 0);
const SUB2API_KEY = `sk-${'ab'.repeat(32)}`;
const SUB2API_USAGE =
  '{"isValid":true,"mode":"quota_limited","quota":{"limit":50,"remaining":37.5,"unit":"USD","used":12.5},"remaining":37.5,"status":"active","unit":"USD"}';
const HUB_KEY = `sk-${'cd34'.repeat(8)}`;
// A claude-relay-service key under a changed prefix (admins can change `cr_`, relays.md §7.1 rule 2).
const CRS_KEY = `relay_${'e'.repeat(64)}`;

let gateway: FakeGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const auto = (baseUrl: string, secret: string) => makeKey({ kind: 'auto', baseUrl, secret });
/** Requests the site got, in order, and whether each carried the secret in a header. */
const asked = (g: FakeGateway, secret: string) =>
  g.requests.map((r) => `${r.method} ${r.path}${JSON.stringify(r.headers).includes(secret) ? ' (secret)' : ''}`);

describe('auto asks a relay site who it is before sending the secret (relays.md §7.1 rule 3)', () => {
  it('a Sub2API site: its public settings say so; then, and only then, /v1/usage with the key', async () => {
    gateway = await startGateway({ flavor: 'sub2api', provider: { accounts: { [SUB2API_KEY]: SUB2API_USAGE } }, now: () => NOW });
    const outcome = await readKey(
      auto(gateway.url, SUB2API_KEY),
      liveContext(gateway.url, () => NOW),
    );
    expect(outcome).toMatchObject({ ok: true, reading: { kind: 'sub2api', remaining: 37.5 } });
    const seen = asked(gateway, SUB2API_KEY);
    expect(seen.at(-1)).toBe('GET /v1/usage (secret)');
    expect(seen.filter((r) => r.endsWith('(secret)'))).toEqual(['GET /v1/usage (secret)']);
    expect(seen).toContain('GET /api/v1/settings/public');
  });

  it('a claude-relay-service site: its /health names the service; the key goes to the stats route only', async () => {
    const claude = {
      relay: { [CRS_KEY]: { answer: RELAY_STATS } },
      relayPrefix: 'relay_',
      received: [] as { method: string; path: string; body: string }[],
    };
    gateway = await startGateway({ flavor: 'claude-relay', claude, now: () => NOW });
    const outcome = await readKey(
      auto(gateway.url, CRS_KEY),
      liveContext(gateway.url, () => NOW),
    );
    expect(outcome).toMatchObject({ ok: true, reading: { kind: 'claude-relay' } });
    const paths = gateway.requests.map((r) => `${r.method} ${r.path}`);
    // Asked without the key first, then the stats route (by key, then by id for the week).
    expect(paths.slice(0, paths.indexOf('POST /apiStats/api/user-stats'))).toContain('GET /health');
    expect(new Set(paths.slice(paths.indexOf('POST /apiStats/api/user-stats')))).toEqual(new Set(['POST /apiStats/api/user-stats']));
    expect(claude.received.find((r) => r.method === 'POST')?.body).toBe(JSON.stringify({ apiKey: CRS_KEY }));
    // Nothing asked before it carried the key.
    expect(claude.received.filter((r) => r.method === 'GET').every((r) => r.body === '')).toBe(true);
    expect(asked(gateway, CRS_KEY).some((r) => r.endsWith('(secret)'))).toBe(false);
  });

  it('a Claude Code Hub: /api/v1/health with X-API-Version says so; the key goes to /api/v1/me/quota', async () => {
    gateway = await startGateway({
      flavor: 'claude-code-hub',
      claude: { hub: { [HUB_KEY]: { quota: '{"keyLimit5hUsd":10}' } } },
      now: () => NOW,
    });
    await readKey(
      auto(gateway.url, HUB_KEY),
      liveContext(gateway.url, () => NOW),
    );
    const seen = asked(gateway, HUB_KEY);
    expect(seen).toContain('GET /api/v1/health');
    expect(seen.filter((r) => r.endsWith('(secret)'))[0]).toBe('GET /api/v1/me/quota (secret)');
    expect(seen.some((r) => r.startsWith('GET /v1/') && r.endsWith('(secret)') && !r.includes('/me/'))).toBe(false);
  });

  it('a new-api site is asked nothing of the relays: its /api/status says new-api', async () => {
    gateway = await startGateway({ flavor: 'new-api', now: () => NOW });
    await readKey(
      auto(gateway.url, 'sk-unknown'),
      liveContext(gateway.url, () => NOW),
    );
    const seen = asked(gateway, 'sk-unknown');
    expect(seen.some((r) => /health|settings\/public|_ping/.test(r))).toBe(false);
  });

  it('a site that answers none of them never gets the key on a relay route', async () => {
    gateway = await startGateway({ flavor: 'one-api', now: () => NOW });
    await readKey(
      auto(gateway.url, 'sk-x'),
      liveContext(gateway.url, () => NOW),
    );
    const seen = asked(gateway, 'sk-x');
    expect(seen.some((r) => /\/v1\/usage|apiStats|me\/quota/.test(r) && r.endsWith('(secret)'))).toBe(false);
  });
});
