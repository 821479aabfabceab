import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Extension, importBackup, launchExtension, openPopupSettled, popupRows } from './fixtures';

/**
 * Issue #15, item 5, in Chromium through the contract only: redirects that an
 * extension's fetch sees as opaque (no Location). A redirect to another site, an
 * upgrade to https on the same host and a loop each get their own message, the loop
 * stops after a few requests (the browser alone follows 20), and no secret reaches
 * anywhere but the key's own origin.
 */
const key48 = (seed: string) => `${seed}${'r'.repeat(48)}`.slice(0, 48);
const secrets = { away: key48('away'), upgrade: key48('upgrade'), loop: key48('loopy') };

let ext: Extension;
let server: Server;
let origin: string;
const seen: { path: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  // One hostile site on 127.0.0.1: each key's token route redirects differently.
  server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    seen.push({ path, auth: req.headers.authorization });
    const auth = req.headers.authorization ?? '';
    const port = (server.address() as AddressInfo).port;
    const to = (location: string) => {
      res.writeHead(302, { Location: location });
      res.end();
    };
    // 127.0.0.2 is another origin the extension has no access to (the e2e build grants 127.0.0.1 and localhost).
    if (auth.includes(secrets.away)) return to(`http://127.0.0.2:${port}/collect`);
    if (auth.includes(secrets.upgrade)) return to(`https://127.0.0.1:${port}${path}`);
    if (auth.includes(secrets.loop) || path.startsWith('/loop')) return to(path.startsWith('/loop') ? '/api/usage/token/' : '/loop');
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end('{"message":"no"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('redirects in the browser (issue #15, item 5)', () => {
  it('tells a redirect to another site, an upgrade to https and a loop apart, and stops the loop at once', async () => {
    const options = await ext.context.newPage();
    await importBackup(options, ext, {
      format: 'quota-glance',
      version: 2,
      keys: Object.entries(secrets).map(([label, secret]) => ({ label, baseUrl: origin, kind: 'newapi-token', secret })),
    });
    const popup = await openPopupSettled(ext, 3);
    const rows = await popupRows(popup);
    for (const label of Object.keys(secrets))
      expect(rows.find((r) => r.label === label)).toMatchObject({ state: 'error', error: 'bad-response' });

    const detail = async (label: string) => {
      const row = popup.locator(`[data-key-row][data-label="${label}"]`);
      await row.locator('.row-toggle').click();
      await expect.poll(async () => (await row.textContent()) ?? '', { timeout: 10_000 }).not.toBe('');
      return (await row.textContent()) ?? '';
    };
    expect(await detail('away')).toContain('http://127.0.0.2');
    expect(await detail('upgrade')).toContain(`change the key's address to https://127.0.0.1`);
    expect(await detail('loop')).toContain('redirects in a loop');
    for (const label of Object.keys(secrets)) expect(await detail(label)).not.toMatch(/connection failed/i);

    // The loop cost the site a couple of requests, not the browser's twenty.
    const loopRequests = seen.filter((s) => s.auth?.includes(secrets.loop) || s.path.startsWith('/loop'));
    expect(loopRequests.length).toBeLessThanOrEqual(4);
    // Each secret went to its own origin only: every request here is to 127.0.0.1, and nothing was sent on.
    expect(seen.filter((s) => s.auth && s.path === '/collect')).toEqual([]);
  });
});
