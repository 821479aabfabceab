import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { type SyncForm, SyncSection } from '@/components/SyncSection';
import { errorText } from '@/lib/error-text';
import { sendMessage } from '@/lib/messages';
import { permissionPattern } from '@/lib/site';
import { useStored } from '@/lib/storage/use-stored';
import { syncStatusItem } from '@/lib/sync/stored';
import { normaliseAddress } from '@/lib/sync/webdav';

/**
 * The options page's sync (issue #18): asks for the WebDAV folder's host access from the
 * click that turns sync on, then hands the rest to the background, which keeps the key.
 */
export function SyncPanel({ locale }: { locale: string }) {
  const status = useStored(syncStatusItem);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!status) return null;
  const act = async <T,>(job: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    try {
      return await job();
    } catch (cause) {
      setProblem(errorText(cause));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const turnOn = async (form: SyncForm): Promise<boolean> => {
    setProblem(null);
    const address = normaliseAddress(form.address);
    if (!address) {
      setProblem(i18n.t('syncBadAddress'));
      return false;
    }
    if (!form.passphrase) {
      setProblem(i18n.t('syncMissingPassphrase'));
      return false;
    }
    // Asked at once, in the click: the browser shows its prompt only for a user's gesture.
    const granted = browser.permissions.request({ origins: [permissionPattern(address)] }).catch(() => false);
    return (
      (await act(async () => {
        if (!(await granted)) {
          setProblem(i18n.t('syncAccessRefused', [new URL(address).host]));
          return false;
        }
        const next = await sendMessage('syncTurnOn', { ...form, address });
        return !!next.address && next.status !== 'error';
      })) ?? false
    );
  };
  return (
    <SyncSection
      key={status.address ?? 'off'}
      // From the click on, the page says it is syncing: whoever waits for the outcome never reads the previous one.
      status={busy ? { ...status, status: 'syncing' } : status}
      busy={busy}
      problem={problem}
      locale={locale}
      onTurnOn={turnOn}
      onSyncNow={() => void act(() => sendMessage('syncNow'))}
      onTurnOff={() => void act(() => sendMessage('syncTurnOff'))}
    />
  );
}
