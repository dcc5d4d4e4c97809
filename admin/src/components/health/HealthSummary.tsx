import { Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { HealthResponse } from '../../../../shared/contracts/health';
import { useTranslate } from '../../hooks/use-translate';
import { StatCard } from './StatCard';

type Health = HealthResponse['data'];

/** Requests, error rate, and uptime against the SLO with what is left of the error budget. */
export const HealthSummary = ({ health }: { health: Health }) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const pct = (v: number | null, digits = 2) =>
    v === null ? '—' : `${formatNumber(v, { maximumFractionDigits: digits })} %`;
  const { totals, uptime } = health;
  const budget = uptime.errorBudgetRemaining;

  return (
    <Flex gap={4} wrap="wrap" alignItems="stretch">
      <StatCard
        testId="health-requests"
        label={t('health.requests')}
        value={formatNumber(totals.requests)}
        note={t('health.clientErrors', { count: formatNumber(totals.clientErrors) })}
      />
      <StatCard
        testId="health-error-rate"
        label={t('health.errorRate')}
        value={pct(100 * health.errorRate)}
        tone={health.errorRate > 0 ? 'bad' : 'neutral'}
        note={t('health.serverErrors', { count: formatNumber(totals.errors) })}
      />
      <StatCard
        testId="health-availability"
        label={t('health.availability')}
        value={pct(uptime.availability, 3)}
        tone={
          uptime.availability === null
            ? 'neutral'
            : uptime.availability >= uptime.slo
              ? 'good'
              : 'bad'
        }
        note={t('health.slo', {
          slo: formatNumber(uptime.slo),
          healthy: formatNumber(uptime.healthyMinutes),
          minutes: formatNumber(uptime.minutes),
        })}
      />
      <StatCard
        testId="health-error-budget"
        label={t('health.errorBudget')}
        value={pct(budget, 1)}
        tone={budget === null ? 'neutral' : budget < 0 ? 'bad' : 'good'}
        note={t('health.requestSli', { sli: pct(uptime.requestSli, 3) })}
      />
    </Flex>
  );
};
