import { useEffect, useRef } from 'preact/hooks';
import { i18n } from '#i18n';

interface Props {
  /** What the site said, for example "Refused: the site does not accept this key (HTTP 401: Invalid token)". */
  detail: string;
  onSaveAnyway: () => void;
  /** "Keep editing" or Escape: back to the form, nothing stored. */
  onKeepEditing: () => void;
}

/**
 * Asked in place of a Save whose credential the site refused (issue #9, item 3): store it
 * anyway, or go back to the form. Focus moves to the question as it appears.
 */
export function RefusedQuestion({ detail, onSaveAnyway, onKeepEditing }: Props) {
  const box = useRef<HTMLFieldSetElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <fieldset
      ref={box}
      class="problem-box"
      aria-describedby="refused-detail"
      tabIndex={-1}
      data-refused-question
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        onKeepEditing();
      }}
    >
      <legend>
        <strong>{i18n.t('refusedSaveQuestion')}</strong>
      </legend>
      <p id="refused-detail">{detail}</p>
      <div class="actions">
        <button type="button" class="danger" onClick={onSaveAnyway}>
          {i18n.t('saveAnyway')}
        </button>
        <button type="button" class="primary" onClick={onKeepEditing}>
          {i18n.t('keepEditing')}
        </button>
      </div>
    </fieldset>
  );
}
