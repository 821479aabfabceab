import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ConfirmButton } from '@/components/ConfirmButton';
import { errorText } from '@/lib/error-text';

/** How removing the unreadable entries went: the page asks the background, the component says it. */
export type RemoveOutcome = { ok: true } | { ok: false; message: string };

interface Props {
  /** How many stored entries cannot be read as keys. */
  count: number;
  /** Save them to a file as they are stored. */
  onSave: () => void;
  /** Remove them for good (asked once more first); resolves with how it went. */
  onRemove: () => Promise<RemoveOutcome>;
}

/**
 * What the options page offers for stored entries that cannot be read as keys (the
 * note above says they are kept): save them to a file as they are stored, or remove
 * them for good after one more question, which Escape or leaving cancels. Props in,
 * events out: the page reads the count and does the saving and removing.
 */
export function UnreadableKeys({ count, onSave, onRemove }: Props) {
  const [asking, setAsking] = useState(false);
  const [said, setSaid] = useState('');
  // Where focus goes once the buttons are gone with what they removed.
  const saidRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (said) saidRef.current?.focus();
  }, [said]);

  const remove = async () => {
    setAsking(false);
    const removing = count;
    const result = await onRemove().catch((cause: unknown) => ({
      ok: false as const,
      message: errorText(cause),
    }));
    setSaid(result.ok ? i18n.t('unreadableKeysRemoved', removing, [String(removing)]) : i18n.t('storageFailed', [result.message]));
  };

  if (count === 0 && !said) return null;
  return (
    <div class="actions unreadable-keys">
      {count > 0 ? (
        <>
          <button type="button" onClick={onSave}>
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
