import type { Unit } from './model';

/** A new-api / one-api site's display settings, from `/api/status` (shared/spec/new-api.md §3). */
export interface SiteDisplay {
  quotaPerUnit: number;
  displayType: 'USD' | 'CNY' | 'TOKENS' | 'CUSTOM';
  usdExchangeRate: number;
  customSymbol: string;
  customRate: number;
  /** The site said it is new-api (`quota_display_type` or `X-New-Api-Version`, shared/spec/new-api.md §3, §6.3). */
  newApi: boolean;
}

/** What a site that never answered `/api/status` is assumed to use: new-api's defaults. */
export const DEFAULT_SITE_DISPLAY: SiteDisplay = {
  quotaPerUnit: 500_000,
  displayType: 'USD',
  usdExchangeRate: 7.3,
  customSymbol: '¤',
  customRate: 1,
  newApi: false,
};

/** The unit a site shows quota in (what its web UI shows). */
export function quotaUnit(site: SiteDisplay): Unit {
  switch (site.displayType) {
    case 'CNY':
      return { code: 'CNY' };
    case 'TOKENS':
      return { code: 'tokens' };
    case 'CUSTOM':
      return { code: 'custom', symbol: site.customSymbol };
    default:
      return { code: 'USD' };
  }
}

/** Converts raw quota units to the site's display unit (new-api `renderQuota`). */
export function quotaToDisplay(quota: number, site: SiteDisplay): number {
  switch (site.displayType) {
    case 'TOKENS':
      return quota;
    case 'CNY':
      return (quota / site.quotaPerUnit) * site.usdExchangeRate;
    case 'CUSTOM':
      return (quota / site.quotaPerUnit) * site.customRate;
    default:
      return quota / site.quotaPerUnit;
  }
}

/**
 * The unit of the billing endpoints' `*_usd` fields: they follow the display type,
 * except CUSTOM, which the billing API reports as USD (shared/spec/new-api.md §2.2, §9.10).
 */
export function billingUnit(site: SiteDisplay): Unit {
  return site.displayType === 'CUSTOM' ? { code: 'USD' } : quotaUnit(site);
}

/** Removes binary-float noise (`29.999999999999996`, `1e-7`) by rounding to 6 decimals. */
export function clean(value: number): number {
  // Beyond 2^53 / 1e6 there are no decimals left to clean, and scaling could overflow.
  if (!Number.isFinite(value) || Math.abs(value) > 9e9) return value;
  const rounded = Math.round(value * 1e6) / 1e6;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** A number as a plain decimal string, never in exponent form: `8.5`, `0`, `-3.25`. */
export function plainDecimal(value: number): string {
  if (!Number.isFinite(value)) return '';
  const fixed = clean(value).toFixed(6);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
