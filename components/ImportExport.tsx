import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ImportPanel, type ImportTarget } from './ImportPanel';

interface Props {
  /** Where imports go (the options page passes its storage and background). */
  target: ImportTarget;
  onExport: (includeSecrets: boolean) => void;
}

/** Import (file input named "Import", paste box; shared/spec/automation.md §3) and export. */
export function ImportExport({ target, onExport }: Props) {
  const [includeSecrets, setIncludeSecrets] = useState(false);
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
    </div>
  );
}
