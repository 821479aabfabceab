import { describe, expect, it, vi } from 'vitest';
import type { Reading } from '@/lib/model';
import { ADAPTERS } from '@/lib/providers/read';
import type { QuotaWindow } from '@/lib/windows';
import { cannedContext, jsonResponse, makeKey, NOW, NOW_S } from './helpers';

/**
 * No kind reads windows yet (the relay readers come next): one provider's reader is made
 * to answer with the windows each test sets, behind the real sanity gate (lib/providers/read.ts).
 */
const answer = vi.hoisted(() => ({ windows: [] as unknown[] }));
vi.mock('@/lib/providers', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/providers')>();
  const read = async () => ({
    ok: true as const,
    reading: {
      kind: 'deepseek',
      scope: 'key',
      unit: { code: 'USD' },
      unlimited: false,
      remaining: null,
      granted: null,
      used: null,
      expiresAt: null,
      fetchedAt: NOW,
      windows: answer.windows,
    } as Reading,
  });
  return { ...real, PROVIDERS: { ...real.PROVIDERS, deepseek: { ...real.PROVIDERS.deepseek, read } } };
});

const window = (fields: Partial<QuotaWindow>): QuotaWindow => ({
  name: '5h',
  scope: 'key',
  unit: 'USD',
  limit: 5,
  used: 1,
  remaining: 4,
  percentUsed: 20,
  resetsAt: NOW_S + 3600,
  resets: true,
  rolling: false,
  ...fields,
});
const key = makeKey({ baseUrl: 'https://api.deepseek.com', secret: 'sk-x', kind: 'deepseek' });
const read = () =>
  ADAPTERS.deepseek(
    key,
    cannedContext(() => jsonResponse(200, {})),
  );

describe('window figures pass the sanity gate like the key’s own (lib/bounds.ts)', () => {
  it('keeps a reading whose windows are in range', async () => {
    answer.windows = [window({}), window({ name: 'week', limit: null, used: null, remaining: null, percentUsed: null, resetsAt: null })];
    expect(await read()).toMatchObject({ ok: true, reading: { windows: answer.windows } });
  });

  it.each<[string, Partial<QuotaWindow>]>([
    ['a limit beyond any amount', { limit: 1.7e300 }],
    ['a negative amount beyond any amount', { used: -1e16 }],
    ['a share used over 100 %', { percentUsed: 250 }],
    ['a reset that is no date', { resetsAt: 9e15 }],
    ['a reset before 1970', { resetsAt: -5 }],
  ])('refuses %s as a bad response, never a figure', async (_, fields) => {
    answer.windows = [window({}), window(fields)];
    expect(await read()).toEqual({ ok: false, error: { kind: 'bad-response', message: 'figures out of any sensible range' } });
  });
});
