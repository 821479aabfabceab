import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { announce } from '@/entrypoints/background/notify';
import { keysItem, statusesItem } from '@/lib/storage/items';
import { makeKey, usdStatus } from './helpers';

describe('notifications off: alerts are quiet, for alert channels only', () => {
  it('the browser shows no notification for a quiet alert, and still shows the others', async () => {
    const created: string[] = [];
    Object.assign(fakeBrowser.notifications, {
      create: vi.fn(async (id: string, options: { title: string }) => {
        created.push(options.title);
        return id;
      }),
    });
    const ci = makeKey({ id: 'ci', label: 'CI', baseUrl: 'https://relay.test', secret: 'sk-ci' });
    await keysItem.setValue([ci]);
    await statusesItem.setValue({ ci: usdStatus(0.4) });
    await announce([{ key: ci, alert: { kind: 'state', state: 'low', quiet: true } }]);
    expect(created).toEqual([]);
    await announce([{ key: ci, alert: { kind: 'state', state: 'low' } }]);
    expect(created).toEqual(['CI: Low']);
  });
});
