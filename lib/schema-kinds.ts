/**
 * The kinds a stored key may have: `auto` and the provider registry's
 * (lib/providers/index.ts), in its order. Spelt out here, with no imports, so the
 * stored shapes (lib/schema.ts) and the popup's cheap checks (lib/stored-shape.ts)
 * need neither the registry nor zod. lib/model.ts fails to compile, and
 * tests/schema.test.ts fails, when a provider is added and not named here.
 */
export const STORED_KINDS = [
  'auto',
  'newapi-token',
  'openai-billing',
  'newapi-user',
  'r9s-manager',
  'openrouter',
  'deepseek',
  'moonshot',
  'siliconflow',
  'stepfun',
  'custom',
] as const;

/** A kind the registry reads (every stored kind but `auto`). */
export type StoredResolvedKind = Exclude<(typeof STORED_KINDS)[number], 'auto'>;
