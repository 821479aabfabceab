import type { FakeAccountToken } from './fake-gateway/accounts';
import { key48, NOW_S } from './helpers';

/** A DeepSeek answer of about 1 MB: thousands of other-currency balances (providers.md §3), the largest named. */
export function hugeDeepSeekAnswer(entries = 22_000) {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const code = (i: number) => `${letters[Math.floor(i / 676) % 26]}${letters[Math.floor(i / 26) % 26]}${letters[i % 26]}`;
  return {
    is_available: true,
    balance_infos: [
      { currency: 'CNY', total_balance: '88.50', granted_balance: '8.50', topped_up_balance: '80.00' },
      ...Array.from({ length: entries }, (_, i) => ({ currency: code(i + 1), total_balance: `${(i % 997) / 100 + 0.01}` })),
      // The largest other balances come last: the budget keeps them, wherever they are.
      { currency: 'USD', total_balance: '5000.00' },
      { currency: 'EUR', total_balance: '4000.00' },
    ],
  };
}

/** A watched account's 300 tokens with long names and model lists (~0.5 MB stored before the budget); ids from `idBase + 1`. */
export function bigAccountTokens(userId: number, idBase = 0, expiredAt = NOW_S - 60): FakeAccountToken[] {
  return Array.from({ length: 300 }, (_, i) => ({
    id: idBase + i + 1,
    userId,
    key: key48(`u${userId}t${i}`),
    name: `team ${userId} token ${i + 1} ${'x'.repeat(40)}`,
    remain: 5_000_000,
    used: 1_000_000,
    modelLimits: Array.from({ length: 20 }, (_, m) => `vendor-model-family-${m}-${'v'.repeat(30)}`).join(','),
    // Late in the list, two that need attention: spent (id 297), expired (id 298); and one its owner disabled (id 299).
    ...(i === 296 ? { remain: 0, used: 6_000_000 } : {}),
    ...(i === 297 ? { expiresAt: expiredAt } : {}),
    ...(i === 298 ? { status: 2 } : {}),
  }));
}
