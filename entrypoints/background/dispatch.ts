/**
 * The background's one message dispatcher (issue #19, item 7). Every message a page
 * sends goes through the same three steps, so no handler can skip one: a sender that is
 * not this extension's own page is refused, then the migrations of stored data
 * (`ready`) are waited for, then the message's handler runs. Handlers are declared as a
 * typed table with one entry per message (lib/messages.ts), so a new message cannot be
 * left unhandled either.
 */
import type { Browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { type Answer, type BackgroundMessage, onMessage, type Request } from '@/lib/messages';
import { NewerStorageError, STORAGE_VERSION } from '@/lib/storage/migrations';

/** What the background does with each message: gets its data, gives its answer. */
export type MessageHandlers = {
  [K in BackgroundMessage]: (data: Request<K>) => Answer<K> | Promise<Answer<K>>;
};

export interface DispatchDeps {
  /** Whether a sender is this extension's own page (entrypoints/background/wiring.ts `isFromThisExtension`). */
  trusts: (sender: Browser.runtime.MessageSender) => boolean;
  /** Settles when stored data is in the current layout (lib/storage/migrations.ts). */
  ready: Promise<unknown>;
}

/** What a refused sender is told (and all it is told). */
export const REFUSED = 'refused';

/**
 * Waits for `ready`. Stored data of a newer layout refuses every message with the words the
 * pages show for it (StorageProblem), in the language chosen: the page shows this text as
 * the outcome of a Save, Test or Import.
 */
const waitFor = (ready: Promise<unknown>) =>
  ready.catch((error: unknown) => {
    throw error instanceof NewerStorageError ? new Error(i18n.t('storedNewer', [String(error.found), String(STORAGE_VERSION)])) : error;
  });

/** Registers every handler of the table (synchronously: a message may be what wakes the worker); returns a function that removes them. */
export function dispatch(handlers: MessageHandlers, { trusts, ready }: DispatchDeps): () => void {
  const stops = (Object.keys(handlers) as BackgroundMessage[]).map((type) =>
    onMessage(type, async ({ data, sender }) => {
      if (!trusts(sender)) throw new Error(REFUSED);
      await waitFor(ready);
      return (handlers[type] as (data: unknown) => unknown)(data) as never;
    }),
  );
  return () => {
    for (const stop of stops) stop();
  };
}
