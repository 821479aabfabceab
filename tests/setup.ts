import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configure } from '@testing-library/dom';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import { afterEach, beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

// findBy… and waitFor end as soon as what they wait for is there; their limit only catches a
// hang. The default 1 s failed on 2 busy cores ("Reading…" still shown after a second).
configure({ asyncUtilTimeout: 20_000 });

// A project's own setupFiles replace the one WxtVitest adds, so install the fake browser here.
vi.stubGlobal('chrome', fakeBrowser);
vi.stubGlobal('browser', fakeBrowser);

// fakeBrowser has no i18n: answer from the real English messages file, as the browser would.
const messages = new Map(
  parseMessagesText(readFileSync(resolve(process.cwd(), 'locales/en.yml'), 'utf8'), 'YAML').map((m) => [
    m.key.join('_'),
    'message' in m ? m.message : 'plurals' in m ? Object.values(m.plurals).join(' | ') : '',
  ]),
);
Object.assign(fakeBrowser, {
  i18n: {
    getUILanguage: () => 'en-US',
    getMessage: (key: string, subs?: string | string[]) => {
      const list = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
      return (messages.get(key) ?? '').replace(/\$(\d)/g, (_, n: string) => list[Number(n) - 1] ?? '');
    },
  },
});

afterEach(() => fakeBrowser.reset());

// fakeBrowser has no permissions.*: every site is granted unless a test says otherwise.
beforeEach(() => {
  Object.assign(fakeBrowser.permissions, {
    contains: async () => true,
    getAll: async () => ({ origins: ['<all_urls>'], permissions: [] }),
    request: async () => true,
  });
});

// fakeBrowser's webRequest events are not implemented: the background's redirect reports
// (lib/redirect-watch.ts) are tested on their own, with the reports a browser would send.
beforeEach(() => {
  Object.assign(fakeBrowser.webRequest.onHeadersReceived, { addListener: () => undefined, removeListener: () => undefined });
});
