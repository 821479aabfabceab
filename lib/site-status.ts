import { z } from 'zod';
import { DEFAULT_SITE_DISPLAY, type SiteDisplay } from './providers/newapi/units';

const positive = z.number().finite().positive();

const statusSchema = z.object({
  success: z.literal(true),
  data: z.object({
    quota_per_unit: positive.optional().catch(undefined),
    quota_display_type: z.enum(['USD', 'CNY', 'TOKENS', 'CUSTOM']).optional().catch(undefined),
    display_in_currency: z.boolean().optional().catch(undefined),
    usd_exchange_rate: positive.optional().catch(undefined),
    custom_currency_symbol: z.string().max(8).optional().catch(undefined),
    custom_currency_exchange_rate: positive.optional().catch(undefined),
  }),
});

/**
 * Reads `/api/status`. Older servers lack `quota_display_type`: fall back to
 * `display_in_currency` (false means raw tokens). Returns null for anything else.
 */
export function parseSiteDisplay(body: unknown, headers?: Headers): SiteDisplay | null {
  const parsed = statusSchema.safeParse(body);
  if (!parsed.success) return null;
  const d = parsed.data.data;
  const displayType = d.quota_display_type ?? (d.display_in_currency === false ? 'TOKENS' : 'USD');
  return {
    quotaPerUnit: d.quota_per_unit ?? DEFAULT_SITE_DISPLAY.quotaPerUnit,
    displayType,
    usdExchangeRate: d.usd_exchange_rate ?? DEFAULT_SITE_DISPLAY.usdExchangeRate,
    customSymbol: d.custom_currency_symbol?.trim() || DEFAULT_SITE_DISPLAY.customSymbol,
    customRate: d.custom_currency_exchange_rate ?? DEFAULT_SITE_DISPLAY.customRate,
    newApi: d.quota_display_type !== undefined || !!headers?.get('x-new-api-version'),
  };
}
