import type { GeneratedI18nStructure } from '../../.wxt/i18n/structure';

/** A locale key naming a kind in its own words (`kindNewapiUser`, …), in all three locales (not the shared templates). */
export type KindLabelKey = Exclude<Extract<keyof GeneratedI18nStructure, `kind${string}`>, 'kindApiKey' | 'kindApiKeyPrefixed'>;

/**
 * How a kind is named: its own locale message, or a brand put into the shared "$1 API key"
 * template (with the secret prefix when it has one), so a provider needs no locale edits.
 * `localBrand` is the brand's own name in a locale where people know it by another
 * (硅基流动 SiliconFlow), keyed by the locale's folder name.
 */
export type KindLabel = { message: KindLabelKey } | { brand: string; localBrand?: Readonly<Partial<Record<'zh_CN' | 'ja', string>>> };

/**
 * What a reading without an expiry means, and so what its row says: `reported` the answer
 * always says, and none is never ("Never expires"); `optional` only a key that has one
 * says it (nothing shown otherwise); `never-reported` the key may expire but the answer
 * cannot say ("No expiry reported"); `no-expiry` the credential does not expire (balances).
 */
export type ExpiryMeaning = 'reported' | 'optional' | 'never-reported' | 'no-expiry';

/**
 * Where a kind's sites take money: a path under the key's own site root (relay gateways),
 * or, for a provider, its console page by the API host the key reads (a proxy or a
 * regional host not listed keeps its own root).
 */
export type TopUpRule = { path: string } | { pages: Readonly<Record<string, string>> };

/** What the pages show of a kind (its row's expiry wording, its top-up page): all the popup loads of a manifest. */
export type PageFacts = Pick<Manifest, 'id' | 'expiry' | 'topUp'>;

/** Form fields a kind adds to the key form (components/kind-fields/ has one component per name). */
export type KindForm = 'account' | 'custom';

/**
 * Everything about a kind that is declared rather than computed, and nothing that needs
 * zod or the network: the popup and the stored shapes read these, the background adds
 * each provider's reader (lib/providers/index.ts). `lib/providers/manifests.ts` lists them.
 */
export interface Manifest {
  /** The backup file's `kind`. */
  id: string;
  label: KindLabel;
  /** The site root the form fills in when the user leaves it empty. */
  home?: string;
  /** The provider's own API hosts: `auto` takes a key on one of them as this kind, and top-up pages are per host. */
  hosts?: readonly string[];
  /** `auto` takes a secret starting with this (after an optional pasted `Bearer `) as this kind. */
  secretPrefix?: string;
  /**
   * A relay kind `auto` tries by asking the site (shared/spec/automation.md §2), lowest
   * rank first; `newApiRank` replaces the rank on a site whose `/api/status` says new-api.
   * A kind with no prefix, no host and no probe is never guessed: the user chooses it.
   */
  probe?: { rank: number; newApiRank?: number };
  /** No safe sign tells this kind (relays.md §7.1: no prefix, no host, a secret never tried on its route): the user chooses it. */
  userChooses?: true;
  expiry: ExpiryMeaning;
  /** Where a person adds money for a key of this kind, where known (lib/top-up.ts). */
  topUp?: TopUpRule;
  /** Characters a masked secret keeps at its start (default: 5 after `sk-`, else 3; lib/backup.ts `maskSecret`). */
  maskHead?: number;
  /** The shortest interval between scheduled reads the site asks for (relays.md §7.2); 1 minute when unset. */
  minIntervalMinutes?: number;
  /** Fields the key form adds for this kind. */
  form?: KindForm;
  /** What All API Hub backups call this kind (shared/spec/imports.md §D.1.4 site types, §D.1.5 telemetry modes). */
  allApiHub?: { siteTypes?: readonly string[]; telemetryModes?: readonly string[] };
}
