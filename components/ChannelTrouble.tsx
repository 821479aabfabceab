import { i18n } from '#i18n';
import type { ChannelStatuses } from '@/lib/alert-channels/deliver';
import { failingChannels } from '@/lib/alert-channels/failing';

/** The popup's line when an alert channel keeps failing (automation.md §5.1): its name; the options page says why. */
export function ChannelTrouble({ statuses }: { statuses: ChannelStatuses | null | undefined }) {
  const failing = failingChannels(statuses);
  return failing.length ? (
    <p class="problem-box" role="status" data-channel-failing>
      {i18n.t('popupChannelFailing', [failing.join(', ')])}
    </p>
  ) : null;
}
