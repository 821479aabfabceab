import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import { fakeBrowser } from 'wxt/testing/fake-browser';

/** The English answers tests/setup.ts installs. */
const english = fakeBrowser.i18n.getMessage;

/** The page in another language: the browser answers from that locale's file (`zh_CN.yml`, `ja.yml`) until `speakEnglish`. */
export function speak(file: string) {
  const messages = new Map(
    parseMessagesText(readFileSync(resolve(process.cwd(), 'locales', file), 'utf8'), 'YAML').map((m) => [
      m.key.join('_'),
      'message' in m ? String(m.message) : 'plurals' in m ? String(Object.values(m.plurals).at(-1)) : '',
    ]),
  );
  fakeBrowser.i18n.getMessage = ((key: string, subs?: string | string[]) => {
    const list = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
    return (messages.get(key) ?? '').replace(/\$(\d)/g, (_, n: string) => list[Number(n) - 1] ?? '');
  }) as typeof english;
}

/** Back to English (call after each test that spoke another language). */
export function speakEnglish() {
  fakeBrowser.i18n.getMessage = english;
}
