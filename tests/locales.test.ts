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

/** Every text of a file: each message, and each form of a plural one. */
const texts = (file: string) =>
  parseMessagesText(readFileSync(resolve(dir, file), 'utf8'), 'YAML').flatMap((m) =>
    'message' in m
      ? [[m.key.join('_'), String(m.message)]]
      : 'plurals' in m
        ? Object.values(m.plurals).map((t) => [m.key.join('_'), String(t)])
        : [],
  );

describe('the browser loads every message', () => {
  // Chrome reads "$name$" as a named placeholder and refuses to load the whole extension when it is not
  // declared (none are here): "$1$2" is one such ("$1$"), and once stopped the background from starting.
  it.each(['en.yml', ...others])('%s has no "$…$" (a named placeholder nothing declares)', (file) => {
    expect(texts(file).filter(([, text]) => /\$[A-Za-z0-9_@]+\$/.test(text ?? ''))).toEqual([]);
  });
});

describe('one word for each state (issue #19, item 1)', () => {
  // The headline and the badge's tooltip count keys by state; the chips, filters and notifications name the state.
  const pairs = [
    ['countExpired', 'stateExpired'],
    ['countOut', 'stateExhausted'],
    ['countRefused', 'stateInvalid'],
    ['countLow', 'stateLow'],
    ['countCapped', 'stateCapped'],
    ['countPending', 'statePending'],
    ['countUnreadable', 'stateError'],
    ['countOk', 'stateOk'],
  ] as const;
  it.each(['en.yml', ...others])('%s counts each state with the word its chip says', (file) => {
    const messages = read(file);
    // English counts "2 can't be read" where the chip says "Can't read": the same words, as a sentence has them.
    const words = (text: string) => text.toLowerCase().replace("can't be read", "can't read");
    for (const [count, state] of pairs)
      expect({ count, text: words(messages.get(count) ?? '') }).toEqual({
        count,
        text: expect.stringContaining(words(messages.get(state) ?? '?')),
      });
  });
});

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
