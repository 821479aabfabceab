import type { Unit } from '../../model';

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
