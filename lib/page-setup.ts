import { type Appearance, type Language, localeTag, type MessagesJson, messageGetter } from './appearance';

/** What a page needs to apply a language choice: its `i18n` API and a way to read a packaged file. */
export interface PageDeps {
  i18n: { getUILanguage(): string; getMessage(key: string, subs?: string | string[]): string };
  /** Other `i18n` objects to patch the same way (the polyfill's and the browser's own). */
  alsoPatch?: { getMessage: unknown }[];
  readJson: (path: string) => Promise<unknown>;
  root: HTMLElement;
}

/** Stand-ins for `$1`…`$9`, from Unicode's private use area: no message contains them. */
const MARKS = Array.from({ length: 9 }, (_, i) => String.fromCharCode(0xe000 + i));
const MARKED = new RegExp(`[${MARKS.join('')}]`, 'g');

/**
 * A message getter that asks the browser once per message: each call to its
 * `getMessage` crosses into the extension bindings, and 500 rows ask for their state's
 * label and expiry 500 times (about 20 ms of the 500-key popup's first frame; issue #9).
 * A message with substitutions is asked once with stand-ins, which are then replaced
 * here as the browser would: each `$n` by the n-th substitution, or nothing.
 */
function remembered(getMessage: (key: string, subs?: string | string[]) => string) {
  const plain = new Map<string, string>();
  const templates = new Map<string, string>();
  return (key: string, subs?: string | string[]): string => {
    if (subs === undefined) {
      let text = plain.get(key);
      if (text === undefined) {
        text = getMessage(key);
        plain.set(key, text);
      }
      return text;
    }
    let template = templates.get(key);
    if (template === undefined) {
      template = getMessage(key, MARKS);
      templates.set(key, template);
    }
    const list = Array.isArray(subs) ? subs : [subs];
    return template.replace(MARKED, (mark) => list[mark.charCodeAt(0) - 0xe000] ?? '');
  };
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
  const locale = await applyLanguage(appearance.language, deps);
  deps.root.lang = locale;
  return locale;
}

/** Each patched `i18n` object's own `getMessage`, so a later choice starts again from the browser's. */
const ORIGINAL = new WeakMap<object, (key: string, subs?: string | string[]) => string>();

/**
 * Makes `getMessage` answer in a chosen language (or the browser's again), for a page or
 * the background's worker (its badge and notifications), and returns the locale tag for
 * numbers and dates. A locale file that cannot be read leaves the browser's language.
 */
export async function applyLanguage(chosen: Language, deps: Omit<PageDeps, 'root'>): Promise<string> {
  const browserLocale = deps.i18n.getUILanguage();
  let language: Language = chosen;
  const own = ORIGINAL.get(deps.i18n) ?? deps.i18n.getMessage.bind(deps.i18n);
  ORIGINAL.set(deps.i18n, own);
  const browserGetMessage = own;
  let getMessage: (key: string, subs?: string | string[]) => string = browserGetMessage;
  if (language !== 'browser') {
    try {
      getMessage = messageGetter((await deps.readJson(`/_locales/${language}/messages.json`)) as MessagesJson);
    } catch {
      language = 'browser';
    }
  }
  const answer = remembered(getMessage);
  for (const target of [deps.i18n, ...(deps.alsoPatch ?? [])]) {
    try {
      Object.defineProperty(target, 'getMessage', { value: answer, configurable: true, writable: true });
    } catch {
      try {
        (target as { getMessage: unknown }).getMessage = answer;
      } catch {
        // A browser that will not let the page answer for its i18n keeps asking it each time.
      }
    }
  }
  return localeTag(language, browserLocale);
}

/** The page's `browser` as far as `applyPageAppearance` uses it. */
interface PageBrowser {
  i18n: PageDeps['i18n'];
  runtime: { getURL(path: string): string };
}

/**
 * `applyAppearance` for an extension page, with the page's own `browser`, `chrome` and document.
 * (The parameter is not called `browser`: WXT's auto-imports go by names, not scopes, and
 * would import the webextension polyfill here, into the popup.)
 */
export function applyPageAppearance(appearance: Appearance, api: PageBrowser): Promise<string> {
  const globals = globalThis as { chrome?: { i18n?: { getMessage: unknown } }; browser?: { i18n?: { getMessage: unknown } } };
  return applyAppearance(appearance, {
    i18n: api.i18n,
    alsoPatch: [globals.chrome?.i18n, globals.browser?.i18n].filter((x): x is { getMessage: unknown } => !!x),
    readJson: async (path) => (await fetch(api.runtime.getURL(path))).json(),
    root: document.documentElement,
  });
}
