import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { type FormDraft, sameKey } from '@/lib/key-save';
import { KEY_KINDS, type KeyConfig, type KeyKind, type ResolvedKind, type Threshold } from '@/lib/model';
import { isPlainHttp } from '@/lib/plain-http';
import { defaultSiteOf, defaultUnitOf, recognise } from '@/lib/providers';
import { kindLabel } from '@/lib/providers/labels';
import type { KindForm } from '@/lib/providers/manifest';
import { manifestOf } from '@/lib/providers/manifests';
import { bareSecret } from '@/lib/providers/secret';
import { normaliseSiteRoot } from '@/lib/site';
import { type SiteSuggestion, suggestSiteRoot } from '@/lib/site-suggest';
import { KIND_FIELDS, type Problems } from './kind-fields';
import { TextField } from './TextField';

/** What the form produces: a key without the fields the store assigns (lib/key-save.ts `FORM_FIELDS`). */
export type KeyDraft = FormDraft;

/** Units offered where the answer does not state one (automation.md §3.1 `currency`). */
const CURRENCIES = ['USD', 'CNY', 'EUR', 'JPY', 'GBP', 'HKD', 'tokens'] as const;

/** WCAG 2.5.8: the buttons this form adds are at least 24 px in both directions, whatever the font size. */
const TARGET = { minHeight: '24px', minWidth: '24px' } as const;
/** A note or offer under a field sits as close to it as the field's own lines. */
const UNDER_FIELD = { margin: '-4px 0 10px' } as const;

/**
 * Whether a secret looks like a new-api / one-api system access token rather than an API
 * key: 29–32 letters and digits, no `sk-` style prefix (shared/spec/new-api.md §0).
 * Bare new-api keys are 48 characters, so they do not match.
 */
const looksLikeAccessToken = (secret: string) => /^[A-Za-z0-9]{24,40}$/.test(bareSecret(secret));

/** The kind a read found for a key on `auto`, and the credential it read. */
export interface DetectedKind {
  kind: ResolvedKind;
  baseUrl: string;
  secret: string;
}

interface Props {
  initial?: KeyConfig;
  /** What a Test (or the stored key's last read) found `auto` to be: the Kind list names it while the form holds that credential. */
  detected?: DetectedKind | null;
  /** A custom key's endpoint answer from the last Test (redacted), shown as a tree to pick paths from. */
  probeAnswer?: unknown;
  defaultThresholdText: string;
  defaultInterval: number;
  busy: boolean;
  /** Called synchronously from the click, so the page can ask for host access within the user gesture. */
  onSubmit: (draft: KeyDraft, mode: 'save' | 'test') => void;
  onCancel?: () => void;
  /**
   * Called on every change to a field, so the page can drop a Test result that no longer
   * applies. Keep `probeAnswer`: picking a value from it changes the form too.
   */
  onChange?: () => void;
}

/** Every kind's field problems, cleared when the kind changes. */
const KIND_PROBLEMS = Object.values(KIND_FIELDS).flatMap((fields) => fields.problemKeys);
const kindFormOf = (kind: KeyKind): KindForm | undefined => (kind === 'auto' ? undefined : manifestOf(kind).form);

