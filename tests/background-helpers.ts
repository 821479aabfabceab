import { vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type BackgroundDeps, createBackground } from '@/entrypoints/background/create';
import { localArea } from '@/lib/storage/items';

/** This extension's own page, as the browser names the sender of its messages. */
export const extensionPage = (path = '/options.html'): Browser.runtime.MessageSender => ({
  id: fakeBrowser.runtime.id,
  url: fakeBrowser.runtime.getURL(path),
});

/** Senders that are not this extension's pages: a web page, another extension, a content script's tab, nobody. */
export const strangers: [string, Browser.runtime.MessageSender][] = [
  ['a web page', { url: 'https://evil.example/', origin: 'https://evil.example' }],
  ['another extension', { id: 'other-extension', url: 'chrome-extension://other-extension/options.html' }],
  ['a content script of this extension in a tab', { id: fakeBrowser.runtime.id, url: 'https://evil.example/', tab: { id: 3 } as never }],
  ['no one named', {}],
];

/** Delivers `message` to the background's listeners as coming from `sender`; resolves with its reply. */
export async function sendFrom(sender: Browser.runtime.MessageSender, message: unknown): Promise<unknown> {
  let reply!: (value: unknown) => void;
  const answered = new Promise((resolve) => {
    reply = resolve;
  });
  const taken = await fakeBrowser.runtime.onMessage.trigger(message, sender, reply);
  if (!(taken as unknown[]).some((r) => r === true)) throw new Error('no listener took the message');
  return answered;
}

/**
 * Pages' messages (lib/messages.ts `sendMessage`) arrive as from this extension's options
 * page: WXT's fake browser sends them from no one, which the background refuses.
 */
export function sendAsExtensionPage() {
  return vi
    .spyOn(fakeBrowser.runtime, 'sendMessage')
    .mockImplementation(((message: unknown) => sendFrom(extensionPage(), message)) as typeof fakeBrowser.runtime.sendMessage);
}

/** The background as the browser runs it (entrypoints/background/create.ts), on the fake browser. */
export function startBackground(deps: Partial<BackgroundDeps> = {}) {
  return createBackground({
    browser: fakeBrowser as unknown as BackgroundDeps['browser'],
    fetch: (...args) => fetch(...args),
    now: Date.now,
    area: localArea,
    isOnline: () => true,
    ...deps,
  });
}
