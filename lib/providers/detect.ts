import { hostnameOf } from '../url';
import { manifestOf, PROVIDER_IDS, type ProviderId } from './manifests';
import { bareSecret } from './secret';

// What the manifests say about recognising a key, apart from them: the popup imports the
// manifests (lib/top-up.ts, the expiry wording) and none of this.

/** The host of a site root, or '' when it is not a URL. */

/**
 * The kind `auto` can tell without asking anyone (shared/spec/automation.md §2): a
 * secret prefix (`sk_mg_`, `sk-or-`), then a provider's own host. Null means ask the
 * site (the relay kinds).
 */
export function recognise(key: { secret: string; baseUrl: string }): ProviderId | null {
  const secret = bareSecret(key.secret).toLowerCase();
  const host = hostnameOf(key.baseUrl);
  for (const id of PROVIDER_IDS) {
    const prefix = manifestOf(id).secretPrefix;
    if (prefix && secret.startsWith(prefix.toLowerCase())) return id;
  }
  for (const id of PROVIDER_IDS) if (host && manifestOf(id).hosts?.includes(host)) return id;
  return null;
}

/**
 * The relay kinds `auto` asks the site about, in the order it asks (automation.md §2):
 * by rank, or by `newApiRank` where the site's `/api/status` says it is new-api.
 */
export function probeOrder(newApi: boolean): ProviderId[] {
  const rank = (id: ProviderId) => {
    const probe = manifestOf(id).probe;
    return probe ? ((newApi ? probe.newApiRank : undefined) ?? probe.rank) : Number.POSITIVE_INFINITY;
  };
  return PROVIDER_IDS.filter((id) => manifestOf(id).probe).sort((a, b) => rank(a) - rank(b));
}

/**
 * How many characters a masked secret keeps at its start: its kind's `maskHead` when the
 * secret has that kind's prefix (`sk_mg_…` keeps 8), else 5 after `sk-`, else 3. Exports
 * without secrets are matched by these masks: a head never changes for a kind that has one.
 */
export function maskHead(secret: string): number {
  for (const id of PROVIDER_IDS) {
    const { secretPrefix, maskHead: head } = manifestOf(id);
    if (secretPrefix && head !== undefined && secret.startsWith(secretPrefix)) return head;
  }
  return secret.startsWith('sk-') ? 5 : 3;
}

/** The site root the form fills in for a kind, if it has a home. */
export const defaultSiteOf = (kind: ProviderId): string | undefined => manifestOf(kind).home;
