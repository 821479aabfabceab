/**
 * Settings that backup version 3 brings (shared/spec/automation.md §3.4), and which of
 * the extension's settings travel in a backup file. Kept apart from lib/schema.ts's
 * `settingsSchema` (stored in `local:alertSettings`) so the two can be joined later
 * without a migration of the `settings` item now.
 */
import { z } from 'zod';
import type { Settings } from './schema';

/** Alert settings of version 3: restored announcements and the daily digest (automation.md §3.4, §5, §5.1). */
export const alertSettingsSchema = z.object({
  /** Announce a key that returns to `ok` from `low`, `capped`, `exhausted` or `invalid`. */
  notifyRestored: z.boolean(),
  /** Local hour (0–23) of the daily digest on channels; null: no digest. */
  digestHour: z.number().int().min(0).max(23).nullable(),
});

export type AlertSettings = z.infer<typeof alertSettingsSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { notifyRestored: true, digestHour: null };

/** Stored alert settings with each unusable or missing field at its default (hand-edited storage never breaks a page). */
export function alertSettingsWithDefaults(stored: unknown): AlertSettings {
  const raw = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const fields = alertSettingsSchema.shape;
  return {
    notifyRestored: fields.notifyRestored.safeParse(raw.notifyRestored).data ?? DEFAULT_ALERT_SETTINGS.notifyRestored,
    digestHour: fields.digestHour.safeParse(raw.digestHour).success ? (raw.digestHour as number | null) : DEFAULT_ALERT_SETTINGS.digestHour,
  };
}

const threshold = z.object({
  type: z.enum(['percent', 'amount'], { message: 'must be "percent" or "amount"' }),
  value: z.number().finite().nonnegative(),
});
const amount = z.number().finite().nonnegative();

/**
 * A backup file's `settings` (automation.md §3.4): every field optional, unknown fields
 * ignored, a field of the wrong shape refuses the file naming it. Of the extension's
 * settings, those a person sets once and wants on every browser travel; the
 * notification switch too, as the person's choice.
 */
export const fileSettingsSchema = z.object(
  {
    notifyRestored: z.boolean({ message: 'must be true or false' }).optional(),
    digestHour: z
      .number({ message: 'must be an hour from 0 to 23, or null' })
      .int('must be a whole hour')
      .min(0, 'must be an hour from 0 to 23, or null')
      .max(23, 'must be an hour from 0 to 23, or null')
      .nullable()
      .optional(),
    intervalMinutes: z
      .number({ message: 'must be whole minutes from 1 to 1440' })
      .int('must be whole minutes from 1 to 1440')
      .min(1, 'must be whole minutes from 1 to 1440')
      .max(1440, 'must be whole minutes from 1 to 1440')
      .optional(),
    defaultThreshold: threshold.optional(),
    defaultLowAmounts: z
      .object({ USD: amount.optional(), CNY: amount.optional(), tokens: amount.optional(), other: amount.optional() })
      .optional(),
    notifications: z.boolean({ message: 'must be true or false' }).optional(),
    expiryWarningDays: z
      .array(z.number().int().min(0).max(365), { message: 'must be a list of days from 0 to 365' })
      .max(10, 'lists more than 10 days')
      .optional(),
    forecastWarningDays: z
      .number({ message: 'must be days from 0 to 365' })
      .finite()
      .min(0, 'must be days from 0 to 365')
      .max(365, 'must be days from 0 to 365')
      .optional(),
    windowLowPercent: z
      .number({ message: 'must be a percentage from 0 to 100' })
      .finite()
      .min(0, 'must be a percentage from 0 to 100')
      .max(100, 'must be a percentage from 0 to 100')
      .optional(),
  },
  { message: 'must be an object' },
);

export type FileSettings = z.infer<typeof fileSettingsSchema>;

/** The `settings` an export writes: every field that travels, as stored. */
export function settingsForFile(settings: Settings, alerts: AlertSettings): Required<FileSettings> {
  return {
    notifyRestored: alerts.notifyRestored,
    digestHour: alerts.digestHour,
    intervalMinutes: settings.intervalMinutes,
    defaultThreshold: settings.defaultThreshold,
    defaultLowAmounts: settings.defaultLowAmounts,
    notifications: settings.notifications,
    expiryWarningDays: settings.expiryWarningDays,
    forecastWarningDays: settings.forecastWarningDays,
    windowLowPercent: settings.windowLowPercent,
  };
}

/** Stored settings with a file's settings applied: a field the file does not name stays as stored. */
export function applyFileSettings(
  settings: Settings,
  alerts: AlertSettings,
  file: FileSettings,
): { settings: Settings; alerts: AlertSettings } {
  const { notifyRestored, digestHour, defaultLowAmounts, ...rest } = file;
  const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<Settings>;
  const amounts = Object.fromEntries(Object.entries(defaultLowAmounts ?? {}).filter(([, v]) => v !== undefined));
  return {
    settings: { ...settings, ...given, defaultLowAmounts: { ...settings.defaultLowAmounts, ...amounts } },
    alerts: {
      notifyRestored: notifyRestored ?? alerts.notifyRestored,
      digestHour: digestHour === undefined ? alerts.digestHour : digestHour,
    },
  };
}
