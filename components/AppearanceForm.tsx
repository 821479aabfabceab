import { i18n } from '#i18n';
import { type Appearance, LANGUAGES, type Language, THEMES, type Theme } from '@/lib/appearance';

const LANGUAGE_LABELS: Record<Language, () => string> = {
  browser: () => i18n.t('languageBrowser'),
  en: () => i18n.t('languageEn'),
  zh_CN: () => i18n.t('languageZh'),
  ja: () => i18n.t('languageJa'),
};
const THEME_LABELS: Record<Theme, () => string> = {
  system: () => i18n.t('themeSystem'),
  light: () => i18n.t('themeLight'),
  dark: () => i18n.t('themeDark'),
};

/** Language and theme for the popup and this page; each change is saved at once. */
export function AppearanceForm({ appearance, onChange }: { appearance: Appearance; onChange: (next: Appearance) => void }) {
  return (
    <div class="appearance">
      <label>
        <span>{i18n.t('languageLabel')}</span>
        <select value={appearance.language} onChange={(e) => onChange({ ...appearance, language: e.currentTarget.value as Language })}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l === 'browser' ? undefined : l.replace('_', '-')}>
              {LANGUAGE_LABELS[l]()}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{i18n.t('themeLabel')}</span>
        <select value={appearance.theme} onChange={(e) => onChange({ ...appearance, theme: e.currentTarget.value as Theme })}>
          {THEMES.map((t) => (
            <option key={t} value={t}>
              {THEME_LABELS[t]()}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
