import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { onMessage } from '@/lib/messages';

/**
 * How far a Refresh has come, from the background's progress messages. Its own
 * component, so a message re-renders this line and not the rows.
 */
export function RefreshProgress({ total }: { total: number }) {
  const [progress, setProgress] = useState({ done: 0, total });
  useEffect(() => onMessage('progress', ({ data }) => setProgress(data)), []);
  const text = i18n.t('refreshing', [String(Math.min(progress.done + 1, progress.total)), String(progress.total)]);
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={text}
      aria-valuemin={0}
      aria-valuemax={progress.total}
      aria-valuenow={progress.done}
    >
      <span>{text}</span>
      <div class="bar">
        <div class="bar-fill" style={{ width: `${progress.total ? (progress.done / progress.total) * 100 : 0}%` }} />
      </div>
    </div>
  );
}
