import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { releaseUnusedAccess } from '@/entrypoints/background/wiring';
import { channelOrigin } from '@/lib/alert-channels/origins';
import { channelsItem, keysItem } from '@/lib/storage/items';
import { makeKey } from './helpers';

describe('a channel’s site access (automation.md §5.1)', () => {
  it('is kept while a channel sends there, and given back once none does', async () => {
    await keysItem.setValue([makeKey({ id: 'a', baseUrl: 'https://kept.test', secret: 'x' })]);
    await channelsItem.setValue([
      { type: 'ntfy', label: 'phone', server: 'https://ntfy.example.com', topic: 't' },
      { type: 'serverchan', label: 'wx', sendKey: 'sctp123tABC' },
    ]);
    const granted = ['https://kept.test/*', 'https://ntfy.example.com/*', 'https://123.push.ft07.com/*', 'https://old-hook.test/*'];
    const remove = vi.fn(async () => true);
    Object.assign(fakeBrowser.permissions, { getAll: async () => ({ origins: granted, permissions: [] }), remove });
    vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'x', version: '1' });
    expect(await releaseUnusedAccess()).toEqual(['https://old-hook.test/*']);

    await channelsItem.setValue([]);
    expect(await releaseUnusedAccess()).toEqual(['https://ntfy.example.com/*', 'https://123.push.ft07.com/*', 'https://old-hook.test/*']);
  });

  it('is the origin each type sends to', () => {
    expect(channelOrigin({ type: 'webhook', label: 'w', url: 'https://hooks.example.com:8443/qg?x=1' })).toBe(
      'https://hooks.example.com:8443',
    );
    expect(channelOrigin({ type: 'telegram', label: 't', server: 'https://api.telegram.org', botToken: 'b', chatId: '1' })).toBe(
      'https://api.telegram.org',
    );
    expect(channelOrigin({ type: 'serverchan', label: 's', sendKey: 'SCT123' })).toBe('https://sctapi.ftqq.com');
    expect(channelOrigin({ type: 'serverchan', label: 's', sendKey: 'sctp42tXYZ' })).toBe('https://42.push.ft07.com');
  });
});
