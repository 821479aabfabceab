import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { AppearanceForm } from '@/components/AppearanceForm';
import { ConfirmButton } from '@/components/ConfirmButton';
import { ImportExport } from '@/components/ImportExport';
import { type DetectedKind, type KeyDraft, KeyForm } from '@/components/KeyForm';
import { focusKeyButton, KeyList } from '@/components/KeyList';
import { RefusedQuestion } from '@/components/RefusedQuestion';
import { SettingsForm } from '@/components/SettingsForm';
import { StorageProblem } from '@/components/StorageProblem';
import { type Appearance, appearanceOf } from '@/lib/appearance';
import { appearanceItem } from '@/lib/appearance-item';
import { buildBackup, MAX_STORED_KEYS } from '@/lib/backup';
import { downloadJson } from '@/lib/download';
import type { ProbeResult } from '@/lib/engine';
import { errorText } from '@/lib/error-text';
import { isStopped } from '@/lib/http';
import { readsAlike, type SaveRefusal, saveChange, saveRefusal } from '@/lib/key-save';
import { sendMessage } from '@/lib/messages';
import { emptyStatus, type KeyConfig, type ReadOutcome } from '@/lib/model';
import { displaySite, permissionPattern } from '@/lib/site';
import { DEFAULT_SETTINGS, keyState } from '@/lib/state';
import { keysItem, settingsItem, statusesItem, storageProblemItem, storedProblemsItem } from '@/lib/storage/items';
import type { KeyChange } from '@/lib/storage/keys';
import { useStored } from '@/lib/storage/use-stored';
import { BulkFlags, listedKeys, setFlag } from './attention-list';
import { ChannelsSection, channelsHeading } from './channels-section';
import { downloadEncrypted } from './export-encrypted';
import { backupExtras, optionsImportTarget } from './import-flow';
import { useBrowse, useEditLink } from './key-browse';
import { SyncPanel } from './SyncPanel';
import { outcomeSummary, refusalDetail, resultSummary } from './summary';
import { UnreadableKeysSection } from './unreadable';

/**
 * Changes the stored key list through the background, its one writer (issue #7,
 * item 11): a snooze set from a notification meanwhile is never written over.
 */
async function changeKeys(change: KeyChange): Promise<void> {
  const result = await sendMessage('changeKeys', change);
  if (!result.ok) throw new Error(result.message);
}

/** What the page says when there are as many keys as can be kept. */
const keyLimitText = () => i18n.t('keyLimitReached', [MAX_STORED_KEYS.toLocaleString()]);

/** Whether a read says the site refused the credential: the key would show as `invalid` (automation.md §4). */
function isRefused(key: KeyConfig, outcome: ReadOutcome): boolean {
  if (outcome.ok) return false;
  const now = Date.now();
  const status = { ...emptyStatus(), reading: outcome.reading ?? null, error: { ...outcome.error, at: now } };
  return keyState(key, status, DEFAULT_SETTINGS, now) === 'invalid';
}

/** Whether the person stopped this read before the site answered. */
const wasStopped = (outcome: ReadOutcome) => !outcome.ok && isStopped(outcome.error);

