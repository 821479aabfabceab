import { i18n } from '#i18n';
import { channelStatusItem, failingChannels } from '@/lib/alert-channels/status-item';
import { useStored } from '@/lib/storage/use-stored';

/** The popup's line when an alert channel keeps failing (automation.md §5.1): its name; the options page says why. */
export function ChannelTrouble() {
  const failing = failingChannels(useStored(channelStatusItem));
  return failing.length ? (
    <p class="problem-box" role="status" data-channel-failing>
      {i18n.t('popupChannelFailing', [failing.join(', ')])}
    </p>
  ) : null;
}
