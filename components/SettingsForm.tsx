import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { Threshold } from '@/lib/model';
import type { LowAmounts, Settings } from '@/lib/state';

const LOW_UNITS = ['USD', 'CNY', 'tokens', 'other'] as const;
const lowUnitLabel = (unit: keyof LowAmounts) =>
  ({ USD: 'USD', CNY: 'CNY', tokens: i18n.t('lowAmountTokens'), other: i18n.t('lowAmountOther') })[unit];

/** Parses "7, 3, 1" into whole days between 1 and 365; null if anything else is there. */
export function parseDays(text: string): number[] | null {
  const parts = text.split(/[,\s，、]+/).filter(Boolean);
  const days = parts.map(Number);
  if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 365)) return null;
  return [...new Set(days)].sort((a, b) => b - a);
}

/** Global settings: read interval, default low threshold, notifications and their warnings. */
export function SettingsForm({ settings, onSave }: { settings: Settings; onSave: (settings: Settings) => void }) {
  const [interval, setIntervalText] = useState(String(settings.intervalMinutes));
  const [type, setType] = useState<Threshold['type']>(settings.defaultThreshold.type);
  const [value, setValue] = useState(String(settings.defaultThreshold.value));
  const [lowTexts, setLowTexts] = useState<Record<keyof LowAmounts, string>>(() => ({
    USD: String(settings.defaultLowAmounts.USD),
    CNY: String(settings.defaultLowAmounts.CNY),
    tokens: String(settings.defaultLowAmounts.tokens),
    other: String(settings.defaultLowAmounts.other),
  }));
  const [notifications, setNotifications] = useState(settings.notifications);
  const [expiryDays, setExpiryDays] = useState(settings.expiryWarningDays.join(', '));
  const [forecastDays, setForecastDays] = useState(String(settings.forecastWarningDays));
  const [windowLow, setWindowLow] = useState(String(settings.windowLowPercent));
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
  const warnDays = parseDays(expiryDays);
  const forecast = Number(forecastDays);
  const windowLowPercent = Number(windowLow);
  const lowAmounts = Object.fromEntries(LOW_UNITS.map((u) => [u, Number(lowTexts[u])])) as unknown as LowAmounts;
  const lowValid = LOW_UNITS.every((u) => lowTexts[u].trim() !== '' && Number.isFinite(lowAmounts[u]) && lowAmounts[u] >= 0);
  const valid =
    lowValid &&
    Number.isFinite(minutes) &&
    minutes >= 1 &&
    minutes <= 1440 &&
    value.trim() !== '' &&
    Number.isFinite(amount) &&
    amount >= 0 &&
    warnDays !== null &&
    Number.isInteger(forecast) &&
    forecast >= 0 &&
    forecast <= 365 &&
    windowLow.trim() !== '' &&
    windowLowPercent >= 0 &&
    windowLowPercent <= 100;
  return (
    <form
      class="settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid || !warnDays) return;
        onSave({
          intervalMinutes: minutes,
          defaultThreshold: { type, value: amount },
          defaultLowAmounts: lowAmounts,
          notifications,
          expiryWarningDays: warnDays,
          forecastWarningDays: forecast,
          windowLowPercent,
        });
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
      <fieldset class="low-amounts">
        <legend>{i18n.t('defaultLowAmounts')}</legend>
        {LOW_UNITS.map((unit) => (
          <label key={unit}>
            <span>{lowUnitLabel(unit)}</span>
            <input
              inputMode="decimal"
              value={lowTexts[unit]}
              aria-invalid={!(lowTexts[unit].trim() !== '' && Number(lowTexts[unit]) >= 0)}
              onInput={(e) => {
                const text = e.currentTarget.value;
                edit(setLowTexts)({ ...lowTexts, [unit]: text });
              }}
            />
          </label>
        ))}
      </fieldset>
      <label class="check">
        <input type="checkbox" checked={notifications} onChange={(e) => edit(setNotifications)(e.currentTarget.checked)} />
        {i18n.t('notificationsSetting')}
      </label>
      <label>
        <span>{i18n.t('expiryWarningDays')}</span>
        <input value={expiryDays} onInput={(e) => edit(setExpiryDays)(e.currentTarget.value)} aria-invalid={warnDays === null} />
      </label>
      <label>
        <span>{i18n.t('forecastWarningDays')}</span>
        <input type="number" min={0} max={365} value={forecastDays} onInput={(e) => edit(setForecastDays)(e.currentTarget.value)} />
      </label>
      <label>
        <span>{i18n.t('windowLowPercent')}</span>
        <input type="number" min={0} max={100} value={windowLow} onInput={(e) => edit(setWindowLow)(e.currentTarget.value)} />
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
