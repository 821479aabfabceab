import { z } from 'zod';
import type { CustomMapping } from '../model';

/** A JSON Pointer (`/a/0/b`) or a dot path (`a.0.b`), as `custom` mappings take them (automation.md §3.1). */
const figurePath = z.string().trim().min(1, 'must not be empty').max(500, 'is longer than 500 characters');

/** How a `custom` key reads its endpoint (automation.md §3.1). */
export const customMappingSchema = z
  .object({
    path: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(500, 'is longer than 500 characters')
      .refine((p) => p.startsWith('/'), 'must start with /'),
    headers: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a header name'),
        z
          .string()
          .max(4096)
          .refine((v) => !/[\r\n\0]/.test(v), 'must be one line'),
      )
      .optional(),
    remaining: figurePath.optional(),
    granted: figurePath.optional(),
    used: figurePath.optional(),
    unlimited: figurePath.optional(),
    expiresAt: figurePath.optional(),
    scale: z.number().finite().positive('must be greater than 0').optional(),
  })
  .refine((m) => m.remaining !== undefined || (m.granted !== undefined && m.used !== undefined), {
    message: 'needs "remaining", or "granted" with "used"',
  }) satisfies z.ZodType<CustomMapping>;

/** An ISO 4217 code or `tokens`; lower-case codes are taken as upper-case. */
export const currencySchema = z
  .string()
  .trim()
  .transform((c) => (c.toLowerCase() === 'tokens' ? 'tokens' : c.toUpperCase()))
  .refine((c) => c === 'tokens' || /^[A-Z]{3}$/.test(c), 'must be an ISO 4217 code such as USD or CNY, or "tokens"');

/** No extra fields. */
export const noFields = z.object({});
/** The optional unit of providers whose answer does not state one. */
export const currencyField = z.object({ currency: currencySchema.optional() });
