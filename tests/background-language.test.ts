import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateChromeMessages, parseMessagesText } from '@wxt-dev/i18n/build';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { followChosenLanguage } from '@/entrypoints/background/language';
import { announce } from '@/entrypoints/background/notify';
import { showBadge } from '@/entrypoints/background/wiring';
import { judgeAlerts } from '@/lib/alerts';
import { DEFAULT_SETTINGS, keyState } from '@/lib/state';
import { keysItem, statusesItem } from '@/lib/storage/items';
import { makeKey, NOW, usdStatus } from './helpers';

/** A locale's packaged `messages.json`, built from its file as WXT builds it. */
const packaged = (file: string) =>
  generateChromeMessages(parseMessagesText(readFileSync(resolve(process.cwd(), 'locales', file), 'utf8'), 'YAML'));
const deps = () => ({
  i18n: fakeBrowser.i18n,
  readJson: async (path: string) => packaged(`${path.split('/')[2]}.yml`),
});

afterEach(async () => {
  // Back to the browser's language for the other tests.
  await followChosenLanguage('browser', deps());
  vi.useRealTimers();
});

describe('the background speaks the language chosen on the options page (issue #19)', () => {
  it('the badge tooltip and a notification follow the choice, then the browser again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const low = makeKey({ id: 'low', label: 'CI key', baseUrl: 'https://relay.example.com', secret: 'sk-low' });
    await keysItem.setValue([low]);
    await statusesItem.setValue({ low: usdStatus(0.5) });

    await followChosenLanguage('ja', deps());
    await showBadge();
    const title = await fakeBrowser.action.getTitle({});
    expect(title).toContain('残りわずか');
    expect(title).not.toContain('Low');
    // In Japanese punctuation: "• CI key：残りわずか、残り $0.50", never "CI key: 残りわずか, …".
    expect(title).toMatch(/^• CI key：残りわずか、/m);
    expect(title).toMatch(/^Quota Glance：/);

    const shown: { title: string }[] = [];
    vi.spyOn(fakeBrowser.notifications, 'create').mockImplementation((async (_id: string, options: { title: string }) => {
      shown.push(options);
      return 'n';
    }) as never);
    const state = keyState(low, usdStatus(0.5), DEFAULT_SETTINGS, NOW);
    const { alerts } = judgeAlerts(low, usdStatus(0.5), state, undefined, DEFAULT_SETTINGS, NOW);
    expect(alerts.length).toBeGreaterThan(0);
    await announce(alerts.map((alert) => ({ key: low, alert })));
    expect(shown.map((n) => n.title).join()).toMatch(/[ぁ-んァ-ン一-龯]/);

    await followChosenLanguage('browser', deps());
    await showBadge();
    expect(await fakeBrowser.action.getTitle({})).toContain('Low');
  });
});
