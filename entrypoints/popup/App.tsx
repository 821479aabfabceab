import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { EmptyState } from '@/components/EmptyState';
import { KeyRow } from '@/components/KeyRow';
import { onMessage, sendMessage } from '@/lib/messages';
import { rankKeys, withDefaults } from '@/lib/state';
import { keysItem, settingsItem, statusesItem } from '@/lib/storage';
import { useStored } from '@/lib/use-stored';

/** The toolbar popup: every key, worst first, rendered straight from storage. */
export function App({ locale }: { locale: string }) {
  const keys = useStored(keysItem);
  const statuses = useStored(statusesItem);
  const settings = useStored(settingsItem);
  const [now, setNow] = useState(Date.now());
  // Set while this popup's Refresh runs; the background reports each key's outcome.
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    // Keys whose reading is older than their interval are read now.
    void sendMessage('pollDue', undefined).catch(() => undefined);
    const stop = onMessage('progress', ({ data }) => setProgress((shown) => (shown ? data : shown)));
    return () => {
      clearInterval(timer);
      stop();
    };
  }, []);

  const views = useMemo(
    () => (keys && statuses && settings ? rankKeys(keys, statuses, withDefaults(settings), now) : null),
    [keys, statuses, settings, now],
  );

  const refresh = async () => {
    setProgress({ done: 0, total: keys?.length ?? 0 });
    try {
      await sendMessage('refresh', { ids: 'all' });
    } finally {
      setProgress(null);
      setNow(Date.now());
    }
  };

  const refreshing = progress !== null;

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
      {progress ? (
        <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done}>
          <span>{i18n.t('refreshing', [String(Math.min(progress.done + 1, progress.total)), String(progress.total)])}</span>
          <div class="bar">
            <div class="bar-fill" style={{ width: `${progress.total ? (progress.done / progress.total) * 100 : 0}%` }} />
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
