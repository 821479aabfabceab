import { describe, expect, it } from 'vitest';
import { listedKeys } from '@/entrypoints/options/attention-list';
import { concernLabel } from '@/lib/labels';
import type { KeyStatus } from '@/lib/model';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { makeKey, NOW, NOW_S, usdStatus } from './helpers';

const key = (id: string) => makeKey({ id, label: id, baseUrl: `https://${id}.example.com`, secret: `sk-${id}` });
const refusedAfter = (status: KeyStatus): KeyStatus => ({
  ...status,
  error: { kind: 'auth', message: 'HTTP 401: token expired', at: NOW },
  failures: 1,
});

describe('the options page says what the popup says (issue #19, item 1)', () => {
  it('names the kind a key on "Detect automatically" was found to be, as its editor does (issue #19, item 3)', () => {
    const found: KeyStatus = { ...usdStatus(8), detectedKind: 'newapi-token' };
    const listed = listedKeys([key('auto'), key('unread')], { auto: found }, DEFAULT_SETTINGS, NOW, 'en-US', []);
    expect(listed.map((l) => l.kind)).toEqual(['new-api API key (sk-…) (detected)', 'Detect automatically']);
  });

  it('says of a key without a balance its tightest window, as the popup’s row does, not "Unknown"', () => {
    const window = (name: string, remaining: number, limit: number) => ({
      name,
      scope: 'key' as const,
      unit: 'USD',
      limit,
      used: limit - remaining,
      remaining,
      percentUsed: null,
      resetsAt: NOW_S + 2 * 3600,
      resets: true,
      rolling: false,
    });
    const plan: KeyStatus = usdStatus(0, {
      remaining: null,
      granted: null,
      used: null,
      windows: [window('5h', 12.5, 50), window('week', 150, 200)],
    });
    const [listed] = listedKeys([key('plan')], { plan }, DEFAULT_SETTINGS, NOW, 'en-US', []);
    // A review found "$12.50" on the popup's row and "Unknown" here.
    expect(listed?.summary).toBe('5-hour: $12.50 of $50.00 left · resets in 2 hr');
  });

  it('calls an expired key "Expired" with its last figures, never "The site refused this key"', () => {
    const [listed] = listedKeys(
      [key('old')],
      { old: refusedAfter(usdStatus(8.5, { expiresAt: NOW_S - 86_400 })) },
      DEFAULT_SETTINGS,
      NOW,
      'en-US',
      [],
    );
    expect(listed?.concern).toBe('expired');
    expect(concernLabel(listed!.concern)).toBe('Expired');
    expect(listed?.summary).toBe('$8.50 of $10.00');
  });

  it('says "Needs access" for a key whose site is not granted, where the popup does', () => {
    const network: KeyStatus = {
      reading: null,
      error: { kind: 'network', message: 'connection failed', at: NOW },
      attemptedAt: NOW,
      failures: 1,
    };
    const [listed] = listedKeys([key('far')], { far: network }, DEFAULT_SETTINGS, NOW, 'en-US', ['https://far.example.com/*']);
    expect(concernLabel(listed!.concern)).toBe('Needs access');
    expect(listed?.summary).toBe('');
    // Granted, the same failure is said as it is.
    const [granted] = listedKeys([key('far')], { far: network }, DEFAULT_SETTINGS, NOW, 'en-US', []);
    expect(concernLabel(granted!.concern)).toBe("Can't read");
    expect(granted?.summary).toMatch(/^Could not reach the site\./);
  });

  it('calls a key expiring in 3 days "Expires soon", and a refused key refused with the site’s words', () => {
    const listed = listedKeys(
      [key('soon'), key('bad')],
      {
        soon: usdStatus(8, { expiresAt: NOW_S + 3 * 86_400 }),
        bad: refusedAfter({ reading: null, error: null, attemptedAt: NOW, failures: 0 }),
      },
      DEFAULT_SETTINGS,
      NOW,
      'en-US',
      [],
    );
    expect(listed.map((l) => concernLabel(l.concern))).toEqual(['Expires soon', 'Refused']);
    // "Expires soon" says when, as a Test does.
    expect(listed[0]?.summary).toBe('$8.00 of $10.00 · expires in 3 days');
    expect(listed[1]?.summary).toContain('HTTP 401: token expired');
  });
});
