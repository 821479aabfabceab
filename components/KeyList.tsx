import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { maskSecret } from '@/lib/backup';
import type { KeyConfig, KeyState } from '@/lib/model';
import { kindLabel } from '@/lib/providers/labels';
import { displaySite } from '@/lib/site';
import { StateChip } from './StateChip';

interface Props {
  keys: readonly { key: KeyConfig; state: KeyState; summary: string }[];
  onEdit: (key: KeyConfig) => void;
  onDelete: (key: KeyConfig) => void;
  onUnsnooze: (key: KeyConfig) => void;
  now: number;
  locale: string;
}

/** The stored keys on the options page, secrets masked. */
export function KeyList({ keys, onEdit, onDelete, onUnsnooze, now, locale }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (keys.length === 0) return <p class="hint">{i18n.t('noKeys')}</p>;
  return (
    <ul class="key-list">
      {keys.map(({ key, state, summary }) => (
        <li key={key.id} data-key-id={key.id}>
          <div class="key-main">
            <strong>{key.label}</strong> <StateChip state={state} />
            <div class="hint">
              {displaySite(key.baseUrl)} · {kindLabel(key.kind)} · <code>{maskSecret(key.secret)}</code>
              {key.userId !== undefined ? ` · #${key.userId}` : ''}
            </div>
            <div class="hint">{summary}</div>
            {key.snoozedUntil && key.snoozedUntil > now ? (
              <div class="hint">
                {i18n.t('snoozedUntil', [new Date(key.snoozedUntil).toLocaleString(locale)])}{' '}
                <button type="button" onClick={() => onUnsnooze(key)}>
                  {i18n.t('unsnooze')}
                </button>
              </div>
            ) : null}
          </div>
          <div class="actions">
            <button type="button" onClick={() => onEdit(key)} aria-label={`${i18n.t('edit')} ${key.label}`}>
              {i18n.t('edit')}
            </button>
            {confirming === key.id ? (
              <button type="button" class="danger" onClick={() => onDelete(key)}>
                {i18n.t('confirmDelete')}
              </button>
            ) : (
              <button type="button" onClick={() => setConfirming(key.id)} aria-label={`${i18n.t('delete')} ${key.label}`}>
                {i18n.t('delete')}
              </button>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
