import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { twoSentences } from '@/lib/labels';
import type { SyncStatus } from '@/lib/sync/stored';
import { TextField } from './TextField';

/** The failures the page says in the person's language (the rest as the background words them). */
const ERROR_TEXT = {
  auth: 'syncErrAuth',
  forbidden: 'syncErrForbidden',
  'not-found': 'syncErrNotFound',
  'no-parent': 'syncErrNoParent',
  full: 'syncErrFull',
  redirect: 'syncErrRedirect',
  network: 'syncErrNetwork',
  timeout: 'syncErrTimeout',
  server: 'syncErrServer',
  'too-large': 'syncErrTooLarge',
  'wrong-passphrase': 'syncErrWrongPassphrase',
  damaged: 'syncErrDamaged',
  newer: 'syncErrNewer',
  rekeyed: 'syncErrRekeyed',
  address: 'syncBadAddress',
  passphrase: 'syncMissingPassphrase',
} as const;

/** A failure as the page says it. */
function errorText(status: SyncStatus): string {
  const key = status.code ? ERROR_TEXT[status.code as keyof typeof ERROR_TEXT] : undefined;
  const text = key ? i18n.t(key) : (status.error ?? '');
  // What to do about it: the folder holds another browser's vault, made with another passphrase.
  return status.code === 'wrong-passphrase' ? twoSentences(text, i18n.t('syncWrongPassphraseHelp')) : text;
}

export interface SyncForm {
  address: string;
  user: string;
  password: string;
  passphrase: string;
}

interface Props {
  status: SyncStatus;
  /** A request from this page is under way. */
  busy: boolean;
  /** A problem found on this page before anything was sent (an address that is no URL, access refused). */
  problem: string | null;
  locale: string;
  /** Resolves true when sync came on (the password and passphrase fields are then cleared). */
  onTurnOn: (form: SyncForm) => Promise<boolean>;
  onSyncNow: () => void;
  onTurnOff: () => void;
}

/**
 * The Sync section of the options page (shared/spec/automation.md §6): the WebDAV folder,
 * its user and password, the passphrase, and Turn on / Sync now / Turn off. The status
 * element carries `data-sync-status`, `data-sync-at` and `data-sync-error`.
 */
export function SyncSection({ status, busy, problem, locale, onTurnOn, onSyncNow, onTurnOff }: Props) {
  const on = !!status.address;
  /** The setup fields while sync is on: asked for ("Change folder or passphrase"), or needed after a failure. */
  const [changing, setChanging] = useState(false);
  const setup = !on || changing || status.status === 'error';
  const [form, setForm] = useState<SyncForm>({ address: status.address ?? '', user: status.user ?? '', password: '', passphrase: '' });
  const field = (name: keyof SyncForm) => (value: string) => setForm((f) => ({ ...f, [name]: value }));
  const words =
    status.status === 'syncing'
      ? i18n.t('syncStatusSyncing')
      : status.status === 'error'
        ? i18n.t('syncStatusError', [errorText(status)])
        : status.status === 'ok'
          ? i18n.t('syncStatusOk')
          : i18n.t('syncStatusOff');
  return (
    <div class="sync">
      <p class="hint">{i18n.t('syncGuide')}</p>
      <p
        class={status.status === 'error' ? 'problem' : 'hint'}
        role="status"
        data-sync-status={status.status}
        data-sync-at={status.at ?? ''}
        data-sync-error={status.error ?? ''}
      >
        {words}
        {status.at ? ` ${i18n.t('syncLast', [new Date(status.at).toLocaleString(locale)])}` : ''}
      </p>
      {on ? <p class="hint">{i18n.t('syncOnWith', [status.address ?? '', status.user ?? ''])}</p> : null}
      {setup ? null : (
        // On and working: what it does now, without the empty password and passphrase fields (issue #19, a new user's findings).
        <div class="inline">
          <button type="button" class="primary" disabled={busy} onClick={onSyncNow}>
            {i18n.t('syncNow')}
          </button>
          <button type="button" disabled={busy} onClick={onTurnOff}>
            {i18n.t('syncTurnOff')}
          </button>
          <button type="button" onClick={() => setChanging(true)}>
            {i18n.t('syncChange')}
          </button>
        </div>
      )}
      {setup ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void onTurnOn(form).then((done) => {
              if (!done) return;
              setForm((f) => ({ ...f, password: '', passphrase: '' }));
              setChanging(false);
            });
          }}
        >
          <TextField
            id="sync-address"
            label={i18n.t('syncAddress')}
            hint={i18n.t('syncAddressHint')}
            type="url"
            autocomplete="off"
            spellcheck={false}
            value={form.address}
            onValue={field('address')}
          />
          <TextField
            id="sync-user"
            label={i18n.t('syncUser')}
            autocomplete="off"
            spellcheck={false}
            value={form.user}
            onValue={field('user')}
          />
          <TextField
            id="sync-password"
            label={i18n.t('syncPassword')}
            type="password"
            autocomplete="off"
            value={form.password}
            onValue={field('password')}
          />
          <TextField
            id="sync-passphrase"
            label={i18n.t('syncPassphrase')}
            hint={i18n.t('syncPassphraseHint')}
            type="password"
            autocomplete="new-password"
            value={form.passphrase}
            onValue={field('passphrase')}
          />
          {problem ? (
            <p class="problem" role="alert">
              {problem}
            </p>
          ) : null}
          <div class="inline">
            <button type="submit" class={on ? undefined : 'primary'} disabled={busy}>
              {i18n.t('syncTurnOn')}
            </button>
            {on ? (
              <>
                <button type="button" class="primary" disabled={busy} onClick={onSyncNow}>
                  {i18n.t('syncNow')}
                </button>
                <button type="button" disabled={busy} onClick={onTurnOff}>
                  {i18n.t('syncTurnOff')}
                </button>
              </>
            ) : null}
          </div>
        </form>
      ) : problem ? (
        <p class="problem" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
