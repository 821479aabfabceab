import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGateway, type FakeToken, startGateway } from '../tests/fake-gateway/gateway';
import { type FakeServices, startServices } from '../tests/fake-services/services';
import { dismissNotification, type Extension, importBackup, launchExtension, notifications, openPopupSettled, popupRows } from './fixtures';
import { axeViolations } from './ui-helpers';

// Alert channels end to end (automation.md §3.4, §5.1): channels configured by a version-3
// backup, keys that cross after a Refresh, one message per channel per round at local
// imitations of each service, a receiver that fails twice then succeeds, a restored key,
// the options page's statuses, and no key secret at any receiver.

const ciSecret = 'cichan'.repeat(8);
const teamSecret = 'teamch'.repeat(8);
const ci: FakeToken = { key: ciSecret, name: 'ci', remain: 4_000_000, used: 1_000_000 };
const team: FakeToken = { key: teamSecret, name: 'team', remain: 3_000_000, used: 2_000_000 };

const BOT = '123456:ABCdefGHIjklMNOpqrSTUvwx';
const DEVICE = 'barkDevice0123456789xyz';
const DING = 'SECdingSign0123456789abcdef';
const FEISHU = 'feishuSign0123456789abcdef';
const NTFY_TOKEN = 'tk_ntfyToken0123456789abcd';

let ext: Extension;
let gateway: FakeGateway;
let services: FakeServices;

beforeAll(async () => {
  gateway = await startGateway({ now: Date.now, flavor: 'new-api', tokens: [ci, team] });
  services = await startServices({ botToken: BOT, deviceKey: DEVICE, dingtalkSecret: DING, feishuSecret: FEISHU });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await gateway?.close();
  await services?.close();
});

const channels = () => {
  const at = services.origin;
  return [
    { type: 'webhook', label: 'hook', url: `${at}/webhook/qg?secret=hookSecret0123` },
    { type: 'ntfy', label: 'phone', server: `${at}/ntfy`, topic: 'qg-7f3a', token: NTFY_TOKEN },
    { type: 'telegram', label: 'me', server: `${at}/telegram`, botToken: BOT, chatId: '42' },
    { type: 'bark', label: 'iPhone', server: `${at}/bark`, deviceKey: DEVICE },
    { type: 'dingtalk', label: 'ops', url: `${at}/dingtalk/robot/send?access_token=dtk0123456789`, signSecret: DING },
    { type: 'feishu', label: 'ops cn', url: `${at}/feishu/open-apis/bot/v2/hook/0f1e2d3c-4b5a`, signSecret: FEISHU },
    { type: 'wecom', label: 'ops wx', url: `${at}/wecom/cgi-bin/webhook/send?key=0f1e2d3c-wecom` },
  ];
};
const SERVICES = ['webhook', 'ntfy', 'telegram', 'bark', 'dingtalk', 'feishu', 'wecom'];

/** What each service got that was not a 503 retry's twin: the messages, in order. */
const got = (service: string) => services.received.filter((r) => r.service === service);
/** The text a service received, whatever its format. */
function textOf(service: string, body: string): string {
  if (service === 'ntfy') return body;
  const json = JSON.parse(body);
  return [json.text, json.body, json.content?.text, json.text?.content, json.desp, json.title]
    .filter((v) => typeof v === 'string')
    .join('\n');
}

async function statuses(page: Page) {
  return page.locator('[data-channel]').evaluateAll((items) =>
    Object.fromEntries(
      items.map((i) => [
        i.getAttribute('data-channel'),
        {
          status: i.getAttribute('data-channel-status'),
          error: i.getAttribute('data-channel-error'),
          sentAt: i.getAttribute('data-channel-sent-at'),
        },
      ]),
    ),
  );
}

/** The appearance a person picks on the options page, set in storage. */
async function setTheme(theme: 'light' | 'dark' | 'system') {
  await ext.worker.evaluate(async (t) => {
    // @ts-expect-error chrome is the extension API inside the service worker
    await chrome.storage.local.set({ appearance: { language: 'browser', theme: t, sort: 'urgency', groupBySite: false } });
  }, theme);
}

async function refresh(popup: Page) {
  await popup.getByRole('button', { name: 'Refresh', exact: true }).click();
  await popup.waitForSelector('[data-refreshing]', { state: 'detached' });
}

