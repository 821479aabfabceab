import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import { describe, expect, it } from 'vitest';

const dir = resolve(process.cwd(), 'locales');
const read = (file: string) =>
  new Map(
    parseMessagesText(readFileSync(resolve(dir, file), 'utf8'), 'YAML').map((m) => [
      m.key.join('_'),
      'message' in m ? String(m.message) : '',
    ]),
  );
const placeholders = (text: string) => [...text.matchAll(/\$\d/g)].map((m) => m[0]).sort();
const english = read('en.yml');
const others = readdirSync(dir).filter((f) => f !== 'en.yml');

describe('translations', () => {
  it('exist for Chinese and Japanese', () => {
    expect(others.sort()).toEqual(['ja.yml', 'zh_CN.yml']);
  });

  it.each(others)('%s has every message, with the same placeholders', (file) => {
    const messages = read(file);
    expect([...messages.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of english)
      expect({ key, placeholders: placeholders(messages.get(key) ?? '') }).toEqual({ key, placeholders: placeholders(text) });
  });
});
