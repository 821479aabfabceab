import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import type { Words } from '@/lib/alert-channels/compose';
import { type MessagesJson, messageGetter } from '@/lib/appearance';

/** One locale's messages as the background reads them from `_locales/…/messages.json`. */
export function wordsFor(locale: 'en' | 'zh_CN' | 'ja', timeZone = 'UTC'): Words {
  const parsed = parseMessagesText(readFileSync(resolve(process.cwd(), 'locales', `${locale}.yml`), 'utf8'), 'YAML');
  const messages: MessagesJson = {};
  for (const m of parsed) if ('message' in m) messages[m.key.join('_')] = { message: String(m.message) };
  return { t: messageGetter(messages), locale: locale.replace('_', '-'), timeZone };
}
