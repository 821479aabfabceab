import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { EmptyState } from '@/components/EmptyState';
import { KeyRow } from '@/components/KeyRow';
import { sendMessage } from '@/lib/messages';
import { rankKeys } from '@/lib/state';
import { keysItem, settingsItem, statusesItem } from '@/lib/storage';
import { useStored } from '@/lib/use-stored';

/** The toolbar popup: every key, worst first, rendered straight from storage. */
export function App({ locale }: { locale: string }) {
  const keys = useStored(keysItem);
  const statuses = useStored(statusesItem);
  const settings = useStored(settingsItem);
  const [now, setNow] = useState(Date.now());
  const [refreshStartedAt, setRefreshStartedAt] = useState<number | null>(null);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    // Keys whose reading is older than their interval are read now.
    void sendMessage('pollDue', undefined).catch(() => undefined);
    return () => clearInterval(timer);
  }, []);

  const views = useMemo(
    () => (keys && statuses && settings ? rankKeys(keys, statuses, settings, now) : null),
    [keys, statuses, settings, now],
  );

  const refresh = async () => {
    const started = Date.now();
    setRefreshStartedAt(started);
    try {
      await sendMessage('refresh', { ids: 'all' });
    } finally {
      setRefreshStartedAt(null);
      setNow(Date.now());
    }
  };

  const done =
    refreshStartedAt === null || !keys || !statuses ? 0 : keys.filter((k) => (statuses[k.id]?.attemptedAt ?? 0) >= refreshStartedAt).length;
  const refreshing = refreshStartedAt !== null;

  return (
    <main class="popup" data-refreshing={refreshing ? '' : undefined} aria-busy={refreshing}>
      <header>
        <h1>{i18n.t('extName')}</h1>
        <button type="button" class="icon" onClick={() => void browser.runtime.openOptionsPage()} title={i18n.t('openOptions')}>
          {i18n.t('openOptions')}
        </button>
        <button type="button" class="primary" onClick={() => void refresh()} disabled={refreshing || !keys?.length}>
          {i18n.t('refresh')}
        </button>
      </header>
      {refreshing && keys ? (
        <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={keys.length} aria-valuenow={done}>
          <span>{i18n.t('refreshing', [String(Math.min(done + 1, keys.length)), String(keys.length)])}</span>
          <div class="bar">
            <div class="bar-fill" style={{ width: `${keys.length ? (done / keys.length) * 100 : 0}%` }} />
          </div>
        </div>
      ) : null}
      {views === null ? null : views.length === 0 ? (
        <EmptyState onAdd={() => void browser.runtime.openOptionsPage()} />
      ) : (
        <ul class="rows">
          {views.map((view) => (
            <KeyRow key={view.key.id} keyConfig={view.key} status={view.status} state={view.state} now={now} locale={locale} />
          ))}
        </ul>
      )}
    </main>
  );
}
