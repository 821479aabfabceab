import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ConfirmButton } from '@/components/ConfirmButton';
import { downloadJson } from '@/lib/download';
import { sendMessage } from '@/lib/messages';
import { storedProblemsItem, unreadableKeys } from '@/lib/storage/items';
import { useStored } from '@/lib/storage/use-stored';

/**
 * What the options page offers for stored entries that cannot be read as keys (the
 * note above says they are kept): save them to a file as they are stored, or remove
 * them for good after one more question, which Escape or leaving cancels.
 */
export function UnreadableKeys() {
  const count = useStored(storedProblemsItem)?.keys ?? 0;
  const [asking, setAsking] = useState(false);
  const [said, setSaid] = useState('');
  // Where focus goes once the buttons are gone with what they removed.
  const saidRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (said) saidRef.current?.focus();
  }, [said]);

  const save = async () => downloadJson(JSON.stringify(await unreadableKeys(), null, 2), 'quota-glance-unreadable');

  const remove = async () => {
    setAsking(false);
    const result = await sendMessage('changeKeys', { type: 'dropUnreadable' }).catch((cause: unknown) => ({
      ok: false as const,
      message: String((cause as Error)?.message ?? cause),
    }));
    setSaid(result.ok ? i18n.t('unreadableKeysRemoved', count, [String(count)]) : i18n.t('storageFailed', [result.message]));
  };

  if (count === 0 && !said) return null;
  return (
    <div class="actions unreadable-keys">
      {count > 0 ? (
        <>
          <button type="button" onClick={() => void save()}>
            {i18n.t('unreadableKeysSave')}
          </button>
          {asking ? (
            <ConfirmButton
              label={i18n.t('unreadableKeysRemoveConfirm', count, [String(count)])}
              onCancel={() => setAsking(false)}
              onConfirm={() => void remove()}
            />
          ) : (
            <button type="button" onClick={() => setAsking(true)}>
              {i18n.t('unreadableKeysRemove')}
            </button>
          )}
        </>
      ) : null}
      <p role="status" tabIndex={-1} ref={saidRef}>
        {said}
      </p>
    </div>
  );
}
