// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '@/entrypoints/options/App';
import { expiresIn, leastLeft } from '@/entrypoints/options/summary';
import { formatTimeLeft } from '@/lib/expiry';
import { onMessage } from '@/lib/messages';
import { emptyStatus, type Reading, type ReadOutcome } from '@/lib/model';
import { keysItem, statusesItem } from '@/lib/storage/items';
import { createKeyStore } from '@/lib/storage/keys';
import { type QuotaWindow, tightestWindow, windowLeft } from '@/lib/windows';
import { usdReading } from './helpers';
import { speak, speakEnglish } from './speak';

/**
 * What Test and Save say (issue #19, item 3): the state, what is left of what was granted,
 * and the expiry; the Kind list names the kind a Test found for a key on "Detect automatically".
 */
const handlers: (() => void)[] = [];
const writer = createKeyStore(keysItem);
/** How the site answers, made when it is asked (an expiry counts from the moment of the read). */
let answer: () => ReadOutcome;

const DAY_S = 86_400;
/** Expires in 2.5 days: said "in 3 days" (lib/expiry.ts rounds up). */
const expiring = (): ReadOutcome => ({ ok: true, reading: usdReading(8.5, { expiresAt: Math.floor(Date.now() / 1000) + 2.5 * DAY_S }) });

beforeEach(() => {
  answer = expiring;
  handlers.push(
    onMessage('probe', () => answer()),
    onMessage('changeKeys', ({ data }) => writer.change(data)),
    onMessage('refresh', async ({ data }) => {
      const keys = (await keysItem.getValue()).filter((k) => data.ids === 'all' || data.ids.includes(k.id));
      const statuses = await statusesItem.getValue();
      for (const key of keys) {
        const outcome = answer();
        statuses[key.id] = outcome.ok
          ? { ...emptyStatus(), reading: outcome.reading }
          : { ...emptyStatus(), error: { ...outcome.error, at: 0 } };
      }
      await statusesItem.setValue(statuses);
      return { total: keys.length, ok: keys.length, failed: 0 };
    }),
  );
});
afterEach(() => {
  cleanup();
  for (const stop of handlers.splice(0)) stop();
  speakEnglish();
});

async function fill(labels: { label: string; site: string; secret: string }, secret = 'sk-working') {
  render(<App locale="en-US" />);
  fireEvent.input(await screen.findByLabelText(labels.label), { target: { value: 'relay' } });
  fireEvent.input(screen.getByLabelText(labels.site), { target: { value: 'https://relay.example.com' } });
  fireEvent.input(screen.getByLabelText(labels.secret), { target: { value: secret } });
}
const EN = { label: 'Label', site: 'Site address', secret: 'Key or access token' };
const result = () => document.querySelector('#add [role="status"].notice')?.textContent;
const autoOption = () => (document.querySelector('#add select[name="kind"] option[value="auto"]') as HTMLOptionElement).textContent;

describe('Test and Save say the state, what is left and the expiry (issue #19, item 3)', () => {
  it('Test: "OK · $8.50 of $10.00 · expires in 3 days"; Save says the same of the stored key', async () => {
    await fill(EN);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(result()).toBe('Test: OK · $8.50 of $10.00 · expires in 3 days'));
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    await waitFor(() => expect(result()).toBe('Saved. relay: OK · $8.50 of $10.00 · expires in 3 days'));
  });

  it('a low balance without a grant and without an expiry: its state and amount only', async () => {
    answer = () => ({ ok: true, reading: usdReading(0.5, { granted: null, used: null, scope: 'account' }) });
    await fill(EN);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(result()).toBe('Test: Low · $0.50'));
  });

  it("a key with quota windows and no balance: the tightest window's share left", async () => {
    const window = (name: string, percentUsed: number): QuotaWindow => ({
      name,
      scope: 'key',
      unit: 'percent',
      limit: null,
      used: null,
      remaining: null,
      percentUsed,
      resetsAt: null,
      resets: true,
      rolling: true,
    });
    const reading: Reading = {
      ...usdReading(0),
      remaining: null,
      granted: null,
      used: null,
      windows: [window('5h', 30), window('week', 65)],
    };
    answer = () => ({ ok: true, reading });
    await fill(EN);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(result()).toBe('Test: OK · 35% left'));
  });

  it('a refused key says why, as before', async () => {
    answer = () => ({ ok: false, error: { kind: 'auth', message: 'HTTP 401: Invalid token' } });
    await fill(EN);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(result()).toMatch(/^Test: .*HTTP 401: Invalid token/));
    expect(result()).not.toMatch(/·/);
  });

  it('in zh-CN and ja, in their words and punctuation', async () => {
    speak('zh_CN.yml');
    await fill({ label: '名称', site: '站点地址', secret: '密钥或访问令牌' });
    fireEvent.click(screen.getByRole('button', { name: '测试' }));
    await waitFor(() => expect(result()).toMatch(/^测试：正常 · \$8\.50 共 \$10\.00 · .+到期$/));
    cleanup();
    speak('ja.yml');
    await fill({ label: '名前', site: 'サイトのアドレス', secret: 'キーまたはアクセストークン' });
    fireEvent.click(screen.getByRole('button', { name: 'テスト' }));
    await waitFor(() => expect(result()).toMatch(/^テスト：正常 · \$8\.50 \/ \$10\.00 · .+に期限切れ$/));
  });
});

