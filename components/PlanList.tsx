import { i18n } from '#i18n';
import { formatAmount, formatDuration } from '@/lib/format';
import type { Unit } from '@/lib/model';
import type { PlanReading } from '@/lib/providers/newapi/plans';
import { plainDecimal } from '@/lib/units';

interface Props {
  plans: readonly PlanReading[];
  unit: Unit;
  now: number;
  locale: string;
}

/**
 * An account's active subscription plans (new-api-accounts.md §B), apart from the
 * wallet: what is left in the current window, when it resets, when the plan ends.
 */
export function PlanList({ plans, unit, now, locale }: Props) {
  return (
    <ul class="plans" aria-label={i18n.t('plansHeading')}>
      {plans.map((plan) => {
        const title = plan.title ?? i18n.t('planFallbackTitle', [String(plan.planId)]);
        const left =
          plan.unlimited || plan.remaining === null || plan.total === null
            ? i18n.t('planUnlimited')
            : i18n.t('planLeft', [formatAmount(plan.remaining, unit, locale), formatAmount(plan.total, unit, locale)]);
        const endsSoon = plan.endsAt * 1000 - now < 7 * 86_400_000;
        return (
          <li
            key={plan.id}
            class="plan"
            data-plan=""
            data-title={title}
            data-remaining={plan.remaining === null ? '' : plainDecimal(plan.remaining)}
            data-resets-at={plan.resetsAt ?? ''}
            data-ends-at={plan.endsAt}
          >
            <span class="plan-title">{title}</span> <span class="plan-left">{left}</span>
            {plan.resetsAt !== null && plan.resetsAt * 1000 > now ? (
              <span class="plan-reset"> · {i18n.t('planResetsIn', [formatDuration(plan.resetsAt * 1000 - now, locale)])}</span>
            ) : null}
            <span class={endsSoon ? 'plan-end warn' : 'plan-end'}>
              {' '}
              · {i18n.t('planEndsIn', [formatDuration(Math.max(0, plan.endsAt * 1000 - now), locale)])}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