/** The options page: add, test, edit, delete, import and export keys; global settings. */
export function App({ locale }: { locale: string }) {
  const keys = useStored(keysItem);
  const statuses = useStored(statusesItem);
  // With their defaults (lib/storage/items.ts `settingsItem`); the defaults until first read, but the form waits for them.
  const storedSettings = useStored(settingsItem);
  const settings = storedSettings ?? DEFAULT_SETTINGS;
  const storageProblem = useStored(storageProblemItem);
  const storedProblems = useStored(storedProblemsItem);
  const appearance = appearanceOf(useStored(appearanceItem));
  const [editing, setEditing] = useState<KeyConfig | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [addKey, setAddKey] = useState(0);
  const [busy, setBusy] = useState(false);
  /** What the last Test or Save said, and which form it belongs to. */
  const [formResult, setFormResult] = useState<{ where: 'add' | 'edit' | 'list'; text: string } | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirmBulk, setConfirmBulk] = useState(false);
  /** A custom key's answer from its last Test, shown as a tree to pick figures from (automation.md §3.1). */
  const [probeAnswer, setProbeAnswer] = useState<unknown>(undefined);
  /** The kind a Test found for an `auto` draft, and the credential it found it for. */
  const [detected, setDetected] = useState<(DetectedKind & { where: 'add' | 'edit' }) | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  /** Whether the first look at what is granted ended: until then the list may still re-sort. */
  const [accessKnown, setAccessKnown] = useState(false);
  /** A Save the site refused, waiting for "Save anyway" or "Keep editing" (issue #9, item 3). */
  const [asking, setAsking] = useState<{
    where: 'add' | 'edit';
    target: KeyConfig | null;
    draft: KeyDraft;
    detail: string;
    probe: string | undefined;
  } | null>(null);
  /** The key being edited changed in another tab or window: the editor's Save wrote nothing. */
  const [conflict, setConflict] = useState(false);
  /** The last draft read (Test or Save) and what the site said: Save does not read the same draft twice. */
  const tested = useRef<{ draft: string; outcome: ProbeResult } | null>(null);
  /** The bulk "Delete selected" button: focus comes back to it when its question is taken back. */
  const bulkDelete = useRef<HTMLButtonElement>(null);

  // Sites whose keys cannot be read until the user grants access.
  useEffect(() => {
    if (!keys) return;
    const patterns = [...new Set(keys.map((k) => permissionPattern(k.baseUrl)))];
    void Promise.all(patterns.map((origin) => browser.permissions.contains({ origins: [origin] })))
      .then((has) => setMissing(patterns.filter((_, i) => !has[i])))
      .catch(() => undefined)
      .finally(() => setAccessKnown(true));
  }, [keys]);

  const now = Date.now();
  const listed = useMemo(
    () => listedKeys(keys ?? [], statuses ?? {}, settings, now, locale, missing),
    [keys, statuses, settings, now, locale, missing],
  );
  // Search, filter, sort and group the list as the popup does (issue #19, item 4).
  const browse = useBrowse(listed, statuses ?? {}, settings, now, missing);

  /** What a refused save says: the limit, or the stored key the draft already is. */
  const refusalText = (refusal: SaveRefusal) =>
    refusal.reason === 'too-many' ? keyLimitText() : i18n.t('keyAlreadySaved', [refusal.key.label]);
  /** The refusal of a key already saved, naming the stored key as the list is now. */
  const duplicateText = async (draft: KeyDraft, target: KeyConfig | null) => {
    const refusal = saveRefusal(await keysItem.getValue(), target, draft, 'save');
    return refusal ? refusalText(refusal) : i18n.t('keyAlreadySavedElsewhere');
  };

  /**
   * Stores a draft from the add form (`target` null) or the editor of `target`, then reads it unless told not
   * to; `probe` is the id of the draft's read just made, which the background records instead of reading again.
   */
  const store = async (
    target: KeyConfig | null,
    draft: KeyDraft,
    allowed: boolean,
    read: 'read' | ReadOutcome = 'read',
    probe?: string,
  ) => {
    const where = target ? 'edit' : 'add';
    const say = (text: string, at: 'add' | 'edit' | 'list' = where) => setFormResult({ where: at, text });
    const site = displaySite(draft.baseUrl);
    const at = Date.now();
    // An edit sends only the fields the person changed, and the key's `updatedAt` the editor started
    // from: if another tab or window changed the key since, the background writes nothing (lib/storage/keys.ts).
    const change = saveChange(target, draft, crypto.randomUUID(), at);
    const result = await sendMessage('changeKeys', change);
    if (!result.ok && result.reason === 'conflict' && target) return showConflict(target);
    if (!result.ok && result.reason === 'too-many') return say(keyLimitText());
    // Stored meanwhile from another tab or window: said as the form says it before saving.
    if (!result.ok && result.reason === 'duplicate') return say(await duplicateText(draft, target));
    if (!result.ok) throw new Error(result.message);
    const id = change.type === 'put' ? change.key.id : change.id;
    const key = result.keys.find((k) => k.id === id);
    if (!key) throw new Error('the key is gone');
    const previous = target;
    setProbeAnswer(undefined);
    tested.current = null;
    // An edit closes its editor and gives focus back to the key's Edit button; a new key keeps the add form.
    const after: 'add' | 'list' = previous ? 'list' : 'add';
    if (previous) {
      setEditing(null);
      setConflict(false);
      focusKeyButton(key.id, 'edit');
    }
    if (!previous) {
      setAddKey((n) => n + 1);
      // The add form is drawn anew, empty: focus goes to its first field, ready for the next key.
      requestAnimationFrame(() => {
        if (!document.activeElement || document.activeElement === document.body) document.querySelector<HTMLElement>('#add input')?.focus();
      });
    }
    if (!allowed) return say(i18n.t('accessDenied', [site]), after);
    // A read the person stopped before storing is not started again.
    if (read !== 'read') return say(i18n.t('savedReading', [`${key.label}: ${outcomeSummary(read, locale)}`]), after);
    say(i18n.t('reading'), after);
    await sendMessage('refresh', { ids: [key.id], reset: !previous || !readsAlike(previous, draft), ...(probe ? { probe } : {}) });
    const status = (await statusesItem.getValue())[key.id];
    // The state, what is left and the expiry, as the Test says them (issue #19, item 3).
    const summary = status?.error
      ? outcomeSummary({ ok: false, error: status.error }, locale)
      : status?.reading
        ? resultSummary(key, { ok: true, reading: status.reading }, settings, Date.now(), locale)
        : '';
    say(i18n.t('savedReading', [`${key.label}: ${summary}`]), after);
  };

  /** Runs one step of a Save or Test, saying a storage failure instead of leaving "Reading…". */
  const run = (where: 'add' | 'edit', step: () => Promise<void>) => {
    setBusy(true);
    void step()
      .catch((cause: unknown) => setFormResult({ where, text: i18n.t('storageFailed', [errorText(cause)]) }))
      .finally(() => setBusy(false));
  };

  /** Test or save from the add form (`target` null) or the editor of `target`. */
  const submit = (target: KeyConfig | null) => (draft: KeyDraft, mode: 'save' | 'test') => {
    const where = target ? 'edit' : 'add';
    const say = (text: string) => setFormResult({ where, text });
    // A new key beyond the limit, or a key already saved, is refused before its site is asked for anything
    // (the background refuses both too).
    const refusal = saveRefusal(keys ?? [], target, draft, mode);
    if (refusal) return say(refusalText(refusal));
    // Asked synchronously, inside the click: browsers only show the prompt for a user gesture.
    const granted = browser.permissions.request({ origins: [permissionPattern(draft.baseUrl)] });
    setAsking(null);
    say(i18n.t('reading'));
    run(where, async () => {
      const allowed = await granted.catch(() => false);
      const site = displaySite(draft.baseUrl);
      const asKey: KeyConfig = { id: 'probe', createdAt: 0, updatedAt: 0, ...draft };
      const drafted = JSON.stringify(draft);
      if (mode === 'test') {
        if (!allowed) return say(i18n.t('accessDenied', [site]));
        const outcome = await sendMessage('probe', asKey);
        setProbeAnswer(outcome.answer);
        tested.current = { draft: drafted, outcome };
        // The kind `auto` found, named in the Kind list while the form holds this credential.
        const found = outcome.reading;
        setDetected(found ? { where, kind: found.kind, baseUrl: draft.baseUrl, secret: draft.secret } : null);
        return say(i18n.t('testResult', [resultSummary(asKey, outcome, settings, Date.now(), locale)]));
      }
      const current = await keysItem.getValue();
      // The list as stored now, should this page not have read it yet or another tab have added the key.
      const refused = saveRefusal(current, target, draft, mode);
      if (refused) return say(refusalText(refused));
      const previous = target ? current.find((k) => k.id === target.id) : undefined;
      // The key changed in another tab or window since the editor opened: said now, before its site is asked.
      if (target && previous?.updatedAt !== target.updatedAt) return showConflict(target);
      // A new or changed credential is read before it is stored (the last Test's answer counts when
      // the draft is the same): one the site refuses is stored only if the person says so (issue #9, item 3).
      if (allowed && (!previous || !readsAlike(previous, draft))) {
        const known = tested.current?.draft === drafted && !wasStopped(tested.current.outcome) ? tested.current.outcome : null;
        const outcome = known ?? (await sendMessage('probe', asKey));
        tested.current = { draft: drafted, outcome };
        if (isRefused(asKey, outcome)) {
          setFormResult(null);
          return setAsking({ where, target, draft, detail: refusalDetail(outcome), probe: outcome.probeId });
        }
        if (wasStopped(outcome)) return store(target, draft, allowed, outcome);
        // The site was just asked: its answer is the saved key's first reading (one request per Save).
        return store(target, draft, allowed, 'read', outcome.probeId);
      }
      await store(target, draft, allowed);
    });
  };

  /** The person's answer to the refused-key question. */
  const answer = (save: boolean) => {
    const question = asking;
    if (!question) return;
    setAsking(null);
    if (!save) {
      // Back to the form, on the secret the site refused.
      const form = question.where === 'edit' ? '.editor' : '#add';
      return requestAnimationFrame(() => document.querySelector<HTMLElement>(`${form} input[name="secret"]`)?.focus());
    }
    // Asked again inside this click: a long-considered answer may find the draft's access given back.
    const granted = browser.permissions.request({ origins: [permissionPattern(question.draft.baseUrl)] });
    setFormResult({ where: question.where, text: i18n.t('reading') });
    run(question.where, async () => store(question.target, question.draft, await granted.catch(() => false), 'read', question.probe));
  };

  const remove = async (ids: readonly string[]) => {
    try {
      await changeKeys({ type: 'delete', ids: [...ids] });
    } catch (cause) {
      return setFormResult({ where: 'list', text: i18n.t('storageFailed', [errorText(cause)]) });
    }
    if (editing && ids.includes(editing.id)) {
      setEditing(null);
      setConflict(false);
      setAsking((shown) => (shown?.where === 'edit' ? null : shown));
    }
    setSelected((chosen) => new Set([...chosen].filter((id) => !ids.includes(id))));
    setFormResult({ where: 'list', text: i18n.t('deletedKeys', ids.length, [String(ids.length)]) });
  };

  const readSelected = async (ids: readonly string[]) => {
    const names = (keys ?? []).filter((k) => ids.includes(k.id)).map((k) => k.label);
    setFormResult({ where: 'list', text: i18n.t('readingSelected', [names.join(', ')]) });
    try {
      await sendMessage('refresh', { ids: [...ids] });
    } catch (cause) {
      // "Reading … now…" never stays when no answer comes.
      return setFormResult({ where: 'list', text: i18n.t('readFailed', [names.join(', '), errorText(cause)]) });
    }
    setFormResult({ where: 'list', text: i18n.t('readDone', [names.join(', ')]) });
  };

  const exportSelected = (ids: readonly string[]) => {
    downloadJson(
      buildBackup(
        (keys ?? []).filter((k) => ids.includes(k.id)),
        false,
        Date.now(),
      ),
      'quota-glance',
    );
  };

  const changeAppearance = async (next: Appearance) => {
    await appearanceItem.setValue(next);
    // A new language needs its messages loaded before rendering: start the page again.
    if (next.language !== appearance.language) location.reload();
    else if (next.theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next.theme;
  };

  /**
   * Says that the edited key changed elsewhere, so nothing was saved. A key deleted elsewhere has left
   * the list, and its editor with it: that is said above the list.
   */
  const showConflict = async (target: KeyConfig) => {
    setAsking(null);
    if (!(await keysItem.getValue()).some((k) => k.id === target.id)) {
      setEditing(null);
      setConflict(false);
      return setFormResult({ where: 'list', text: i18n.t('keyDeletedElsewhere') });
    }
    setFormResult(null);
    setConflict(true);
  };

  /**
   * After a conflict: the editor shows the key as stored now. The person's unsaved changes go,
   * as the message said; a key deleted meanwhile closes the editor.
   */
  const reloadEdited = async () => {
    if (!editing) return;
    const stored = (await keysItem.getValue()).find((k) => k.id === editing.id);
    setConflict(false);
    setAsking(null);
    setProbeAnswer(undefined);
    tested.current = null;
    if (!stored) {
      setEditing(null);
      return setFormResult({ where: 'list', text: i18n.t('keyDeletedElsewhere') });
    }
    setFormResult(null);
    setEditing(stored);
    setFormKey((n) => n + 1);
    requestAnimationFrame(() => document.querySelector<HTMLElement>('.editor :is(input, select, textarea)')?.focus());
  };

  /** Mutes, unmutes, pins or unpins keys (one per row, or the selected ones) through the background. */
  const flag = (field: 'muted' | 'pinned', on: boolean, ids: readonly string[]) =>
    void setFlag(changeKeys, field, on, ids).catch((cause: unknown) =>
      setFormResult({ where: 'list', text: i18n.t('storageFailed', [errorText(cause)]) }),
    );

  const unsnooze = async (key: KeyConfig) => {
    await changeKeys({ type: 'patch', id: key.id, fields: { snoozedUntil: null } }).catch((cause: unknown) =>
      setFormResult({ where: 'list', text: i18n.t('storageFailed', [errorText(cause)]) }),
    );
  };

  const exportKeys = async (includeSecrets: boolean) => {
    downloadJson(buildBackup(await keysItem.getValue(), includeSecrets, Date.now(), await backupExtras()), 'quota-glance');
  };

  const grantMissing = () => {
    const request = browser.permissions.request({ origins: missing });
    void request.then(async (ok) => {
      if (!ok || !keys) return;
      setMissing([]);
      await sendMessage('refresh', { ids: keys.filter((k) => missing.includes(permissionPattern(k.baseUrl))).map((k) => k.id) });
    });
  };

  const threshold = settings.defaultThreshold;
  const thresholdText = threshold.type === 'percent' ? `${threshold.value}%` : String(threshold.value);

  const result = (where: 'add' | 'edit' | 'list') =>
    where === 'edit' && conflict ? (
      <div class="problem-box" role="alert" data-key-conflict>
        {i18n.t('keyChangedElsewhere')}{' '}
        <button type="button" onClick={() => void reloadEdited()}>
          {i18n.t('reloadKey')}
        </button>
      </div>
    ) : asking?.where === where ? (
      <RefusedQuestion detail={asking.detail} onSaveAnyway={() => answer(true)} onKeepEditing={() => answer(false)} />
    ) : formResult?.where === where ? (
      <p class="notice" role="status">
        {formResult.text}
        {busy ? (
          <>
            {' '}
            <button type="button" onClick={() => void sendMessage('stop', undefined).catch(() => undefined)}>
              {i18n.t('stopReading')}
            </button>
          </>
        ) : null}
      </p>
    ) : null;
  const allIds = (keys ?? []).map((k) => k.id);
  const shownIds = browse.entries.filter((e) => !e.hidden).map((e) => e.key.id);
  // What the bulk actions act on: the selected keys that are listed. A key that leaves the list (a search, a
  // filter, a mute under "Needs attention") is no longer counted nor acted on: no action reaches a key not shown.
  const chosenIds = shownIds.filter((id) => selected.has(id));
  // And it leaves the selection: showing every key again must not bring back, ready for Delete, a selection
  // made of keys that had left the list (muted under "Needs attention", then "All keys").
  const listedIds = shownIds.join('\n');
  useEffect(() => {
    const shown = new Set(listedIds.split('\n'));
    setSelected((chosen) => ([...chosen].every((id) => shown.has(id)) ? chosen : new Set([...chosen].filter((id) => shown.has(id)))));
  }, [listedIds]);

  const openEditor = (key: KeyConfig) => {
    setEditing(key);
    setConflict(false);
    setFormKey((n) => n + 1);
    setFormResult(null);
    setAsking((shown) => (shown?.where === 'edit' ? null : shown));
    // Focus moves into the editor, on its first field.
    requestAnimationFrame(() => {
      const field = document.querySelector<HTMLElement>(`[data-key-id="${CSS.escape(key.id)}"] :is(input, select, textarea)`);
      field?.focus();
      field?.scrollIntoView({ block: 'center' });
    });
  };
  // `options.html#edit=<id>` (a popup row's "Edit <label>") opens that key's editor, focused, once the list is in
  // its order: statuses and access re-sort it, and a re-sort after opening moved the editor out of view and blurred it.
  useEditLink(statuses && accessKnown ? keys : undefined, openEditor, () => setFormResult({ where: 'list', text: i18n.t('editLinkGone') }));

  const cancelEdit = () => {
    if (!editing) return;
    const id = editing.id;
    setEditing(null);
    setConflict(false);
    setFormResult(null);
    setAsking(null);
    focusKeyButton(id, 'edit');
  };

  /** The kind found for a form's `auto` draft: by its last Test, else (the editor) by the stored key's last read. */
  const detectedIn = (where: 'add' | 'edit'): DetectedKind | null => {
    if (detected?.where === where) return detected;
    const found = where === 'edit' && editing ? statuses?.[editing.id]?.detectedKind : undefined;
    return editing && found ? { kind: found, baseUrl: editing.baseUrl, secret: editing.secret } : null;
  };

  const editor = editing ? (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere in the editor cancels it, as its Cancel button does.
    <div class="editor" onKeyDown={(e) => e.key === 'Escape' && !e.defaultPrevented && cancelEdit()}>
      <h3>{i18n.t('editHeading')}</h3>
      <KeyForm
        key={`edit-${editing.id}-${formKey}`}
        initial={editing}
        detected={detectedIn('edit')}
        probeAnswer={probeAnswer}
        // A Test result speaks of the form as it was: it goes when the form changes (the answer tree stays).
        onChange={() => {
          setFormResult((shown) => (shown?.where === 'edit' ? null : shown));
          setAsking((shown) => (shown?.where === 'edit' ? null : shown));
        }}
        defaultThresholdText={thresholdText}
        defaultInterval={settings.intervalMinutes}
        busy={busy || asking?.where === 'edit'}
        onSubmit={submit(editing)}
        onCancel={cancelEdit}
      />
      {result('edit')}
    </div>
  ) : null;

  return (
    <main class="options">
      <h1>{i18n.t('optionsTitle')}</h1>
      <StorageProblem problem={storageProblem} unreadable={storedProblems} />
      <UnreadableKeysSection />
      <nav class="page-nav">
        {/* Each link says what its section's heading says (zh's 设置 here beside 通用设置 there read as two places). */}
        <a href="#keys">{i18n.t('keysHeading')}</a>
        <a href="#add">{i18n.t('addHeading')}</a>
        <a href="#sync">{i18n.t('syncHeading')}</a>
        <a href="#import-export">{i18n.t('importExportHeading')}</a>
        {storedSettings ? <a href="#settings">{i18n.t('settingsHeading')}</a> : null}
        <a href="#channels">{channelsHeading()}</a>
        <a href="#appearance">{i18n.t('appearanceHeading')}</a>
      </nav>
      {missing.length ? (
        <div class="problem-box" role="alert">
          {i18n.t('missingAccessCount', missing.length, [String(missing.length)])}{' '}
          <button type="button" class="primary" onClick={grantMissing}>
            {i18n.t('grantAccess')}
          </button>
        </div>
      ) : null}
      <section id="keys" aria-labelledby="keys-heading">
        <h2 id="keys-heading" tabIndex={-1}>
          {i18n.t('keysHeading')}
        </h2>
        {shownIds.length ? (
          <div class="bulk">
            <label class="check">
              <input
                type="checkbox"
                checked={shownIds.length > 0 && shownIds.every((id) => selected.has(id))}
                // Search or a filter narrows "Select all" to the keys shown.
                onChange={(e) => setSelected(new Set(e.currentTarget.checked ? shownIds : []))}
              />
              {
                // Under a search or filter it selects the keys shown, and says so.
                browse.choice.query.trim() !== '' || browse.choice.filter !== 'all'
                  ? i18n.t('selectShown', shownIds.length, [String(shownIds.length)])
                  : i18n.t('selectAll')
              }
            </label>
            {chosenIds.length ? (
              <>
                <span class="hint">{i18n.t('selectedCount', [String(chosenIds.length)])}</span>
                <button type="button" onClick={() => void readSelected(chosenIds)}>
                  {i18n.t('readSelected')}
                </button>
                <button type="button" onClick={() => exportSelected(chosenIds)}>
                  {i18n.t('exportSelected')}
                </button>
                <BulkFlags onFlag={(field, on) => flag(field, on, chosenIds)} />
                {confirmBulk ? (
                  <ConfirmButton
                    label={i18n.t('confirmDeleteSelected', chosenIds.length, [String(chosenIds.length)])}
                    onCancel={(how) => {
                      setConfirmBulk(false);
                      // Taken back with Escape: focus returns to the button that asked; focus moving elsewhere stays there.
                      if (how === 'escape') requestAnimationFrame(() => bulkDelete.current?.focus());
                    }}
                    onConfirm={() => {
                      setConfirmBulk(false);
                      void remove(chosenIds);
                      focusKeyButton(undefined, 'edit');
                    }}
                  />
                ) : (
                  <button type="button" ref={bulkDelete} onClick={() => setConfirmBulk(true)}>
                    {i18n.t('deleteSelected')}
                  </button>
                )}
              </>
            ) : null}
          </div>
        ) : null}
        {allIds.length ? browse.bar : null}
        {result('list')}
        <KeyList
          keys={browse.entries}
          editingId={editing?.id}
          editor={editor}
          selected={selected}
          onSelect={(id, on) =>
            setSelected((chosen) => {
              const next = new Set(chosen);
              if (on) next.add(id);
              else next.delete(id);
              return next;
            })
          }
          onEdit={openEditor}
          onDelete={(key) => void remove([key.id])}
          onFlag={(key, field) => flag(field, !key[field], [key.id])}
          onUnsnooze={(key) => void unsnooze(key)}
          now={now}
          locale={locale}
        />
      </section>
      <section id="add">
        <h2>{i18n.t('addHeading')}</h2>
        <KeyForm
          key={`add-${addKey}`}
          detected={detectedIn('add')}
          probeAnswer={probeAnswer}
          onChange={() => {
            setFormResult((shown) => (shown?.where === 'add' ? null : shown));
            setAsking((shown) => (shown?.where === 'add' ? null : shown));
          }}
          defaultThresholdText={thresholdText}
          defaultInterval={settings.intervalMinutes}
          busy={busy || asking?.where === 'add'}
          onSubmit={submit(null)}
        />
        {result('add')}
      </section>
      <section id="sync">
        <h2>{i18n.t('syncHeading')}</h2>
        <SyncPanel locale={locale} />
      </section>
      <section id="import-export">
        <h2>{i18n.t('importExportHeading')}</h2>
        <ImportExport target={optionsImportTarget} onExport={(s) => void exportKeys(s)} onExportEncrypted={downloadEncrypted} />
      </section>
      {storedSettings ? (
        <section id="settings">
          <h2>{i18n.t('settingsHeading')}</h2>
          <SettingsForm settings={settings} onSave={(next) => void settingsItem.setValue(next)} />
        </section>
      ) : null}
      <section id="channels">
        <h2>{channelsHeading()}</h2>
        <ChannelsSection locale={locale} />
      </section>
      <section id="appearance">
        <h2>{i18n.t('appearanceHeading')}</h2>
        <AppearanceForm appearance={appearance} onChange={(next) => void changeAppearance(next)} />
      </section>
    </main>
  );
}
