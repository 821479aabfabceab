import { describe, expect, it } from 'vitest';
import { channelAnnouncements, digestMessage, lineOf, MAX_LINES, roundMessage, siteOf, testMessage } from '@/lib/alert-channels/compose';
import { digestDue, localDay, nextDigestAt } from '@/lib/alert-channels/digest-time';
import type { KeyLine } from '@/lib/alert-channels/message';
import { wordsFor } from './channel-words';
import { makeKey, NOW, NOW_S, usdReading, usdStatus } from './helpers';

const en = wordsFor('en');
const key = (label: string, baseUrl = 'https://relay.example.com') =>
  makeKey({ id: label, label, baseUrl, secret: `sk-${label}-secret-0123456789abcdef` });

describe('a round’s message', () => {
  it('lists each key with label, host, state and figure with unit; capped with when it works again; restored too', () => {
    const lines: KeyLine[] = [
      lineOf(key('wallet', 'http://127.0.0.1:3000/relay'), { kind: 'state', state: 'low' }, usdReading(0.5)),
      lineOf(key('CI'), { kind: 'restored', state: 'ok', from: 'exhausted' }, usdReading(12)),
      lineOf(key('plan'), { kind: 'state', state: 'capped', resumesAt: NOW_S + 3600 }, usdReading(3)),
      lineOf(key('old'), { kind: 'state', state: 'expired' }, usdReading(2, { expiresAt: NOW_S - 10 })),
    ];
    const message = roundMessage(lines, en);
    expect(message?.event).toBe('alert');
    expect(message?.title).toBe('Quota Glance: 3 keys need attention');
    expect(message?.text.split('\n')).toEqual([
      '• old (relay.example.com): Expired · $2.00 left',
      '• plan (relay.example.com): Window full · $3.00 left · works again at Nov 22, 04:00',
      '• wallet (127.0.0.1:3000/relay): Low · $0.50 left',
      '• CI (relay.example.com): OK (was Exhausted) · $12.00 left',
    ]);
    expect(message?.keys.find((k) => k.label === 'CI')).toMatchObject({
      state: 'ok',
      previousState: 'exhausted',
      remaining: 12,
      unit: 'USD',
    });
    expect(message?.keys.find((k) => k.label === 'plan')).toMatchObject({ state: 'capped', resetsAt: NOW_S + 3600 });
  });

  it('a round of restored keys only is a "restored" event', () => {
    const message = roundMessage([lineOf(key('CI'), { kind: 'restored', state: 'ok', from: 'low' }, usdReading(12))], en);
    expect(message?.event).toBe('restored');
    expect(message?.title).toBe('Quota Glance: CI is back');
  });

  it('nothing announced: no message', () => {
    expect(roundMessage([], en)).toBeNull();
  });

  it('past 20 keys the text says "… and N more"; the keys list keeps them all', () => {
    const lines = Array.from({ length: 23 }, (_, i) => lineOf(key(`k${i}`), { kind: 'state', state: 'low' }, usdReading(0.1)));
    const message = roundMessage(lines, en);
    const text = message?.text.split('\n') ?? [];
    expect(text).toHaveLength(MAX_LINES + 1);
    expect(text.at(-1)).toBe('… and 3 more');
    expect(message?.keys).toHaveLength(23);
  });

  it('speaks Chinese and Japanese when the person chose them', () => {
    const lines = [lineOf(key('CI'), { kind: 'state', state: 'exhausted' }, { ...usdReading(0), unit: { code: 'CNY' } })];
    const zh = roundMessage(lines, wordsFor('zh_CN'));
    // Their own colon and brackets, full width, with no space after (issue #19, a new user's findings).
    expect(zh?.title).toBe('Quota Glance：CI 需要留意');
    expect(zh?.text).toBe('• CI（relay.example.com）：已用尽 · 剩余 ¥0.00');
    const ja = roundMessage(lines, wordsFor('ja'));
    expect(ja?.title).toBe('Quota Glance：CI に対応が必要です');
    expect(ja?.text).toContain('CI（relay.example.com）：');
    expect(testMessage(wordsFor('zh_CN')).title).toBe('Quota Glance：测试消息');
  });

  it('expiry warnings say when; a site’s host includes its port and path', () => {
    const line = lineOf(key('soon'), { kind: 'expiring', state: 'ok', days: 3, expiresAt: NOW_S + 3 * 86400 }, usdReading(5));
    expect(roundMessage([line], en)?.text).toBe('• soon (relay.example.com): OK · $5.00 left · expires Nov 25, 03:00');
    expect(siteOf('https://a.example.com:8443/x/')).toBe('a.example.com:8443/x');
  });

  it('the test message names no key', () => {
    expect(testMessage(en)).toMatchObject({ event: 'test', keys: [] });
  });
});

