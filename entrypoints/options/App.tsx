import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { ImportExport } from '@/components/ImportExport';
import { type KeyDraft, KeyForm } from '@/components/KeyForm';
import { KeyList } from '@/components/KeyList';
import { SettingsForm } from '@/components/SettingsForm';
import { StorageProblem } from '@/components/StorageProblem';
import { buildBackup } from '@/lib/backup';
import { sendMessage } from '@/lib/messages';
import type { KeyConfig } from '@/lib/model';
import { displaySite, permissionPattern } from '@/lib/site';
import { DEFAULT_SETTINGS, keyState, withDefaults } from '@/lib/state';
import { keysItem, settingsItem, statusesItem } from '@/lib/storage';
import { useStored } from '@/lib/use-stored';
import { optionsImportTarget } from './import-flow';
import { outcomeSummary, readingSummary } from './summary';

const sameIdentity = (a: KeyConfig, b: KeyDraft) =>
  a.baseUrl === b.baseUrl && a.secret === b.secret && a.kind === b.kind && a.userId === b.userId;

/** The options page: add, test, edit, delete, import and export keys; global settings. */
export function App({ locale }: { locale: string }) {
  const keys = useStored(keysItem);
  const statuses = useStored(statusesItem);
  const settings = useStored(settingsItem);
  const [editing, setEditing] = useState<KeyConfig | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [formResult, setFormResult] = useState<string | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [probeAnswer, setProbeAnswer] = useState<unknown>(undefined);

  // Sites whose keys cannot be read until the user grants access.
  useEffect(() => {
    if (!keys) return;
    const patterns = [...new Set(keys.map((k) => permissionPattern(k.baseUrl)))];
    void Promise.all(patterns.map((origin) => browser.permissions.contains({ origins: [origin] }))).then((has) =>
      setMissing(patterns.filter((_, i) => !has[i])),
    );
  }, [keys]);

  const now = Date.now();
  const listed = useMemo(
    () =>
      (keys ?? []).map((key) => {
        const status = statuses?.[key.id];
        const state = keyState(key, status, withDefaults(settings), now);
        const summary = status?.error
          ? outcomeSummary({ ok: false, error: status.error }, locale)
          : status?.reading
            ? readingSummary(status.reading, locale)
            : '';
        return { key, state, summary };
      }),
    [keys, statuses, settings, now, locale],
  );

  const submit = (draft: KeyDraft, mode: 'save' | 'test') => {
    // Asked synchronously, inside the click: browsers only show the prompt for a user gesture.
    const granted = browser.permissions.request({ origins: [permissionPattern(draft.baseUrl)] });
    setBusy(true);
    setFormResult(i18n.t('reading'));
    void (async () => {
      try {
        const allowed = await granted.catch(() => false);
        const site = displaySite(draft.baseUrl);
        if (mode === 'test') {
          if (!allowed) return setFormResult(i18n.t('accessDenied', [site]));
          const outcome = await sendMessage('probe', { id: 'probe', createdAt: 0, updatedAt: 0, ...draft });
          setProbeAnswer(outcome.answer);
          return setFormResult(i18n.t('testResult', [outcomeSummary(outcome, locale)]));
        }
        const stored = await keysItem.getValue();
        const at = Date.now();
        const previous = editing ? stored.find((k) => k.id === editing.id) : undefined;
        const key: KeyConfig = previous
          ? { ...previous, ...draft, updatedAt: at }
          : { id: crypto.randomUUID(), ...draft, createdAt: at, updatedAt: at };
        // Fields the form cleared must not linger from the previous version.
        if (draft.threshold === undefined) delete key.threshold;
        if (draft.userId === undefined) delete key.userId;
        if (draft.intervalMinutes === undefined) delete key.intervalMinutes;
        if (draft.currency === undefined) delete key.currency;
        if (draft.custom === undefined) delete key.custom;
        await keysItem.setValue(previous ? stored.map((k) => (k.id === key.id ? key : k)) : [...stored, key]);
        setEditing(null);
        setFormKey((n) => n + 1);
        setProbeAnswer(undefined);
        if (!allowed) return setFormResult(i18n.t('accessDenied', [site]));
        await sendMessage('refresh', { ids: [key.id], reset: !previous || !sameIdentity(previous, draft) });
        const status = (await statusesItem.getValue())[key.id];
        const summary = status?.error
          ? outcomeSummary({ ok: false, error: status.error }, locale)
          : status?.reading
            ? readingSummary(status.reading, locale)
            : '';
        setFormResult(i18n.t('savedReading', [`${key.label}: ${summary}`]));
      } catch (cause) {
        setFormResult(i18n.t('storageFailed', [String((cause as Error)?.message ?? cause)]));
      } finally {
        setBusy(false);
      }
    })();
  };

  const remove = async (key: KeyConfig) => {
    await keysItem.setValue((await keysItem.getValue()).filter((k) => k.id !== key.id));
    if (editing?.id === key.id) setEditing(null);
  };

  const unsnooze = async (key: KeyConfig) => {
    await keysItem.setValue((await keysItem.getValue()).map((k) => (k.id === key.id ? { ...k, snoozedUntil: undefined } : k)));
  };

  const exportKeys = async (includeSecrets: boolean) => {
    const text = buildBackup(await keysItem.getValue(), includeSecrets, Date.now());
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = Object.assign(document.createElement('a'), {
      href: url,
      download: `quota-glance-${new Date().toISOString().slice(0, 10)}.json`,
    });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const grantMissing = () => {
    const request = browser.permissions.request({ origins: missing });
    void request.then(async (ok) => {
      if (!ok || !keys) return;
      setMissing([]);
      await sendMessage('refresh', { ids: keys.filter((k) => missing.includes(permissionPattern(k.baseUrl))).map((k) => k.id) });
    });
  };

  const threshold = (settings ?? DEFAULT_SETTINGS).defaultThreshold;
  const thresholdText = threshold.type === 'percent' ? `${threshold.value}%` : String(threshold.value);

  return (
    <main class="options">
      <h1>{i18n.t('optionsTitle')}</h1>
      <StorageProblem />
      {missing.length ? (
        <div class="problem-box" role="alert">
          {i18n.t('missingAccess', [String(missing.length)])}{' '}
          <button type="button" class="primary" onClick={grantMissing}>
            {i18n.t('grantAccess')}
          </button>
        </div>
      ) : null}
      <section>
        <h2>{i18n.t('keysHeading')}</h2>
        <KeyList
          keys={listed}
          onEdit={(key) => {
            setEditing(key);
            setFormKey((n) => n + 1);
            setFormResult(null);
          }}
          onDelete={(key) => void remove(key)}
          onUnsnooze={(key) => void unsnooze(key)}
          now={now}
          locale={locale}
        />
      </section>
      <section>
        <h2>{editing ? i18n.t('editHeading') : i18n.t('addHeading')}</h2>
        <KeyForm
          key={formKey}
          initial={editing ?? undefined}
          probeAnswer={probeAnswer}
          defaultThresholdText={thresholdText}
          defaultInterval={withDefaults(settings).intervalMinutes}
          busy={busy}
          onSubmit={submit}
          onCancel={
            editing
              ? () => {
                  setEditing(null);
                  setFormKey((n) => n + 1);
                }
              : undefined
          }
        />
        {formResult ? (
          <p class="notice" role="status">
            {formResult}
          </p>
        ) : null}
      </section>
      <section>
        <h2>{i18n.t('importExportHeading')}</h2>
        <ImportExport target={optionsImportTarget} onExport={(s) => void exportKeys(s)} />
      </section>
      {settings ? (
        <section>
          <h2>{i18n.t('settingsHeading')}</h2>
          <SettingsForm settings={withDefaults(settings)} onSave={(next) => void settingsItem.setValue(next)} />
        </section>
      ) : null}
    </main>
  );
}
