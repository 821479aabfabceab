import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { type CustomMapping, KEY_KINDS, type KeyConfig, type KeyKind, type Threshold } from '@/lib/model';
import { isPlainHttp } from '@/lib/plain-http';
import { defaultSiteOf, defaultUnitOf, recognise } from '@/lib/providers';
import { mapAnswer } from '@/lib/providers/custom';
import { customMappingSchema } from '@/lib/providers/fields';
import { kindLabel } from '@/lib/providers/labels';
import { bareSecret } from '@/lib/providers/secret';
import { normaliseSiteRoot, type SiteSuggestion, suggestSiteRoot } from '@/lib/site';
import { plainDecimal } from '@/lib/units';
import { JsonTree } from './JsonTree';
import { TextField } from './TextField';

/** What the form produces: a key without the fields the store assigns. */
export type KeyDraft = Pick<
  KeyConfig,
  'label' | 'baseUrl' | 'kind' | 'secret' | 'userId' | 'watchTokens' | 'threshold' | 'intervalMinutes' | 'currency' | 'custom'
>;

/** Units offered where the answer does not state one (automation.md §3.1 `currency`). */
const CURRENCIES = ['USD', 'CNY', 'EUR', 'JPY', 'GBP', 'HKD', 'tokens'] as const;
/** Where each figure is, in the order the form shows them. */
const FIGURES = ['remaining', 'granted', 'used', 'unlimited', 'expiresAt'] as const;
type Figure = (typeof FIGURES)[number];
const FIGURE_LABEL: Record<Figure, () => string> = {
  remaining: () => i18n.t('fieldCustomRemaining'),
  granted: () => i18n.t('fieldCustomGranted'),
  used: () => i18n.t('fieldCustomUsed'),
  unlimited: () => i18n.t('fieldCustomUnlimited'),
  expiresAt: () => i18n.t('fieldCustomExpiresAt'),
};

/** WCAG 2.5.8: the buttons this form adds are at least 24 px in both directions, whatever the font size. */
const TARGET = { minHeight: '24px', minWidth: '24px' } as const;
/** A note or offer under a field sits as close to it as the field's own lines. */
const UNDER_FIELD = { margin: '-4px 0 10px' } as const;