describe('what a round announces on channels', () => {
  it('leaves out muted keys (and a muted account’s tokens), and restored keys when that is off', () => {
    const ci = key('CI');
    const quiet = { ...key('quiet'), muted: true };
    const token = { ...key('tok'), id: 'quiet:token:7' };
    const all = [
      { key: ci, alert: { kind: 'state' as const, state: 'low' as const } },
      { key: quiet, alert: { kind: 'state' as const, state: 'exhausted' as const } },
      { key: token, alert: { kind: 'state' as const, state: 'low' as const } },
      { key: ci, alert: { kind: 'restored' as const, state: 'ok' as const, from: 'low' as const } },
    ];
    expect(channelAnnouncements(all, [ci, quiet], true).map((a) => [a.key.label, a.alert.kind])).toEqual([
      ['CI', 'state'],
      ['CI', 'restored'],
    ]);
    expect(channelAnnouncements(all, [ci, quiet], false).map((a) => [a.key.label, a.alert.kind])).toEqual([['CI', 'state']]);
  });
});

describe('the daily digest', () => {
  it('lists keys needing attention, totals per unit, and what expires this week; muted keys are left out', () => {
    const message = digestMessage(
      [
        { key: key('fine'), status: usdStatus(10), state: 'ok' },
        { key: key('low'), status: usdStatus(0.2), state: 'low' },
        { key: key('week'), status: usdStatus(5, { expiresAt: NOW_S + 2 * 86400 }), state: 'ok' },
        { key: { ...key('quiet'), muted: true }, status: usdStatus(0), state: 'exhausted' },
        { key: key('yuan'), status: { ...usdStatus(7), reading: { ...usdReading(7), unit: { code: 'CNY' } } }, state: 'ok' },
      ],
      NOW,
      en,
    );
    expect(message.event).toBe('digest');
    expect(message.text).toBe(
      [
        'Keys needing attention (2):',
        '• low (relay.example.com): Low · $0.20 left',
        '• week (relay.example.com): OK · $5.00 left · expires Nov 24, 03:00',
        '',
        'Left in total: $15.20, CN¥7.00',
        '',
        'Expiring this week:',
        '• week (relay.example.com): OK · $5.00 left · expires Nov 24, 03:00',
      ].join('\n'),
    );
  });

  it('with nothing to say, says so', () => {
    expect(digestMessage([], NOW, en).text).toBe('No key needs attention.');
  });
});

describe('when the digest goes out', () => {
  const HOUR = 3_600_000;
  const utc = () => 0;
  const shanghai = () => -480;
  const newYork = () => 300;

  it('today at the hour when it is still ahead, else tomorrow', () => {
    const at = Date.UTC(2026, 11, 7, 8, 30);
    expect(nextDigestAt(at, 9, utc)).toBe(Date.UTC(2026, 11, 7, 9));
    expect(nextDigestAt(at, 8, utc)).toBe(Date.UTC(2026, 11, 8, 8));
    expect(nextDigestAt(Date.UTC(2026, 11, 7, 9), 9, utc)).toBe(Date.UTC(2026, 11, 8, 9));
  });

  it('across midnight and time zones: local hour, local day', () => {
    // 23:30 UTC on Dec 7 is 07:30 on Dec 8 in Shanghai: 09:00 there is 01:00 UTC on Dec 8.
    const late = Date.UTC(2026, 11, 7, 23, 30);
    expect(nextDigestAt(late, 9, shanghai)).toBe(Date.UTC(2026, 11, 8, 1));
    expect(localDay(late, shanghai)).toBe('2026-12-08');
    expect(localDay(late, utc)).toBe('2026-12-07');
    // 03:00 UTC on Dec 8 is 22:00 on Dec 7 in New York: an hour of 0 is the coming midnight, 05:00 UTC.
    expect(nextDigestAt(Date.UTC(2026, 11, 8, 3), 0, newYork)).toBe(Date.UTC(2026, 11, 8, 5));
    expect(localDay(Date.UTC(2026, 11, 8, 3), newYork)).toBe('2026-12-07');
  });

  it('on a summer-time change the local hour holds', () => {
    // A zone one hour east of UTC in winter, two in summer from 2027-03-28 01:00 UTC.
    const change = Date.UTC(2027, 2, 28, 1);
    const europe = (ms: number) => (ms >= change ? -120 : -60);
    expect(nextDigestAt(Date.UTC(2027, 2, 27, 12), 9, europe)).toBe(Date.UTC(2027, 2, 28, 7));
    expect(nextDigestAt(Date.UTC(2027, 2, 26, 12), 9, europe)).toBe(Date.UTC(2027, 2, 27, 8));
  });

  it('is due once the hour has come and today’s was not sent', () => {
    const at = Date.UTC(2026, 11, 7, 9, 5);
    expect(digestDue(at, 9, undefined, utc)).toBe(true);
    expect(digestDue(at, 9, '2026-12-07', utc)).toBe(false);
    expect(digestDue(at, 9, '2026-12-06', utc)).toBe(true);
    expect(digestDue(at - HOUR, 9, '2026-12-06', utc)).toBe(false);
  });
});
