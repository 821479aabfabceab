/**
 * Where a site's redirect points. An extension's `fetch` with `redirect: 'manual'` gets
 * an opaque redirect and never sees `Location` (https://fetch.spec.whatwg.org/#concept-filtered-response-opaque-redirect),
 * but the browser's `webRequest.onHeadersReceived` reports the 3xx with its headers for
 * sites the extension has access to. The background feeds those reports in here, and
 * lib/http.ts asks where a redirect it got went, so a cross-origin redirect, an upgrade
 * to https and a loop are told apart without following anything (issue #15, item 5).
 */

/** How long a report waits to be asked for, and how long an ask waits for its report. */
export const REPORT_KEPT_MS = 10_000;
export const ASK_WAITS_MS = 1_000;

export interface RedirectWatch {
  /** A 3xx answer for `url` with its `Location` header, as the browser reported it. */
  record(url: string, location: string): void;
  /** The absolute target of the last redirect reported for `url`; null when none comes within `waitMs`. */
  target(url: string, waitMs?: number): Promise<string | null>;
}

export function createRedirectWatch(now: () => number = Date.now): RedirectWatch {
  const reports = new Map<string, { target: string; at: number }>();
  const asks = new Map<string, ((target: string) => void)[]>();

  const forgetOld = () => {
    for (const [url, report] of reports) if (now() - report.at > REPORT_KEPT_MS) reports.delete(url);
  };

  return {
    record(url, location) {
      let target: string;
      try {
        target = new URL(location, url).href;
      } catch {
        return;
      }
      const waiting = asks.get(url);
      if (waiting?.length) {
        asks.delete(url);
        for (const answer of waiting) answer(target);
        return;
      }
      forgetOld();
      reports.set(url, { target, at: now() });
    },

    target(url, waitMs = ASK_WAITS_MS) {
      forgetOld();
      const report = reports.get(url);
      if (report) {
        reports.delete(url);
        return Promise.resolve(report.target);
      }
      return new Promise((resolve) => {
        const answer = (target: string | null) => {
          clearTimeout(timer);
          resolve(target);
        };
        const timer = setTimeout(() => {
          asks.set(
            url,
            (asks.get(url) ?? []).filter((a) => a !== answer),
          );
          resolve(null);
        }, waitMs);
        asks.set(url, [...(asks.get(url) ?? []), answer]);
      });
    },
  };
}