/** `Name: value` lines → headers; null when a line is not a header. */
function parseHeaders(text: string): Record<string, string> | null {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!match?.[1]) return null;
    headers[match[1]] = match[2] ?? '';
  }
  return headers;
}
const headerLines = (headers: Record<string, string> | undefined) =>
  Object.entries(headers ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');

/**
 * Whether a secret looks like a new-api / one-api system access token rather than an API
 * key: 29–32 letters and digits, no `sk-` style prefix (shared/spec/new-api.md §0).
 * Bare new-api keys are 48 characters, so they do not match.
 */
const looksLikeAccessToken = (secret: string) => /^[A-Za-z0-9]{24,40}$/.test(bareSecret(secret));

interface Props {
  initial?: KeyConfig;
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

type Field = 'label' | 'site' | 'secret' | 'userId' | 'threshold' | 'interval' | 'customPath' | 'headers' | 'figures' | 'scale';

/** Add or edit one key. Validates before anything is sent or stored. */
export function KeyForm({ initial, probeAnswer, defaultThresholdText, defaultInterval, busy, onSubmit, onCancel, onChange }: Props) {
  const [label, setLabel] = useState(initial?.label ?? '');
  const [site, setSite] = useState(initial?.baseUrl ?? '');
  const [kind, setKind] = useState<KeyKind>(initial?.kind ?? 'auto');
  const [secret, setSecret] = useState(initial?.secret ?? '');
  const [reveal, setReveal] = useState(false);
  const [userId, setUserId] = useState(initial?.userId?.toString() ?? '');
  const [watchTokens, setWatchTokens] = useState(initial ? !!initial.watchTokens : true); // on by default when adding
  const [thresholdType, setThresholdType] = useState<'default' | Threshold['type']>(initial?.threshold?.type ?? 'default');
  const [thresholdValue, setThresholdValue] = useState(initial?.threshold?.value.toString() ?? '');
  const [interval, setIntervalText] = useState(initial?.intervalMinutes?.toString() ?? '');
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [currency, setCurrency] = useState(initial?.currency ?? '');
  const [customPath, setCustomPath] = useState(initial?.custom?.path ?? '');
  const [headers, setHeaders] = useState(headerLines(initial?.custom?.headers));
  const [figures, setFigures] = useState<Record<Figure, string>>(
    Object.fromEntries(FIGURES.map((f) => [f, initial?.custom?.[f] ?? ''])) as Record<Figure, string>,
  );
  const [scale, setScale] = useState(initial?.custom?.scale?.toString() ?? '');
  const [editingFigure, setEditingFigure] = useState<Figure>('remaining');
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
    <T,>(set: (value: T) => void, ...fields: Field[]) =>
    (value: T) => {
      set(value);
      if (fields.some((f) => problems[f])) {
        setProblems((current) => Object.fromEntries(Object.entries(current).filter(([f]) => !fields.includes(f as Field))));
      }
      if (fields.includes('site')) setSiteOffer(null);
      if (fields.includes('secret')) setSecretNote(null);
      onChange?.();
    };
  const editLabel = edit(setLabel, 'label');
  const editSite = edit(setSite, 'site');
  const editUserId = edit(setUserId, 'userId');
  const editFigures = edit(setFigures, 'figures');

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

  /** The custom mapping as typed, or what is wrong with it. */
  const customDraft = (): { mapping?: CustomMapping; preview?: CustomMapping; found: Partial<Record<Field, string>> } => {
    const found: Partial<Record<Field, string>> = {};
    if (!customPath.trim().startsWith('/')) found.customPath = i18n.t('invalidCustomPath');
    const parsedHeaders = parseHeaders(headers);
    if (!parsedHeaders) found.headers = i18n.t('invalidCustomHeaders');
    const scaleValue = Number(scale.trim());
    if (scale.trim() !== '' && !(Number.isFinite(scaleValue) && scaleValue > 0)) found.scale = i18n.t('invalidCustomScale');
    const chosen = Object.fromEntries(FIGURES.filter((f) => figures[f].trim() !== '').map((f) => [f, figures[f].trim()]));
    const mapping = {
      path: customPath.trim(),
      ...(parsedHeaders && Object.keys(parsedHeaders).length ? { headers: parsedHeaders } : {}),
      ...chosen,
      ...(scale.trim() !== '' ? { scale: scaleValue } : {}),
    };
    if (!chosen.remaining && !(chosen.granted && chosen.used)) found.figures = i18n.t('invalidCustomFigures');
    const checked = customMappingSchema.safeParse(mapping);
    // The figures alone, for reading a tested answer before the rest is filled in.
    const preview = customMappingSchema.safeParse({ ...mapping, path: '/', headers: undefined });
    return {
      ...(checked.success ? { mapping: checked.data } : {}),
      ...(preview.success ? { preview: preview.data } : {}),
      found,
    };
  };

  const changeKind = (next: KeyKind) => {
    // The registry's home address follows the kind while the user has not typed another (automation.md §2).
    const previousHome = kind === 'auto' ? undefined : defaultSiteOf(kind);
    if (site.trim() === '' || site === previousHome) setSite((next !== 'auto' && defaultSiteOf(next)) || '');
    // Which fields are needed, and the home address, depend on the kind: their problems may be gone.
    edit(setKind, 'site', 'userId', 'customPath', 'headers', 'figures', 'scale')(next);
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
    const found: Partial<Record<Field, string>> = {};
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
    const id = Number(userId.trim());
    const needsUser = kind === 'newapi-user';
    if (needsUser && !(Number.isInteger(id) && id > 0)) found.userId = i18n.t('invalidUserId');
    const value = Number(thresholdValue);
    if (thresholdType !== 'default' && (thresholdValue.trim() === '' || !Number.isFinite(value) || value < 0)) {
      found.threshold = i18n.t('invalidThreshold');
    }
    const custom = kind === 'custom' ? customDraft() : undefined;
    Object.assign(found, custom?.found);
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
      ...(needsUser ? { userId: id, watchTokens } : {}),
      ...(thresholdType !== 'default' ? { threshold: { type: thresholdType, value } } : {}),
      ...(interval.trim() !== '' ? { intervalMinutes: minutes } : {}),
      ...(hostDefaultUnit !== null && currency !== '' ? { currency } : {}),
      ...(custom?.mapping ? { custom: custom.mapping } : {}),
    };
  };

  const mapped =
    kind === 'custom' && probeAnswer !== undefined
      ? (() => {
          const { preview } = customDraft();
          return preview ? mapAnswer(probeAnswer, preview, { currency } as KeyConfig, Date.now()) : null;
        })()
      : null;

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
      {kind === 'newapi-user' ? (
        <TextField
          id="key-user"
          name="userId"
          inputMode="numeric"
          label={i18n.t('fieldUserId')}
          value={userId}
          onValue={editUserId}
          hint={i18n.t('fieldUserIdHint')}
          problem={problems.userId}
        />
      ) : null}
      {kind === 'newapi-user' ? (
        <label class="check">
          <input type="checkbox" checked={watchTokens} onChange={(e) => edit(setWatchTokens)(e.currentTarget.checked)} />{' '}
          {i18n.t('watchTokens')}
        </label>
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
      {kind === 'custom' ? (
        <fieldset class="custom-mapping">
          <legend>{kindLabel('custom')}</legend>
          <TextField
            id="key-custom-path"
            name="customPath"
            label={i18n.t('fieldCustomPath')}
            placeholder="/api/balance"
            value={customPath}
            onValue={edit(setCustomPath, 'customPath')}
            hint={i18n.t('fieldCustomPathHint')}
            problem={problems.customPath}
          />
          <div class="field">
            <label for="key-custom-headers">{i18n.t('fieldCustomHeaders')}</label>
            <textarea
              id="key-custom-headers"
              name="customHeaders"
              rows={2}
              spellcheck={false}
              placeholder="X-Api-Key: {secret}"
              value={headers}
              onInput={(e) => edit(setHeaders, 'headers')(e.currentTarget.value)}
              aria-invalid={!!problems.headers}
              aria-describedby={`key-custom-headers-hint${problems.headers ? ' key-custom-headers-problem' : ''}`}
            />
            <small id="key-custom-headers-hint">{i18n.t('fieldCustomHeadersHint', ['{secret}'])}</small>
            {problems.headers ? (
              <span class="problem" id="key-custom-headers-problem" role="alert">
                {problems.headers}
              </span>
            ) : null}
          </div>
          {FIGURES.map((figure) => (
            <TextField
              key={figure}
              id={`key-custom-${figure}`}
              name={figure}
              spellcheck={false}
              label={FIGURE_LABEL[figure]()}
              value={figures[figure]}
              onValue={(value) => editFigures({ ...figures, [figure]: value })}
              onFocus={() => setEditingFigure(figure)}
              hint={figure === 'remaining' ? i18n.t('fieldCustomFigureHint') : undefined}
              problem={figure === 'remaining' ? problems.figures : undefined}
            />
          ))}
          <TextField
            id="key-custom-scale"
            name="scale"
            inputMode="decimal"
            label={i18n.t('fieldCustomScale')}
            placeholder="1"
            value={scale}
            onValue={edit(setScale, 'scale')}
            problem={problems.scale}
          />
          {probeAnswer !== undefined ? (
            <div class="custom-answer">
              <section aria-labelledby="custom-answer-heading">
                <h3 id="custom-answer-heading">{i18n.t('customAnswerHeading')}</h3>
                <p>{i18n.t('customAnswerHint', [FIGURE_LABEL[editingFigure]()])}</p>
                <JsonTree value={probeAnswer} onPick={(pointer) => editFigures({ ...figures, [editingFigure]: pointer })} />
              </section>
              <section aria-labelledby="custom-mapped-heading" data-mapped>
                <h3 id="custom-mapped-heading">{i18n.t('customMappedHeading')}</h3>
                {mapped === null ? (
                  <p role="status">{i18n.t('invalidCustomFigures')}</p>
                ) : mapped.ok ? (
                  <dl>
                    {(['remaining', 'granted', 'used'] as const).map((figure) => (
                      <div key={figure}>
                        <dt>{FIGURE_LABEL[figure]()}</dt>
                        <dd data-figure={figure}>
                          {mapped.reading[figure] === null
                            ? '—'
                            : `${plainDecimal(mapped.reading[figure] ?? 0)} ${mapped.reading.unit.code}`}
                        </dd>
                      </div>
                    ))}
                    <div>
                      <dt>{FIGURE_LABEL.unlimited()}</dt>
                      <dd data-figure="unlimited">{String(mapped.reading.unlimited)}</dd>
                    </div>
                    <div>
                      <dt>{FIGURE_LABEL.expiresAt()}</dt>
                      <dd data-figure="expiresAt">
                        {mapped.reading.expiresAt === null ? '—' : new Date(mapped.reading.expiresAt * 1000).toISOString()}
                      </dd>
                    </div>
                  </dl>
                ) : (
                  <p role="alert">{mapped.error.message}</p>
                )}
              </section>
            </div>
          ) : null}
        </fieldset>
      ) : null}
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
