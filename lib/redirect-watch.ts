/**
 * Where a site's redirect points. An extension's `fetch` with `redirect: 'manual'` gets
 * an opaque redirect and never sees `Location` (https://fetch.spec.whatwg.org/#concept-filtered-response-opaque-redirect),
 * but the browser's `webRequest.onHeadersReceived` reports the 3xx with its headers for
 * sites the extension has access to. The background feeds those reports in here, and
 * lib/http.ts asks where a redirect it got went, so a cross-origin redirect, an upgrade
 * to https and a loop are told apart without following anything (issue #15, item 5).
 *
 * A report says only its URL, so two reads of one URL at once could take each other's:
 * each request to a URL is watched in turn (`watch` waits for the one before to finish),
 * and a report that comes while nobody watches that URL is ignored.
 */

/** How long a watched request waits for its report after its answer came. */
export const ASK_WAITS_MS = 1_000;

/** One request being watched: where it was redirected, once it has an answer. */
export interface WatchedRequest {
  /** The absolute target of its redirect; null when no report comes within `waitMs`. */
  target(waitMs?: number): Promise<string | null>;
  /** The request is over: the next one to the same URL may be watched. */
  done(): void;
}

export interface RedirectWatch {
  /** A 3xx answer for `url` with its `Location` header, as the browser reported it. */
  record(url: string, location: string): void;
  /** Watches the next request to `url`; resolves when no other request to it is being watched. */
  watch(url: string): Promise<WatchedRequest>;
}

export function createRedirectWatch(): RedirectWatch {
  /** The request to each URL being watched: its report (once come) and who waits for it. */
  const watching = new Map<string, { report: string | null; waiting: ((target: string) => void) | null }>();
  /** Each URL's turn: the promise the next request to it waits for. */
  const turns = new Map<string, Promise<void>>();

  return {
    record(url, location) {
      const current = watching.get(url);
      if (!current || current.report !== null) return;
      try {
        current.report = new URL(location, url).href;
      } catch {
        return;
      }
      current.waiting?.(current.report);
    },

    async watch(url) {
      const before = turns.get(url) ?? Promise.resolve();
      let finish!: () => void;
      const mine = new Promise<void>((resolve) => (finish = resolve));
      turns.set(url, mine);
      await before;
      const current = { report: null as string | null, waiting: null as ((target: string) => void) | null };
      watching.set(url, current);
      let over = false;
      return {
        target(waitMs = ASK_WAITS_MS) {
          if (current.report !== null) return Promise.resolve(current.report);
          return new Promise((resolve) => {
            const timer = setTimeout(() => resolve(null), waitMs);
            current.waiting = (target) => {
              clearTimeout(timer);
              resolve(target);
            };
          });
        },
        done() {
          if (over) return;
          over = true;
          if (watching.get(url) === current) watching.delete(url);
          if (turns.get(url) === mine) turns.delete(url);
          finish();
        },
      };
    },
  };
}
