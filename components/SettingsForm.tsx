import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { Threshold } from '@/lib/model';
import type { Settings } from '@/lib/state';

/** Global settings: read interval, default low threshold, notifications. */
export function SettingsForm({ settings, onSave }: { settings: Settings; onSave: (settings: Settings) => void }) {
  const [interval, setIntervalText] = useState(String(settings.intervalMinutes));
  const [type, setType] = useState<Threshold['type']>(settings.defaultThreshold.type);
  const [value, setValue] = useState(String(settings.defaultThreshold.value));
  const [notifications, setNotifications] = useState(settings.notifications);
  const [saved, setSaved] = useState(false);
  /** A setter that also clears "Settings saved", since the form now differs from what is stored. */
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setSaved(false);
    };
  const minutes = Math.round(Number(interval));
  const amount = Number(value);
  const valid =
    Number.isFinite(minutes) && minutes >= 1 && minutes <= 1440 && value.trim() !== '' && Number.isFinite(amount) && amount >= 0;
  return (
    <form
      class="settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        onSave({ intervalMinutes: minutes, defaultThreshold: { type, value: amount }, notifications });
        setSaved(true);
      }}
    >
      <label>
        <span>{i18n.t('intervalMinutes')}</span>
        <input type="number" min={1} max={1440} value={interval} onInput={(e) => edit(setIntervalText)(e.currentTarget.value)} />
      </label>
      <label>
        <span>{i18n.t('defaultThreshold')}</span>
        <span class="inline">
          <input
            inputMode="decimal"
            value={value}
            onInput={(e) => edit(setValue)(e.currentTarget.value)}
            aria-label={i18n.t('defaultThreshold')}
          />
          <select
            value={type}
            onChange={(e) => edit(setType)(e.currentTarget.value as Threshold['type'])}
            aria-label={i18n.t('fieldThreshold')}
          >
            <option value="percent">{i18n.t('thresholdPercent')}</option>
            <option value="amount">{i18n.t('thresholdAmount')}</option>
          </select>
        </span>
      </label>
      <label class="check">
        <input type="checkbox" checked={notifications} onChange={(e) => edit(setNotifications)(e.currentTarget.checked)} />
        {i18n.t('notificationsSetting')}
      </label>
      <div class="actions">
        <button type="submit" class="primary" disabled={!valid}>
          {i18n.t('saveSettings')}
        </button>
        {saved ? <span role="status">{i18n.t('settingsSaved')}</span> : null}
      </div>
    </form>
  );
}