describe("a refused key's reason in zh-CN and ja", () => {
  it("puts the site's words in full-width brackets, with no space after the sentence", async () => {
    answer = () => ({ ok: false, error: { kind: 'auth', message: 'HTTP 401: Invalid token' } });
    speak('zh_CN.yml');
    await fill({ label: '名称', site: '站点地址', secret: '密钥或访问令牌' });
    fireEvent.click(screen.getByRole('button', { name: '测试' }));
    await waitFor(() => expect(result()).toBe('测试：站点拒绝了此密钥。（HTTP 401: Invalid token）'));
    cleanup();
    speak('ja.yml');
    await fill({ label: '名前', site: 'サイトのアドレス', secret: 'キーまたはアクセストークン' });
    fireEvent.click(screen.getByRole('button', { name: 'テスト' }));
    await waitFor(() => expect(result()).toBe('テスト：サイトがこのキーを拒否しました。（HTTP 401: Invalid token）'));
  });
});

describe('the Kind list names the kind a Test found (issue #19, item 3)', () => {
  it('"new-api API key (sk-…) (detected)" while the form holds the credential read; "Detect automatically" again once the secret changes', async () => {
    await fill(EN);
    expect(autoOption()).toBe('Detect automatically');
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(autoOption()).toBe('new-api API key (sk-…) (detected)'));
    // Still "auto": the key is saved as the person chose, the list only says what was found.
    expect((document.querySelector('#add select[name="kind"]') as HTMLSelectElement).value).toBe('auto');
    fireEvent.input(screen.getByLabelText('Label'), { target: { value: 'renamed' } });
    expect(autoOption()).toBe('new-api API key (sk-…) (detected)');
    fireEvent.input(screen.getByLabelText('Key or access token'), { target: { value: 'sk-another' } });
    expect(autoOption()).toBe('Detect automatically');
  });

  it('a Test that found nothing leaves "Detect automatically"', async () => {
    answer = () => ({ ok: false, error: { kind: 'network', message: 'connection refused' } });
    await fill(EN);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(result()).toMatch(/^Test: /));
    expect(autoOption()).toBe('Detect automatically');
  });
});

describe("the options page's own words for what the popup's modules say (entrypoints/options/summary.ts)", () => {
  const now = Date.UTC(2026, 0, 1);
  it('expiresIn says what formatTimeLeft says, in every locale, at every span', () => {
    const spans = [1, 59_000, 3_600_000, 3_600_001, 86_399_999, 86_400_000, 86_400_001, 2.5 * 86_400_000, 400 * 86_400_000];
    for (const locale of ['en-US', 'zh-CN', 'ja'])
      for (const span of spans) {
        const at = (now + span) / 1000;
        expect({ locale, span, said: expiresIn(at, now, locale) }).toEqual({ locale, span, said: formatTimeLeft(at, now, locale) });
      }
    expect(expiresIn(now / 1000 + 3 * 86_400, now, 'ja')).toBe('3日後');
    expect(expiresIn(now / 1000 - 1, now, 'en-US')).toBeNull();
    expect(expiresIn(1.7e308, now, 'en-US')).toBeNull();
  });

  it("leastLeft is the tightest window's share left", () => {
    const w = (percentUsed: number | null, remaining: number | null = null, limit: number | null = null): QuotaWindow => ({
      name: 'w',
      scope: 'key',
      unit: 'USD',
      limit,
      used: null,
      remaining,
      percentUsed,
      resetsAt: null,
      resets: true,
      rolling: false,
    });
    const sets = [[w(30), w(65)], [w(null), w(10, 2, 10)], [w(null)], [], [w(100), w(0)]];
    for (const windows of sets) {
      const tightest = tightestWindow(windows);
      expect(leastLeft(windows)).toBe(tightest ? windowLeft(tightest) : null);
    }
  });
});
