import { i18n } from '#i18n';
import type { KeyKind } from '../model';
import { manifestOf } from './manifests';

/**
 * A kind's name in the browser's language: its own locale message, or its brand in the
 * shared "$1 API key" template (with its secret prefix when it has one), so a new provider
 * needs no locale edits. Reads only the zod-free manifests.
 */
export function kindLabel(kind: KeyKind): string {
  if (kind === 'auto') return i18n.t('kindAuto');
  const { label, secretPrefix } = manifestOf(kind);
  if ('message' in label) return i18n.t(label.message);
  const locale = i18n.t('localeId');
  const brand = (locale === 'zh_CN' || locale === 'ja' ? label.localBrand?.[locale] : undefined) ?? label.brand;
  return secretPrefix ? i18n.t('kindApiKeyPrefixed', [brand, secretPrefix]) : i18n.t('kindApiKey', [brand]);
}