describe('alert channels', () => {
  let options: Page;
  let popup: Page;

  it('imports channels from a version-3 backup and shows each as never sent', async () => {
    options = await ext.context.newPage();
    await importBackup(options, ext, {
      format: 'quota-glance',
      version: 3,
      exportedAt: '2026-12-07T03:00:00.000Z',
      keys: [
        { label: 'CI', baseUrl: gateway.url, kind: 'newapi-token', secret: `sk-${ciSecret}` },
        { label: 'Team', baseUrl: gateway.url, kind: 'newapi-token', secret: `sk-${teamSecret}` },
      ],
      settings: { notifyRestored: true, digestHour: null },
      channels: channels(),
    });
    popup = await openPopupSettled(ext, 2);
    expect((await popupRows(popup)).map((r) => r.state)).toEqual(['ok', 'ok']);
    await options.reload();
    await options.locator('[data-channel="ops wx"]').waitFor();
    const shown = await statuses(options);
    expect(Object.keys(shown).sort()).toEqual(['hook', 'iPhone', 'me', 'ops', 'ops cn', 'ops wx', 'phone']);
    for (const s of Object.values(shown)) expect(s).toEqual({ status: 'never', error: '', sentAt: '' });
    // The channel list shows no secret whole.
    const text = await options.locator('#channels').innerText();
    for (const secret of [BOT, DEVICE, DING, FEISHU, NTFY_TOKEN, 'hookSecret0123', 'dtk0123456789']) expect(text).not.toContain(secret);
  });

  it('keys crossing after a Refresh: one message per channel listing both, in each service’s format', async () => {
    expect(services.received).toEqual([]);
    services.failNext('webhook', 2);
    ci.remain = 400_000;
    ci.used = 4_600_000;
    team.remain = 0;
    team.used = 5_000_000;
    await refresh(popup);
    expect((await popupRows(popup)).map((r) => [r.label, r.state])).toEqual([
      ['Team', 'exhausted'],
      ['CI', 'low'],
    ]);
    await expect.poll(() => SERVICES.filter((s) => got(s).length === 1).length, { timeout: 10_000 }).toBe(SERVICES.length);
    const host = new URL(gateway.url).host;
    for (const service of SERVICES) {
      const [request] = got(service);
      expect(request?.method).toBe('POST');
      const text = textOf(service, request?.body ?? '');
      expect(text, service).toContain(`Team (${host}): Exhausted · $0.00 left`);
      expect(text, service).toContain(`CI (${host}): Low · $0.80 left`);
    }
    const webhook = JSON.parse(got('webhook')[0]?.body ?? '{}');
    expect(webhook).toMatchObject({ source: 'quota-glance', event: 'alert', title: 'Quota Glance: 2 keys need attention' });
    expect(webhook.keys).toEqual([
      { label: 'Team', site: host, state: 'exhausted', previousState: null, remaining: 0, unit: 'USD', expiresAt: null, resetsAt: null },
      { label: 'CI', site: host, state: 'low', previousState: null, remaining: 0.8, unit: 'USD', expiresAt: null, resetsAt: null },
    ]);
    expect(got('webhook')[0]?.url).toBe('/webhook/qg?secret=hookSecret0123');
    const ntfy = got('ntfy')[0];
    expect(ntfy?.url).toBe('/ntfy/qg-7f3a');
    expect(ntfy?.headers).toMatchObject({
      title: 'Quota Glance: 2 keys need attention',
      priority: '5',
      tags: 'warning',
      authorization: `Bearer ${NTFY_TOKEN}`,
    });
    expect(got('telegram')[0]?.url).toBe(`/telegram/bot${BOT}/sendMessage`);
    expect(JSON.parse(got('telegram')[0]?.body ?? '{}')).toMatchObject({ chat_id: '42', disable_web_page_preview: true });
    expect(JSON.parse(got('bark')[0]?.body ?? '{}')).toMatchObject({ device_key: DEVICE, group: 'Quota Glance' });
    expect(got('dingtalk')[0]?.url).toMatch(/^\/dingtalk\/robot\/send\?access_token=dtk0123456789&timestamp=\d{13}&sign=/);
    expect(JSON.parse(got('feishu')[0]?.body ?? '{}')).toMatchObject({ msg_type: 'text', timestamp: expect.stringMatching(/^\d{10}$/) });
  });

  it('the options page shows the statuses: delivered (signatures accepted), and the failing webhook with its error', async () => {
    await options.reload();
    await expect.poll(async () => (await statuses(options)).ops?.status).toBe('ok');
    const shown = await statuses(options);
    for (const label of ['phone', 'me', 'iPhone', 'ops', 'ops cn', 'ops wx']) {
      expect(shown[label]?.status, label).toBe('ok');
      expect(Number(shown[label]?.sentAt)).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(shown.hook).toMatchObject({ status: 'error', sentAt: '' });
    expect(shown.hook?.error).toContain('HTTP 503');
    expect(shown.hook?.error).not.toContain('hookSecret0123');
    await expect.poll(() => options.locator('[data-channel="hook"] [data-outbox="pending"]').count()).toBe(1);
  });

  it('a receiver that failed twice gets the message on the next rounds, once each round, then succeeds', async () => {
    await refresh(popup);
    await expect.poll(() => got('webhook').length).toBe(2);
    await refresh(popup);
    await expect.poll(() => got('webhook').length).toBe(3);
    await expect.poll(async () => (await statuses(options)).hook?.status).toBe('ok');
    const bodies = got('webhook').map((r) => JSON.parse(r.body).title);
    expect(bodies).toEqual(Array(3).fill('Quota Glance: 2 keys need attention'));
    // Nothing new crossed: the other services got nothing more.
    for (const service of SERVICES.filter((s) => s !== 'webhook')) expect(got(service), service).toHaveLength(1);
    await expect.poll(() => options.locator('[data-outbox]').count()).toBe(0);
  });

  it('a restored key is announced on every channel with where it came back from', async () => {
    team.remain = 5_000_000;
    team.used = 0;
    await refresh(popup);
    await expect.poll(() => SERVICES.filter((s) => got(s).length >= 2).length, { timeout: 10_000 }).toBe(SERVICES.length);
    const host = new URL(gateway.url).host;
    for (const service of SERVICES) {
      const last = got(service).at(-1);
      expect(textOf(service, last?.body ?? ''), service).toContain(`Team (${host}): OK (was Exhausted) · $10.00 left`);
    }
    const webhook = JSON.parse(got('webhook').at(-1)?.body ?? '{}');
    expect(webhook.event).toBe('restored');
    expect(webhook.keys).toEqual([
      { label: 'Team', site: host, state: 'ok', previousState: 'exhausted', remaining: 10, unit: 'USD', expiresAt: null, resetsAt: null },
    ]);
    expect(got('ntfy').at(-1)?.headers.priority).toBe('4');
  });

  it('after 3 failed tries a message stays listed as not delivered; the popup says the channel keeps failing; Resend delivers it', async () => {
    services.failNext('wecom', 3);
    ci.remain = 0;
    ci.used = 5_000_000;
    const before = got('wecom').length;
    await refresh(popup);
    await expect.poll(() => got('wecom').length).toBe(before + 1);
    await refresh(popup);
    await expect.poll(() => got('wecom').length).toBe(before + 2);
    await refresh(popup);
    await expect.poll(() => got('wecom').length).toBe(before + 3);
    // A fourth round does not try it again.
    await refresh(popup);
    await popup.reload();
    await popup.locator('[data-channel-failing]').waitFor();
    expect(await popup.locator('[data-channel-failing]').textContent()).toBe('Alerts to ops wx are not getting through');
    expect(got('wecom').length).toBe(before + 3);

    await options.reload();
    const failed = options.locator('[data-channel="ops wx"] [data-outbox="failed"]');
    await failed.waitFor();
    expect(await failed.textContent()).toContain('Not delivered after 3 tries');
    // The section as a person sees it, light and dark: readable, no axe-core violation; the README's screenshots.
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(theme);
      await options.reload();
      await failed.waitFor();
      expect(await axeViolations(options), theme).toEqual([]);
      await options.locator('#channels').screenshot({ path: `e2e/artifacts/channels-${theme}.png` });
    }
    await setTheme('system');
    await options.reload();
    await failed.waitFor();
    await failed.getByRole('button', { name: 'Resend' }).click();
    await expect.poll(() => got('wecom').length).toBe(before + 4);
    await expect.poll(() => failed.count()).toBe(0);
    expect(await statuses(options).then((s) => s['ops wx']?.status)).toBe('ok');
    expect(JSON.parse(got('wecom').at(-1)?.body ?? '{}').text.content).toContain('CI (');
    await popup.reload();
    await popup.locator('[data-key-row]').first().waitFor();
    expect(await popup.locator('[data-channel-failing]').count()).toBe(0);
  });

  it('no key secret reached any receiver, in any URL, header or body', () => {
    expect(services.received.length).toBeGreaterThan(10);
    for (const r of services.received) {
      const all = `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`;
      expect(all).not.toContain(ciSecret);
      expect(all).not.toContain(teamSecret);
    }
  });

  it('a trial message from the options page shows the service’s answer, redacted', async () => {
    const me = options.locator('[data-channel="me"]');
    await me.getByRole('button', { name: 'Send trial message' }).click();
    const answer = me.getByRole('status');
    await expect.poll(() => answer.textContent()).toContain('Sent: the service took the trial message.');
    expect(await answer.textContent()).toContain('"ok":true');
    expect(JSON.parse(got('telegram').at(-1)?.body ?? '{}').text).toContain('This channel works');
  });

  it('the daily digest: chosen on the options page, sent by its alarm once a day to every channel', async () => {
    // 00:00 has always passed today, whatever the machine's clock and zone.
    await options.getByLabel('Daily digest').selectOption('0');
    await expect
      .poll(() =>
        ext.worker.evaluate(async () => {
          // @ts-expect-error chrome is the extension API inside the service worker
          return (await chrome.alarms.get('digest'))?.scheduledTime ?? null;
        }),
      )
      .toBeGreaterThan(Date.now());
    const before = Object.fromEntries(SERVICES.map((s) => [s, got(s).length]));
    const ring = () =>
      ext.worker.evaluate(async () => {
        // @ts-expect-error chrome is the extension API inside the service worker
        await chrome.alarms.create('digest', { when: Date.now() + 10 });
      });
    await ring();
    await expect
      .poll(() => SERVICES.filter((s) => got(s).length === (before[s] ?? 0) + 1).length, { timeout: 15_000 })
      .toBe(SERVICES.length);
    const host = new URL(gateway.url).host;
    const webhook = JSON.parse(got('webhook').at(-1)?.body ?? '{}');
    expect(webhook).toMatchObject({ event: 'digest', title: 'Quota Glance: daily digest' });
    // The imitated new-api refuses a spent token (401): CI is refused, with its last figure.
    expect(webhook.text).toBe(
      [`Keys needing attention (1):`, `• CI (${host}): Refused · $0.80 left`, '', 'Left in total: $10.80'].join('\n'),
    );
    for (const service of SERVICES)
      expect(textOf(service, got(service).at(-1)?.body ?? ''), service).toContain('Keys needing attention (1):');
    // Rung again the same day: today's digest was sent.
    await ring();
    await expect
      .poll(() =>
        ext.worker.evaluate(async () => {
          // @ts-expect-error chrome is the extension API inside the service worker
          return (await chrome.alarms.get('digest'))?.scheduledTime ?? 0;
        }),
      )
      .toBeGreaterThan(Date.now() + 60_000);
    expect(SERVICES.every((s) => got(s).length === (before[s] ?? 0) + 1)).toBe(true);
  });

  it('with the browser’s notifications off, channels still hear of a crossing; the browser shows nothing new', async () => {
    await ext.worker.evaluate(async () => {
      // @ts-expect-error chrome is the extension API inside the service worker
      const { settings } = await chrome.storage.local.get('settings');
      // @ts-expect-error chrome is the extension API inside the service worker
      await chrome.storage.local.set({ settings: { ...settings, notifications: false } });
    });
    for (const id of await notifications(ext)) await dismissNotification(ext, id);
    const before = got('bark').length;
    team.remain = 300_000;
    team.used = 4_700_000;
    await refresh(popup);
    await expect.poll(() => got('bark').length).toBe(before + 1);
    expect(JSON.parse(got('bark').at(-1)?.body ?? '{}')).toMatchObject({ title: 'Quota Glance: Team needs attention' });
    expect(await notifications(ext)).toEqual([]);
  });

  it('adds a channel with the form, sends it a trial message, changes and removes it', async () => {
    await options.reload();
    await options.getByRole('button', { name: 'Add channel' }).click();
    await options.getByLabel('Type').selectOption('webhook');
    await options.getByLabel('Name', { exact: true }).fill('added');
    await options.getByLabel('Webhook URL').fill(`${services.origin}/webhook/added`);
    await options.getByRole('button', { name: 'Save channel' }).click();
    const added = options.locator('[data-channel="added"]');
    await added.waitFor();
    expect(await added.getAttribute('data-channel-status')).toBe('never');
    await added.getByRole('button', { name: 'Send trial message' }).click();
    await expect.poll(() => added.getAttribute('data-channel-status')).toBe('ok');
    expect(JSON.parse(got('webhook').at(-1)?.body ?? '{}')).toMatchObject({ event: 'test', keys: [] });
    expect(got('webhook').at(-1)?.url).toBe('/webhook/added');

    await added.getByRole('button', { name: 'Change' }).click();
    await added.getByLabel('Name', { exact: true }).fill('renamed');
    await added.getByRole('button', { name: 'Save channel' }).click();
    const renamed = options.locator('[data-channel="renamed"]');
    await renamed.waitFor();
    // The URL, left empty while changing, kept the stored one.
    await renamed.getByRole('button', { name: 'Send trial message' }).click();
    await expect.poll(() => renamed.getAttribute('data-channel-status')).toBe('ok');
    expect(got('webhook').at(-1)?.url).toBe('/webhook/added');

    await renamed.getByRole('button', { name: 'Remove' }).click();
    await renamed.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => renamed.count()).toBe(0);
    expect(await options.locator('[data-channel]').count()).toBe(7);
  });
});
