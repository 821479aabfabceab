import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { EmptyState } from '@/components/EmptyState';
import { KeyRow } from '@/components/KeyRow';
import { StorageProblem } from '@/components/StorageProblem';
import { onMessage, sendMessage } from '@/lib/messages';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { rankKeys, type Settings, withDefaults } from '@/lib/state';
import { keysItem, settingsItem, statusesItem } from '@/lib/storage';
import { withTokenViews } from '@/lib/token-views';
import { useStored } from '@/lib/use-stored';

/** Rows rendered before the first paint; the rest follow a frame later, so the worst keys show at once. */
export const FIRST_SCREEN_ROWS = 30;

export interface PopupData {
  keys: KeyConfig[];
  statuses: Record<string, KeyStatus>;
  settings: Settings;
}

/** The toolbar popup: every key, worst first, rendered straight from storage. */
export function App({ locale, initial }: { locale: string; initial?: PopupData }) {
  const keys = useStored(keysItem, initial?.keys);
  const statuses = useStored(statusesItem, initial?.statuses);
  const settings = useStored(settingsItem, initial?.settings);
  const [now, setNow] = useState(Date.now());
  // Set while this popup's Refresh runs; the background reports each key's outcome.
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [rowLimit, setRowLimit] = useState(FIRST_SCREEN_ROWS);
  const [readingNow, setReadingNow] = useState<ReadonlySet<string>>(new Set());

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
    () =>
      keys && statuses && settings
        ? withTokenViews(rankKeys(keys, statuses, withDefaults(settings), now), withDefaults(settings), now)
        : null,
    [keys, statuses, settings, now],
  );

  useEffect(() => {
    if (!views || views.length <= rowLimit) return;
    const frame = requestAnimationFrame(() => setTimeout(() => setRowLimit(Number.POSITIVE_INFINITY)));
    return () => cancelAnimationFrame(frame);
  }, [views, rowLimit]);

  const refresh = async () => {
    setProgress({ done: 0, total: keys?.length ?? 0 });
    try {
      await sendMessage('refresh', { ids: 'all' });
    } finally {
      setProgress(null);
      setNow(Date.now());
    }
  };

  const readNow = async (id: string) => {
    setReadingNow((ids) => new Set(ids).add(id));
    try {
      await sendMessage('refresh', { ids: [id] });
    } finally {
      setReadingNow((ids) => {
        const next = new Set(ids);
        next.delete(id);
        return next;
      });
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
      <StorageProblem />
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
          {views.slice(0, rowLimit).map((view) => (
            <KeyRow
              key={view.key.id}
              keyConfig={view.key}
              parentLabel={view.parent?.label}
              status={view.status}
              state={view.state}
              expiringSoon={view.expiringSoon}
              now={now}
              locale={locale}
              reading={refreshing || readingNow.has(view.key.id)}
              onReadNow={() => void readNow(view.parent?.id ?? view.key.id)}
            />
          ))}
        </ul>
      )}
    </main>
  );
}
