import { describe, expect, it } from 'vitest';
import { errorDetail, errorLabel, pascal, stateLabel, windowLabel } from '@/lib/labels';
import { ERROR_KINDS } from '@/lib/model';
import { keyStateSchema } from '@/lib/schema';

/** Message keys are built from names (lib/labels.ts `pascal`): each name must find its English words. */
describe('labels built from names', () => {
  it('names every state, the capped one included', () => {
    expect(Object.fromEntries(keyStateSchema.options.map((s) => [s, stateLabel(s)]))).toEqual({
      pending: 'Not read yet',
      ok: 'OK',
      low: 'Low',
      capped: 'Window full',
      exhausted: 'Exhausted',
      expired: 'Expired',
      invalid: 'Refused',
      error: "Can't read",
    });
  });

  it('names every error kind', () => {
    for (const kind of ERROR_KINDS) expect(errorLabel(kind), kind).not.toBe('');
    expect(errorLabel('rate-limited')).toBe(errorLabel('rate-limited').trim());
    expect(pascal('not-supported')).toBe('NotSupported');
  });

  it('says the common windows in words and a gateway’s own name as it is', () => {
    expect(['5h', 'day', 'week', 'month', 'total', 'month-code', 'constructor'].map(windowLabel)).toEqual([
      '5-hour',
      'daily',
      'weekly',
      'monthly',
      'total',
      'month-code',
      'constructor',
    ]);
  });

  it('translates the details the extension writes, with their figures', () => {
    // In English the words are the extension's own; a key that does not resolve would say nothing.
    expect(errorDetail('no answer within 15 s')).toBe('no answer within 15 s');
    expect(errorDetail('HTTP 502, a web page')).toMatch(/502/);
    expect(errorDetail('figures out of any sensible range')).not.toBe('');
    expect(errorDetail('HTTP 401: invalid token')).toBe('HTTP 401: invalid token');
  });
});
