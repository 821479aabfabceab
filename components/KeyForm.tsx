import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { isR9sManagementKey } from '@/lib/adapters';
import { R9S_BASE_URL } from '@/lib/adapters/r9s';
import { KEY_KINDS, type KeyConfig, type KeyKind, type Threshold } from '@/lib/model';
import { kindLabel } from '@/lib/providers/labels';
import { normaliseSiteRoot } from '@/lib/site';
import { TextField } from './TextField';

/** What the form produces: a key without the fields the store assigns. */
export type KeyDraft = Pick<KeyConfig, 'label' | 'baseUrl' | 'kind' | 'secret' | 'userId' | 'threshold' | 'intervalMinutes'>;

interface Props {
  initial?: KeyConfig;
  defaultThresholdText: string;
  defaultInterval: number;
  busy: boolean;
  /** Called synchronously from the click, so the page can ask for host access within the user gesture. */
  onSubmit: (draft: KeyDraft, mode: 'save' | 'test') => void;
  onCancel?: () => void;
}

type Field = 'label' | 'site' | 'secret' | 'userId' | 'threshold' | 'interval';

/** Add or edit one key. Validates before anything is sent or stored. */
export function KeyForm({ initial, defaultThresholdText, defaultInterval, busy, onSubmit, onCancel }: Props) {
  const [label, setLabel] = useState(initial?.label ?? '');
  const [site, setSite] = useState(initial?.baseUrl ?? '');
  const [kind, setKind] = useState<KeyKind>(initial?.kind ?? 'auto');
  const [secret, setSecret] = useState(initial?.secret ?? '');
  const [reveal, setReveal] = useState(false);
  const [userId, setUserId] = useState(initial?.userId?.toString() ?? '');
  const [thresholdType, setThresholdType] = useState<'default' | Threshold['type']>(initial?.threshold?.type ?? 'default');
  const [thresholdValue, setThresholdValue] = useState(initial?.threshold?.value.toString() ?? '');
  const [interval, setIntervalText] = useState(initial?.intervalMinutes?.toString() ?? '');
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});

  const validate = (): KeyDraft | null => {
    const found: Partial<Record<Field, string>> = {};
    // r9s.ai management keys have one home (shared/spec/automation.md §2): no need to type it.
    const r9s = kind === 'r9s-manager' || (kind === 'auto' && isR9sManagementKey(secret));
    const baseUrl = normaliseSiteRoot(site.trim() === '' && r9s ? R9S_BASE_URL : site);
    if (!label.trim()) found.label = i18n.t('invalidLabel');
    if (!baseUrl) found.site = i18n.t('invalidSite');
    if (!secret.trim()) found.secret = i18n.t('invalidSecret');
    const id = Number(userId.trim());
    const needsUser = kind === 'newapi-user';
    if (needsUser && !(Number.isInteger(id) && id > 0)) found.userId = i18n.t('invalidUserId');
    const value = Number(thresholdValue);
    if (thresholdType !== 'default' && (thresholdValue.trim() === '' || !Number.isFinite(value) || value < 0)) {
      found.threshold = i18n.t('invalidThreshold');
    }
    const minutes = Number(interval.trim());
    if (interval.trim() !== '' && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440))
      found.interval = i18n.t('invalidInterval');
    setProblems(found);
    if (Object.keys(found).length || !baseUrl) return null;
    return {
      label: label.trim(),
      baseUrl,
      kind,
      secret: secret.trim(),
      ...(needsUser ? { userId: id } : {}),
      ...(thresholdType !== 'default' ? { threshold: { type: thresholdType, value } } : {}),
      ...(interval.trim() !== '' ? { intervalMinutes: minutes } : {}),
    };
  };

  const submit = (mode: 'save' | 'test') => (event: Event) => {
    event.preventDefault();
    const draft = validate();
    if (draft) onSubmit(draft, mode);
  };

  return (
    <form class="key-form" onSubmit={submit('save')} noValidate>
      <TextField
        id="key-label"
        name="label"
        label={i18n.t('fieldLabel')}
        value={label}
        onValue={setLabel}
        maxLength={200}
        problem={problems.label}
      />
      <TextField
        id="key-site"
        name="baseUrl"
        type="url"
        label={i18n.t('fieldSite')}
        placeholder={kind === 'r9s-manager' ? R9S_BASE_URL : 'https://relay.example.com'}
        value={site}
        onValue={setSite}
        hint={i18n.t('fieldSiteHint')}
        problem={problems.site}
      />
      <div class="field">
        <label for="key-kind">{i18n.t('fieldKind')}</label>
        <select id="key-kind" name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as KeyKind)}>
          {KEY_KINDS.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
      </div>
      <TextField
        id="key-secret"
        name="secret"
        type={reveal ? 'text' : 'password'}
        autoComplete="off"
        spellcheck={false}
        label={i18n.t('fieldSecret')}
        value={secret}
        onValue={setSecret}
        problem={problems.secret}
      >
        <button type="button" onClick={() => setReveal(!reveal)} aria-pressed={reveal}>
          {reveal ? i18n.t('hide') : i18n.t('show')}
        </button>
      </TextField>
      {kind === 'newapi-user' ? (
        <TextField
          id="key-user"
          name="userId"
          inputMode="numeric"
          label={i18n.t('fieldUserId')}
          value={userId}
          onValue={setUserId}
          hint={i18n.t('fieldUserIdHint')}
          problem={problems.userId}
        />
      ) : null}
      <fieldset>
        <legend>{i18n.t('fieldThreshold')}</legend>
        <span class="inline">
          <select
            aria-label={i18n.t('fieldThreshold')}
            value={thresholdType}
            onChange={(e) => setThresholdType(e.currentTarget.value as typeof thresholdType)}
          >
            <option value="default">{i18n.t('thresholdDefault', [defaultThresholdText])}</option>
            <option value="percent">{i18n.t('thresholdPercent')}</option>
            <option value="amount">{i18n.t('thresholdAmount')}</option>
          </select>
          {thresholdType !== 'default' ? (
            <input
              aria-label={i18n.t('fieldThreshold')}
              inputMode="decimal"
              value={thresholdValue}
              onInput={(e) => setThresholdValue(e.currentTarget.value)}
              aria-invalid={!!problems.threshold}
              aria-describedby={problems.threshold ? 'problem-threshold' : undefined}
            />
          ) : null}
        </span>
        {problems.threshold ? (
          <span class="problem" id="problem-threshold" role="alert">
            {problems.threshold}
          </span>
        ) : null}
      </fieldset>
      <TextField
        id="key-interval"
        name="intervalMinutes"
        type="number"
        min={1}
        max={1440}
        label={i18n.t('fieldInterval')}
        placeholder={i18n.t('intervalDefault', [String(defaultInterval)])}
        value={interval}
        onValue={setIntervalText}
        problem={problems.interval}
      />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {initial ? i18n.t('save') : i18n.t('saveAndRead')}
        </button>
        <button type="button" onClick={submit('test')} disabled={busy}>
          {i18n.t('test')}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {i18n.t('cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
