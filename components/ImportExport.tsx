import { useState } from 'preact/hooks';
import { i18n } from '#i18n';

interface Props {
  onImport: (text: string) => void;
  onExport: (includeSecrets: boolean) => void;
  message: { kind: 'ok' | 'problem'; lines: string[] } | null;
}

/** The backup file input (accessible name "Import", shared/spec/automation.md §3) and export. */
export function ImportExport({ onImport, onExport, message }: Props) {
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const choose = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    onImport(await file.text());
    input.value = '';
  };
  return (
    <div class="import-export">
      <div>
        <label for="import-file" class="file-label">
          {i18n.t('import')}
        </label>
        <input id="import-file" type="file" accept=".json,application/json" onChange={choose} />
        <small>{i18n.t('importHint')}</small>
      </div>
      <div class="inline">
        <button type="button" onClick={() => onExport(includeSecrets)}>
          {i18n.t('export')}
        </button>
        <label class="check">
          <input type="checkbox" checked={includeSecrets} onChange={(e) => setIncludeSecrets(e.currentTarget.checked)} />
          {i18n.t('includeSecrets')}
        </label>
      </div>
      {message ? (
        <div class={message.kind === 'ok' ? 'notice' : 'problem-box'} role={message.kind === 'ok' ? 'status' : 'alert'}>
          {message.lines.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
