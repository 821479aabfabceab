import { browser } from 'wxt/browser';
import { appearanceOf, type Language } from '@/lib/appearance';
import { appearanceItem } from '@/lib/appearance-item';
import { applyLanguage, type PageDeps } from '@/lib/page-setup';

/**
 * The language the person chose on the options page, for what the background writes: the
 * badge's tooltip and the notifications (the pages follow it through lib/page-setup.ts).
 * The worker's `getMessage` answers from the chosen locale's packaged messages; `chosenLocale()`
 * is the tag for its numbers and dates. Until the choice is read, the browser's language.
 */
let locale: string | null = null;
/** The choice being applied: what the worker writes waits for it (`languageSettled`). */
let applying: Promise<unknown> = Promise.resolve();

export const chosenLocale = (): string => locale ?? browser.i18n.getUILanguage();

/** Resolves once the last choice asked for is applied (at once when none was asked for). */
export const languageSettled = (): Promise<unknown> => applying;

/** Where the worker's messages come from; tests pass their own. */
export type LanguageDeps = Pick<PageDeps, 'i18n' | 'alsoPatch' | 'readJson'>;

const workerDeps = (): LanguageDeps => {
  const globals = globalThis as { chrome?: { i18n?: { getMessage: unknown } }; browser?: { i18n?: { getMessage: unknown } } };
  return {
    i18n: browser.i18n,
    alsoPatch: [globals.chrome?.i18n, globals.browser?.i18n].filter((x): x is { getMessage: unknown } => !!x),
    readJson: async (path) => (await fetch(browser.runtime.getURL(path as '/popup.html'))).json(),
  };
};

/** Applies a language choice to the worker (the stored one when not given). */
export function followChosenLanguage(chosen?: Language, deps: LanguageDeps = workerDeps()): Promise<string> {
  const next = (async () => {
    const language = chosen ?? appearanceOf(await appearanceItem.getValue().catch(() => null)).language;
    locale = await applyLanguage(language, deps);
    return locale;
  })();
  applying = next.catch(() => undefined);
  return next;
}
