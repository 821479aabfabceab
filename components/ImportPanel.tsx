import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { MAX_IMPORT_BYTES, maskSecret, mergeImport } from '@/lib/backup';
import { errorText } from '@/lib/error-text';
import { type Analysis, analyseImport, unlockImport } from '@/lib/imports/detect';
import type { Envelope } from '@/lib/imports/envelope';
import { type ExtrasMerge, mergeExtras, type StoredExtras } from '@/lib/imports/extras';
import { type LabelNote, previewRows } from '@/lib/imports/preview';
import { twoSentences } from '@/lib/labels';
import type { KeyConfig } from '@/lib/model';
import { isPlainHttp } from '@/lib/plain-http';
import type { AttentionCounts } from '@/lib/popup-view';
import { kindLabel } from '@/lib/providers/labels';
import { displaySite } from '@/lib/site';
import { VAULT_TYPE, type VaultEnvelope } from '@/lib/sync/vault';
import {
  extrasLines,
  fileProblemMessage,
  firstOf,
  type ImportMessage,
  mergeProblemText,
  readCountsText,
  SHOWN_PROBLEMS,
  skippedLine,
} from './import-text';

/** Where imported keys go: the stored list, and the background that reads them. */
export interface ImportTarget {
  readKeys(): Promise<KeyConfig[]>;
  writeKeys(keys: KeyConfig[]): Promise<void>;
  /** Asks the background to read these keys now; resolves, once they are read, with how many are in each state. */
  refresh(ids: string[]): Promise<AttentionCounts>;
  /** Settings and alert channels as stored, for a version 3 file (automation.md §3.4); a target without them imports keys only. */
  readExtras?(): Promise<StoredExtras>;
  writeExtras?(extras: StoredExtras): Promise<void>;
}

/** What Undo puts back: the key list, and the settings and channels when the import changed them. */
interface UndoState {
  keys: KeyConfig[];
  extras: StoredExtras | null;
}

type Ready = Extract<Analysis, { status: 'ready' }>;

/** How many preview rows the paste box lists before a count. */
const PREVIEW_ROWS = 50;

/** The warning for imported keys whose site is plain http:// (not loopback), naming those sites; null when none. */
function plainHttpLine(keys: readonly { baseUrl: string }[]): string | null {
  const sites = [...new Set(keys.filter((k) => isPlainHttp(k.baseUrl)).map((k) => displaySite(k.baseUrl)))];
  return sites.length ? i18n.t('previewPlainHttp', [sites.join(i18n.t('listSeparator'))]) : null;
}

/** Why a preview row's label is not the line's own, in words. */
function labelNoteText(note: LabelNote): string {
  switch (note.note) {
    case 'from-site':
      return i18n.t('previewLabelFromSite');
    case 'kept':
      return i18n.t('previewLabelKept');
    case 'renames':
      return i18n.t('previewLabelRenames', [note.was]);
    case 'taken':
      return i18n.t('previewLabelTaken');
  }
}

/** A preview row's label, in bold, and its notes in the language's brackets: "name (renamed from “old”)". */
function LabelWithNotes({ label, notes }: { label: string; notes: readonly LabelNote[] }) {
  const strong = <strong data-preview-label>{label}</strong>;
  if (!notes.length) return strong;
  // The message places the label: split around a private-use mark put in its place.
  const [before = '', after = ''] = i18n
    .t('previewLabelNoted', ['\uE000', notes.map(labelNoteText).join(i18n.t('listSeparator'))])
    .split('\uE000');
  return (
    <>
      {before}
      {strong}
      {after}
    </>
  );
}

function MessageBox({ message, onUndo }: { message: ImportMessage; onUndo?: () => void }) {
  return (
    <div class={message.kind === 'ok' ? 'notice' : 'problem-box'} role={message.kind === 'ok' ? 'status' : 'alert'}>
      <div>{message.headline}</div>
      {message.lines.map((line, i) => (
        <div key={i}>{line}</div>
      ))}
      {message.more > 0 ? <div>{i18n.t('importMore', [message.more.toLocaleString()])}</div> : null}
      {onUndo ? (
        <button type="button" onClick={onUndo}>
          {i18n.t('importUndo')}
        </button>
      ) : null}
    </div>
  );
}

/**
 * The import part of the options page: the Import file input (automation.md §3, §3.2),
 * the password prompt for encrypted All API Hub copies, the paste box with its
 * preview, and the result with Undo. Imports merge and then ask for a read.
 */