/** Add or edit one key. Validates before anything is sent or stored. */
export function KeyForm({
  initial,
  detected,
  probeAnswer,
  defaultThresholdText,
  defaultInterval,
  busy,
  onSubmit,
  onCancel,
  onChange,
}: Props) {
  const [label, setLabel] = useState(initial?.label ?? '');
  const [site, setSite] = useState(initial?.baseUrl ?? '');
  const [kind, setKind] = useState<KeyKind>(initial?.kind ?? 'auto');
  const [secret, setSecret] = useState(initial?.secret ?? '');
  const [reveal, setReveal] = useState(false);
  const [thresholdType, setThresholdType] = useState<'default' | Threshold['type']>(initial?.threshold?.type ?? 'default');
  const [thresholdValue, setThresholdValue] = useState(initial?.threshold?.value.toString() ?? '');
  const [interval, setIntervalText] = useState(initial?.intervalMinutes?.toString() ?? '');
  const [problems, setProblems] = useState<Problems>({});
  const [currency, setCurrency] = useState(initial?.currency ?? '');
  /** Every kind's own fields as typed (components/kind-fields/), kept across kind changes. */
  const [kindStates, setKindStates] = useState<Partial<Record<KindForm, unknown>>>(() =>
    Object.fromEntries(Object.entries(KIND_FIELDS).map(([name, fields]) => [name, fields.init(initial)])),
  );
  /** A better site address to offer with the site's problem (one click fills it). */
  const [siteOffer, setSiteOffer] = useState<SiteSuggestion | null>(null);
  /** What cleaning the pasted secret removed, said once, until the secret changes again. */
  const [secretNote, setSecretNote] = useState<string | null>(null);
  /** The control to focus after a one-click fix re-renders the form. */
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  useLayoutEffect(() => {
    if (!focusTarget) return;
    document.getElementById(focusTarget)?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  /** A field's setter that also drops that field's problem (it may be fixed now) and tells the page. */
  const edit =
    <T,>(set: (value: T) => void, ...fields: string[]) =>
    (value: T) => {
      set(value);
      if (fields.some((f) => problems[f])) {
        setProblems((current) => Object.fromEntries(Object.entries(current).filter(([f]) => !fields.includes(f))));
      }
      if (fields.includes('site')) setSiteOffer(null);
      if (fields.includes('secret')) setSecretNote(null);
      onChange?.();
    };
  const editLabel = edit(setLabel, 'label');
  const editSite = edit(setSite, 'site');
  const form = kindFormOf(kind);
  const editKindState = (name: KindForm) => (next: unknown, fields: readonly string[] | null) => {
    const set = (value: unknown) => setKindStates((current) => ({ ...current, [name]: value }));
    if (fields === null) set(next);
    else edit(set, ...fields)(next);
  };

  /** Trims a secret and drops a `Bearer ` prefix, saying what was removed; returns the clean secret. */
  const cleanSecret = (typed: string): string => {
    const clean = bareSecret(typed);
    edit(setSecret, 'secret')(clean);
    if (clean === typed) return clean;
    const removed = [
      ...(typed !== typed.trim() ? [i18n.t('secretCleanedSpaces')] : []),
      ...(/^\s*bearer\s+/i.test(typed) ? [i18n.t('secretCleanedBearer')] : []),
    ];
    setSecretNote(removed.join(' '));
    return clean;
  };
  // A pasted or dropped secret is cleaned as it arrives; a typed one when the form is sent, so
  // typing "Bearer " by hand is not cut short and nothing moves under the pointer on blur.
  const pasted = useRef(false);
  const onSecret = (value: string) => {
    if (pasted.current) cleanSecret(value);
    else edit(setSecret, 'secret')(value);
    pasted.current = false;
  };

  // The kind this key will be read as, when the form can tell: chosen, or recognised by `auto`.
  const known = kind === 'auto' ? recognise({ secret, baseUrl: normaliseSiteRoot(site) ?? '' }) : kind;
  const homeSite = known ? defaultSiteOf(known) : undefined;
  const siteRoot = normaliseSiteRoot(site.trim() === '' && homeSite ? homeSite : site);
  const hostDefaultUnit = kind !== 'auto' ? defaultUnitOf(kind, siteRoot ?? homeSite ?? '') : null;

  // "new-api API key (detected)" in place of "Detect automatically", while the form holds the credential that was read.
  const autoFound = detected && siteRoot && sameKey({ baseUrl: siteRoot, secret: bareSecret(secret) }, detected) ? detected.kind : null;

  const changeKind = (next: KeyKind) => {
    // The registry's home address follows the kind while the user has not typed another (automation.md §2).
    const previousHome = kind === 'auto' ? undefined : defaultSiteOf(kind);
    if (site.trim() === '' || site === previousHome) setSite((next !== 'auto' && defaultSiteOf(next)) || '');
    // Which fields are needed, and the home address, depend on the kind: their problems may be gone.
    edit(setKind, 'site', ...KIND_PROBLEMS)(next);
  };

  // An account's access token left on `auto`: `auto` cannot read it without the user id (automation.md §2).
  const accessTokenOnAuto = kind === 'auto' && known === null && looksLikeAccessToken(secret);
  const useAccountKind = () => {
    changeKind('newapi-user');
    setFocusTarget('key-user');
  };
  const useSiteOffer = (root: string) => {
    editSite(root);
    setFocusTarget('key-site');
  };

  const validate = (): KeyDraft | null => {
    const found: Problems = {};
    // Providers with one home (r9s.ai, OpenRouter…, shared/spec/automation.md §2): no need to type it.
    const baseUrl = siteRoot;
    if (!label.trim()) found.label = i18n.t('invalidLabel');
    const offer = site.trim() === '' ? null : suggestSiteRoot(site);
    if (offer?.reason === 'scheme') found.site = i18n.t('siteNoScheme', [offer.root]);
    else if (offer?.reason === 'api-path') found.site = i18n.t('siteApiPath', [new URL(site.trim()).pathname]);
    else if (!baseUrl) found.site = i18n.t('invalidSite');
    setSiteOffer(offer);
    const cleanedSecret = secret === bareSecret(secret) ? secret : cleanSecret(secret);
    if (!cleanedSecret) found.secret = i18n.t('invalidSecret');
    const value = Number(thresholdValue);
    if (thresholdType !== 'default' && (thresholdValue.trim() === '' || !Number.isFinite(value) || value < 0)) {
      found.threshold = i18n.t('invalidThreshold');
    }
    // The kind's own fields, as its manifest chooses them.
    const own = form ? KIND_FIELDS[form].check(kindStates[form]) : undefined;
    Object.assign(found, own?.found);
    const minutes = Number(interval.trim());
    if (interval.trim() !== '' && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440))
      found.interval = i18n.t('invalidInterval');
    setProblems(found);
    if (Object.keys(found).length || !baseUrl) return null;
    return {
      label: label.trim(),
      baseUrl,
      kind,
      secret: cleanedSecret,
      ...own?.draft,
      ...(thresholdType !== 'default' ? { threshold: { type: thresholdType, value } } : {}),
      ...(interval.trim() !== '' ? { intervalMinutes: minutes } : {}),
      ...(hostDefaultUnit !== null && currency !== '' ? { currency } : {}),
    };
  };

  // An invalid Save or Test moves focus to the first field with a problem, once the problems show.
  const formRef = useRef<HTMLFormElement>(null);
  const [refused, setRefused] = useState(0);
  useLayoutEffect(() => {
    if (refused) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refused]);

  // Save and Test are disabled while they read, and a disabled button loses focus to the page: the one pressed
  // takes it back when the read is done, unless something else took it meanwhile (a question, the key's item).
  const pressed = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (busy) return;
    const button = pressed.current;
    pressed.current = null;
    if (button?.isConnected && (!document.activeElement || document.activeElement === document.body)) button.focus();
  }, [busy]);

  const submit = (mode: 'save' | 'test') => (event: Event) => {
    event.preventDefault();
    const draft = validate();
    if (!draft) return setRefused((n) => n + 1);
    pressed.current =
      mode === 'test'
        ? (event.currentTarget as HTMLElement)
        : ((event as SubmitEvent).submitter ?? formRef.current?.querySelector('.primary') ?? null);
    onSubmit(draft, mode);
  };

  return (
    <form class="key-form" ref={formRef} onSubmit={submit('save')} noValidate>
      <TextField
        id="key-label"
        name="label"
        label={i18n.t('fieldLabel')}
        value={label}
        onValue={editLabel}
        maxLength={200}
        problem={problems.label}
      />
      <TextField
        id="key-site"
        name="baseUrl"
        type="url"
        label={i18n.t('fieldSite')}
        placeholder={homeSite ?? 'https://relay.example.com'}
        value={site}
        onValue={editSite}
        hint={i18n.t('fieldSiteHint')}
        problem={problems.site}
      />
      {problems.site && siteOffer ? (
        <p class="offer" style={UNDER_FIELD}>
          <button type="button" style={TARGET} onClick={() => useSiteOffer(siteOffer.root)}>
            {i18n.t('useSiteRoot', [siteOffer.root])}
          </button>
        </p>
      ) : null}
      {/* Always present, so screen readers announce the warning when it appears. Saving still works. */}
      <div aria-live="polite" data-site-notes>
        {siteRoot && isPlainHttp(siteRoot) ? (
          <p class="problem" style={UNDER_FIELD} data-plain-http>
            {i18n.t('sitePlainHttp')}
          </p>
        ) : null}
      </div>
      <div class="field">
        <label for="key-kind">{i18n.t('fieldKind')}</label>
        <select id="key-kind" name="kind" value={kind} onChange={(e) => changeKind(e.currentTarget.value as KeyKind)}>
          {KEY_KINDS.map((k) => (
            <option key={k} value={k}>
              {k === 'auto' && autoFound ? i18n.t('detectedKind', [kindLabel(autoFound)]) : kindLabel(k)}
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
        onValue={onSecret}
        onPaste={() => {
          pasted.current = true;
        }}
        onDrop={() => {
          pasted.current = true;
        }}
        problem={problems.secret}
      >
        <button type="button" onClick={() => setReveal(!reveal)} aria-pressed={reveal}>
          {reveal ? i18n.t('hide') : i18n.t('show')}
        </button>
      </TextField>
      {/* Always present, so screen readers announce what appears in it. */}
      <div role="status" data-secret-notes>
        {secretNote ? (
          <p class="hint" style={UNDER_FIELD}>
            {secretNote}
          </p>
        ) : null}
        {accessTokenOnAuto ? <p style={UNDER_FIELD}>{i18n.t('accessTokenOnAuto', [kindLabel('newapi-user')])}</p> : null}
      </div>
      {accessTokenOnAuto ? (
        <p class="offer" style={UNDER_FIELD}>
          <button type="button" style={TARGET} onClick={useAccountKind}>
            {i18n.t('useAccountKind')}
          </button>
        </p>
      ) : null}
      {hostDefaultUnit !== null ? (
        <div class="field">
          <label for="key-currency">{i18n.t('fieldCurrency')}</label>
          <select
            id="key-currency"
            name="currency"
            value={currency || hostDefaultUnit}
            onChange={(e) => edit(setCurrency)(e.currentTarget.value)}
            aria-describedby="key-currency-hint"
          >
            {[...new Set([hostDefaultUnit, ...CURRENCIES])].map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
          <small id="key-currency-hint">{i18n.t('currencyHint')}</small>
        </div>
      ) : null}
      {form
        ? (() => {
            const { View } = KIND_FIELDS[form];
            return (
              <View
                state={kindStates[form]}
                onState={editKindState(form)}
                problems={problems}
                probeAnswer={probeAnswer}
                currency={currency}
              />
            );
          })()
        : null}
      <fieldset>
        <legend>{i18n.t('fieldThreshold')}</legend>
        <span class="inline">
          <select
            aria-label={i18n.t('keyThresholdKind')}
            value={thresholdType}
            onChange={(e) => edit(setThresholdType, 'threshold')(e.currentTarget.value as typeof thresholdType)}
          >
            <option value="default">{i18n.t('thresholdDefault', [defaultThresholdText])}</option>
            <option value="percent">{i18n.t('thresholdPercent')}</option>
            <option value="amount">{i18n.t('thresholdAmount')}</option>
          </select>
          {thresholdType !== 'default' ? (
            <input
              aria-label={i18n.t('keyThresholdValue')}
              inputMode="decimal"
              value={thresholdValue}
              onInput={(e) => edit(setThresholdValue, 'threshold')(e.currentTarget.value)}
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
        label={i18n.t('keyInterval')}
        placeholder={i18n.t('intervalDefault', [String(defaultInterval)])}
        value={interval}
        onValue={edit(setIntervalText, 'interval')}
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
            {i18n.t('cancelEdit')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
