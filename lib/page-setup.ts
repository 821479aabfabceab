import { type Appearance, type Language, localeTag, type MessagesJson, messageGetter } from './appearance';

/** What a page needs to apply a language choice: its `i18n` API and a way to read a packaged file. */
export interface PageDeps {
  i18n: { getUILanguage(): string; getMessage(key: string, subs?: string | string[]): string };
  /** Other `i18n` objects to patch the same way (the polyfill's and the browser's own). */
  alsoPatch?: { getMessage: unknown }[];
  readJson: (path: string) => Promise<unknown>;
  root: HTMLElement;
}

/**
 * Applies a language and theme choice to a page before it renders: `data-theme` on the
 * root, `lang`, and, for a chosen language, `getMessage` answering from that locale's
 * packaged `messages.json` (so `i18n.t` needs no change). Returns the locale tag for
 * numbers and dates. A locale file that cannot be read leaves the browser's language.
 */
export async function applyAppearance(appearance: Appearance, deps: PageDeps): Promise<string> {
  if (appearance.theme === 'system') delete deps.root.dataset.theme;
  else deps.root.dataset.theme = appearance.theme;
  const browserLocale = deps.i18n.getUILanguage();
  let language: Language = appearance.language;
  if (language !== 'browser') {
    try {
      const messages = (await deps.readJson(`/_locales/${language}/messages.json`)) as MessagesJson;
      const getMessage = messageGetter(messages);
      for (const target of [deps.i18n, ...(deps.alsoPatch ?? [])]) {
        try {
          Object.defineProperty(target, 'getMessage', { value: getMessage, configurable: true, writable: true });
        } catch {
          try {
            (target as { getMessage: unknown }).getMessage = getMessage;
          } catch {
            // A browser that will not let the page answer for its i18n keeps the browser's language.
          }
        }
      }
    } catch {
      language = 'browser';
    }
  }
  const locale = localeTag(language, browserLocale);
  deps.root.lang = locale;
  return locale;
}

/** The page's `browser` as far as `applyPageAppearance` uses it. */
interface PageBrowser {
  i18n: PageDeps['i18n'];
  runtime: { getURL(path: string): string };
}

/** `applyAppearance` for an extension page, with the page's own `browser`, `chrome` and document. */
export function applyPageAppearance(appearance: Appearance, browser: PageBrowser): Promise<string> {
  const globals = globalThis as { chrome?: { i18n?: { getMessage: unknown } }; browser?: { i18n?: { getMessage: unknown } } };
  return applyAppearance(appearance, {
    i18n: browser.i18n,
    alsoPatch: [globals.chrome?.i18n, globals.browser?.i18n].filter((x): x is { getMessage: unknown } => !!x),
    readJson: async (path) => (await fetch(browser.runtime.getURL(path))).json(),
    root: document.documentElement,
  });
}
