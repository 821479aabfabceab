/**
 * Starts the fake gateways by hand, to try the extension without a real gateway:
 * `npm run gateway`, then add the printed keys on the options page.
 */
import { startGateway } from './gateway.ts';

const key = (seed: string) => seed.repeat(48).slice(0, 48);
const now = Math.floor(Date.now() / 1000);
const port = Number(process.env.PORT ?? 3000);

const newApi = await startGateway(
  {
    now: Date.now,
    flavor: 'new-api',
    tokens: [
      { key: key('healthy'), name: 'healthy', remain: 4_250_000, used: 750_000, expiresAt: now + 3 * 86400 },
      { key: key('low'), name: 'low', remain: 200_000, used: 4_800_000 },
      { key: key('unlimited'), name: 'unlimited', remain: -900_000, used: 900_000, unlimited: true },
      { key: key('expired'), name: 'expired', remain: 1_000_000, used: 0, expiresAt: now - 86400 },
    ],
    users: [{ id: 1, accessToken: 'demo-access-token-0123456789', quota: 2_500_000, usedQuota: 500_000 }],
  },
  port,
);
const oneApi = await startGateway(
  { now: Date.now, flavor: 'one-api', tokens: [{ key: key('oneapi'), remain: 1_500_000, used: 500_000 }] },
  port + 1,
);
const r9s = await startGateway(
  { now: Date.now, flavor: 'r9s', r9s: [{ key: 'sk_mg_0123456789abcdef', balance: 25.5, coupon: 3 }] },
  port + 2,
);

console.log(`new-api  ${newApi.url}`);
for (const seed of ['healthy', 'low', 'unlimited', 'expired']) console.log(`  sk-${key(seed)}  (${seed})`);
console.log('  account: access token demo-access-token-0123456789, user id 1');
console.log(`one-api  ${oneApi.url}\n  sk-${key('oneapi')}`);
console.log(`r9s.ai   ${r9s.url}\n  sk_mg_0123456789abcdef`);
console.log('Ctrl-C to stop.');
