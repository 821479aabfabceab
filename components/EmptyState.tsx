import { i18n } from '#i18n';

/** What the popup shows before any key is stored. */
export function EmptyState({ onAdd }: { onAdd: () => void }) {
  return (
    <div class="empty">
      <h2>{i18n.t('emptyTitle')}</h2>
      <p>{i18n.t('emptyBody')}</p>
      <button type="button" class="primary" onClick={onAdd}>
        {i18n.t('emptyAction')}
      </button>
    </div>
  );
}
