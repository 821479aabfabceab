import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ImportPanel, type ImportTarget } from './ImportPanel';

interface Props {
  /** Where imports go (the options page passes its storage and background). */
  target: ImportTarget;
  onExport: (includeSecrets: boolean) => void;
  /** "Export encrypted" with this passphrase (automation.md §6); resolves when the file is written. */
  onExportEncrypted?: (passphrase: string) => Promise<void>;
}

/** Import (file input named "Import", paste box; shared/spec/automation.md §3) and export. */
export function ImportExport({ target, onExport, onExportEncrypted }: Props) {
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [encrypting, setEncrypting] = useState(false);
  return (
    <div class="import-export">
      <ImportPanel target={target} />
      <div class="inline">
        <button type="button" onClick={() => onExport(includeSecrets)}>
          {i18n.t('export')}
        </button>
        <label class="check">
          <input type="checkbox" checked={includeSecrets} onChange={(e) => setIncludeSecrets(e.currentTarget.checked)} />
          {i18n.t('includeSecrets')}
        </label>
      </div>
      {onExportEncrypted ? (
        <form
          class="export-encrypted"
          onSubmit={(e) => {
            e.preventDefault();
            setEncrypting(true);
            void onExportEncrypted(passphrase).finally(() => {
              setEncrypting(false);
              setPassphrase('');
            });
          }}
        >
          <label for="export-passphrase">{i18n.t('exportPassphrase')}</label>
          <input
            id="export-passphrase"
            type="password"
            autocomplete="new-password"
            value={passphrase}
            onInput={(e) => setPassphrase(e.currentTarget.value)}
          />
          <button type="submit" disabled={encrypting || !passphrase}>
            {i18n.t('exportEncrypted')}
          </button>
          <small>{i18n.t('exportEncryptedHint')}</small>
        </form>
      ) : null}
    </div>
  );
}
