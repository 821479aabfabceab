/** Languages a person can choose; `browser` follows the browser's language. */
export const LANGUAGES = ['browser', 'en', 'zh_CN', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Colour themes; `system` follows the operating system. */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** The popup's sort orders; `urgency` (worst first) is the default. */
export const SORTS = ['urgency', 'name', 'remaining', 'expiry'] as const;
export type Sort = (typeof SORTS)[number];

/** How the pages look: language, theme, and the popup's sort and grouping. */
export interface Appearance {
  language: Language;
  theme: Theme;
  sort: Sort;
  groupBySite: boolean;
}

export const DEFAULT_APPEARANCE: Appearance = { language: 'browser', theme: 'system', sort: 'urgency', groupBySite: false };

/** A stored value completed with defaults, unknown values dropped (hand-edited storage). */
export function appearanceOf(stored: Partial<Appearance> | null | undefined): Appearance {
  const value = { ...DEFAULT_APPEARANCE, ...stored };
  return {
    language: LANGUAGES.includes(value.language) ? value.language : 'browser',
    theme: THEMES.includes(value.theme) ? value.theme : 'system',
    sort: SORTS.includes(value.sort) ? value.sort : 'urgency',
    groupBySite: value.groupBySite === true,
  };
}

/** The BCP 47 tag for formatting numbers and dates in a chosen language. */
export function localeTag(language: Language, browserLocale: string): string {
  return language === 'browser' ? browserLocale : language.replace('_', '-');
}

/** A `messages.json` as the browser reads it. */
export type MessagesJson = Record<string, { message: string }>;

/**
 * A `getMessage` answering from one locale's messages, with `$1`… substitutions
 * as the browser does them (and `$$` for a dollar sign).
 */
export function messageGetter(messages: MessagesJson): (key: string, subs?: string | string[]) => string {
  const lower = new Map(Object.entries(messages).map(([k, v]) => [k.toLowerCase(), v.message]));
  return (key, subs) => {
    const list = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
    const text = lower.get(key.toLowerCase()) ?? '';
    return text.replace(/\$(\$|\d)/g, (_, n: string) => (n === '$' ? '$' : (list[Number(n) - 1] ?? '')));
  };
}