export function ImportPanel({ target }: { target: ImportTarget }) {
  const [message, setMessage] = useState<ImportMessage | null>(null);
  /** Counts the messages shown, so a late answer never replaces a newer message (an Undo, another import). */
  const shown = useRef(0);
  const show = (next: ImportMessage | null) => {
    shown.current++;
    setMessage(next);
  };
  const [undo, setUndo] = useState<UndoState | null>(null);
  const [locked, setLocked] = useState<Envelope | VaultEnvelope | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [paste, setPaste] = useState('');
  const [stored, setStored] = useState<KeyConfig[]>([]);

  const pasted = useMemo(() => (paste.trim() ? analyseImport(paste) : null), [paste]);
  useEffect(() => {
    if (pasted?.status === 'ready') void target.readKeys().then(setStored);
    if (pasted?.status === 'password') setLocked(pasted.envelope);
  }, [pasted, target]);

  /** Merges and stores; true when the keys were stored (or there was nothing new to store). */
  const commit = async (analysis: Ready): Promise<boolean> => {
    const before = await target.readKeys();
    const merged = mergeImport(before, analysis.keys, Date.now(), () => crypto.randomUUID());
    if (!merged.ok) {
      setUndo(null);
      show({ kind: 'problem', headline: i18n.t('importFailed'), ...firstOf(merged.problems.map(mergeProblemText)) });
      return false;
    }
    // A version 3 file's settings and channels (automation.md §3.4), when the target keeps them.
    const found = analysis.extras;
    const storedExtras = found && target.readExtras && target.writeExtras ? await target.readExtras() : null;
    const extras: ExtrasMerge | null = found && storedExtras ? mergeExtras(storedExtras, found) : null;
    const extrasChanged = !!extras && (extras.settings || extras.channels.added + extras.channels.updated > 0);
    const ids = [...merged.added, ...merged.updated];
    const failedToStore = (error: unknown) => {
      setUndo(null);
      show({
        kind: 'problem',
        headline: i18n.t('importStoreFailed', [errorText(error)]),
        lines: [],
        more: 0,
      });
      return false;
    };
    // Settings and channels first: should the keys then fail to be stored, they are put back.
    if (extras && storedExtras && extrasChanged) {
      try {
        await target.writeExtras?.(extras.extras);
      } catch (error) {
        return failedToStore(error);
      }
    }
    if (ids.length) {
      try {
        await target.writeKeys(merged.keys);
      } catch (error) {
        if (storedExtras && extrasChanged) await target.writeExtras?.(storedExtras).catch(() => undefined);
        return failedToStore(error);
      }
    }
    const skipped = firstOf(analysis.skipped.map(skippedLine));
    const plainHttp = plainHttpLine(analysis.keys);
    const lines = [
      ...(analysis.newer ? [i18n.t('importNewer')] : []),
      ...(plainHttp ? [plainHttp] : []),
      ...(extras && found ? extrasLines(extras, found.unknownChannels) : []),
      ...(analysis.skipped.length ? [i18n.t('importSkippedHeading', [analysis.skipped.length.toLocaleString()]), ...skipped.lines] : []),
    ];
    const counted = [String(ids.length), String(merged.added.length), String(merged.updated.length)] as const;
    const done = { kind: 'ok', lines, more: skipped.more } as const;
    show({
      ...done,
      headline: ids.length
        ? i18n.t('importDone', ids.length, [...counted])
        : extrasChanged
          ? i18n.t('importNoKeysButMore')
          : i18n.t('importNothing'),
    });
    setUndo(ids.length || extrasChanged ? { keys: before, extras: extrasChanged ? storedExtras : null } : null);
    if (!ids.length) return true;
    // "Reading them now…" gives way to what the reads found. The background reads on its own
    // schedule too, so a page that cannot reach it loses nothing, and says so.
    const asked = shown.current;
    const counts = await target.refresh(ids).catch(() => null);
    if (shown.current !== asked) return true;
    setMessage({
      ...done,
      headline: counts
        ? i18n.t('importDoneRead', ids.length, [...counted, readCountsText(counts)])
        : i18n.t('importDoneLater', ids.length, [...counted]),
    });
    return true;
  };

  const route = async (analysis: Analysis) => {
    if (analysis.status === 'password') {
      show(null);
      return setLocked(analysis.envelope);
    }
    setLocked(null);
    if (analysis.status === 'failed') {
      setUndo(null);
      return show(fileProblemMessage(analysis));
    }
    await commit(analysis);
  };

  const choose = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    input.value = '';
    if (file.size > MAX_IMPORT_BYTES) return route({ status: 'failed', problem: 'too-large', details: [] });
    await route(analyseImport(await file.text()));
  };

  const unlock = async (event: Event) => {
    event.preventDefault();
    if (!locked) return;
    setBusy(true);
    const analysis = await unlockImport(locked, password);
    setBusy(false);
    // Said once: a vault's passphrase in the words sync uses, without the decryption's own message after it.
    if (analysis.status === 'failed' && analysis.problem === 'wrong-password')
      return show({
        kind: 'problem',
        headline: locked.type === VAULT_TYPE ? i18n.t('syncErrWrongPassphrase') : i18n.t('importWrongPassword'),
        lines: [],
        more: 0,
      });
    setPassword('');
    if (pasted?.status === 'password') setPaste('');
    await route(analysis);
  };

  const undoImport = async () => {
    if (!undo) return;
    try {
      await target.writeKeys(undo.keys);
      if (undo.extras) await target.writeExtras?.(undo.extras);
    } catch (error) {
      return show({
        kind: 'problem',
        headline: i18n.t('importStoreFailed', [errorText(error)]),
        lines: [],
        more: 0,
      });
    }
    setUndo(null);
    show({ kind: 'ok', headline: i18n.t(undo.extras ? 'importUndoneAll' : 'importUndone'), lines: [], more: 0 });
  };

  const rows = pasted?.status === 'ready' ? previewRows(stored, pasted.keys) : [];
  const pastedPlainHttp = pasted?.status === 'ready' ? plainHttpLine(pasted.keys) : null;
  const actionText = { new: i18n.t('previewNew'), update: i18n.t('previewUpdate'), repeat: i18n.t('previewRepeat') };

  return (
    <div class="import-panel">
      <div>
        <label for="import-file" class="file-label">
          {i18n.t('import')}
        </label>
        <input id="import-file" type="file" accept=".json,.txt,.text,.csv,application/json,text/plain" onChange={choose} />
        <small>{twoSentences(i18n.t('importHint'), i18n.t('importSources'))}</small>
      </div>
      {locked ? (
        <form class="inline" onSubmit={unlock}>
          <label>
            {i18n.t(locked.type === VAULT_TYPE ? 'importVaultPassphraseLabel' : 'importPasswordLabel')}
            <input type="password" autocomplete="off" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy || !password.trim()}>
            {busy ? i18n.t('importDecrypting') : i18n.t('importDecrypt')}
          </button>
          <button type="button" onClick={() => setLocked(null)}>
            {i18n.t('cancel')}
          </button>
          <small>{i18n.t('importPasswordHint')}</small>
        </form>
      ) : null}
      {message ? <MessageBox message={message} onUndo={undo ? () => void undoImport() : undefined} /> : null}
      <div class="paste-box">
        <label>
          {i18n.t('pasteLabel')}
          <textarea rows={4} spellcheck={false} autocomplete="off" value={paste} onInput={(e) => setPaste(e.currentTarget.value)} />
        </label>
        <small>{i18n.t('pasteHint')}</small>
        <div aria-live="polite">
          {pasted?.status === 'failed' ? (
            <div class="problem-box">
              <div>{fileProblemMessage(pasted).headline}</div>
              {firstOf(pasted.details).lines.map((line, i) => (
                <div key={i}>{line}</div>
              ))}
            </div>
          ) : null}
          {pasted?.status === 'ready' ? (
            <div class="preview" data-import-preview>
              <div>{i18n.t('previewHeading', pasted.keys.length, [String(pasted.keys.length)])}</div>
              {pastedPlainHttp ? (
                <div class="problem" data-plain-http>
                  {pastedPlainHttp}
                </div>
              ) : null}
              <ul>
                {pasted.keys.slice(0, PREVIEW_ROWS).map((key, i) => {
                  const row = rows[i];
                  // The label the key will keep, and why when it is not the line's own; the kind as the Kind list names it.
                  return (
                    <li key={i} data-preview-action={row?.action}>
                      <LabelWithNotes label={row?.label ?? key.label} notes={row?.notes ?? []} /> · {displaySite(key.baseUrl)} ·{' '}
                      {kindLabel(key.kind)} · <code>{maskSecret(key.secret)}</code> · {row ? actionText[row.action] : ''}
                    </li>
                  );
                })}
              </ul>
              {pasted.keys.length > PREVIEW_ROWS ? (
                <div>{i18n.t('importMore', [(pasted.keys.length - PREVIEW_ROWS).toLocaleString()])}</div>
              ) : null}
              {pasted.skipped.length ? (
                <div>
                  <div>{i18n.t('importSkippedHeading', [pasted.skipped.length.toLocaleString()])}</div>
                  {pasted.skipped.slice(0, SHOWN_PROBLEMS).map((item, i) => (
                    <div key={i}>{skippedLine(item)}</div>
                  ))}
                  {pasted.skipped.length > SHOWN_PROBLEMS ? (
                    <div>{i18n.t('importMore', [(pasted.skipped.length - SHOWN_PROBLEMS).toLocaleString()])}</div>
                  ) : null}
                </div>
              ) : null}
              <button
                type="button"
                disabled={!pasted.keys.length}
                onClick={() => {
                  void commit(pasted).then((stored) => stored && setPaste(''));
                }}
              >
                {i18n.t('importPasted')}
              </button>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
