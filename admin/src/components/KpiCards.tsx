import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Totals } from '../../../shared/contracts/stats';
import { formatDuration } from '../format-duration';
import { useTranslate } from '../hooks/use-translate';
import { shownChange } from '../range-presets';
import { Panel } from './Panel';

interface Kpi {
  key: 'pageviews' | 'visitors' | 'sessions' | 'bounceRate' | 'avgEngagedSeconds';
  /** For bounce rate a rise is bad news. */
  lowerIsBetter?: boolean;
}

const KPIS: Kpi[] = [
  { key: 'pageviews' },
  { key: 'visitors' },
  { key: 'sessions' },
  { key: 'bounceRate', lowerIsBetter: true },
  { key: 'avgEngagedSeconds' },
];

/** The five headline numbers, each with its change against the previous period. */
export const KpiCards = ({ totals, previous }: { totals: Totals; previous: Totals }) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();

  const show = (key: Kpi['key'], value: number | null) => {
    if (value === null) return '—';
    if (key === 'bounceRate') return `${formatNumber(value, { maximumFractionDigits: 1 })} %`;
    if (key === 'avgEngagedSeconds') return formatDuration(value);
    return formatNumber(value);
  };

  return (
    <Flex gap={4} wrap="wrap" alignItems="stretch">
      {KPIS.map(({ key, lowerIsBetter }) => {
        const change = shownChange(totals[key], previous[key]);
        const good = change !== null && (lowerIsBetter ? change < 0 : change > 0);
        return (
          <Box key={key} flex="1 1 180px">
            <Panel height="100%" testId={`kpi-${key}`}>
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography variant="sigma" textColor="neutral600">
                  {t(`kpi.${key}`)}
                </Typography>
                <Typography variant="alpha" tag="p" data-testid="kpi-value">
                  {show(key, totals[key])}
                </Typography>
                <Typography
                  variant="pi"
                  textColor={
                    change === null || change === 0
                      ? 'neutral600'
                      : good
                        ? 'success600'
                        : 'danger600'
                  }
                >
                  {change === null
                    ? t('kpi.noComparison')
                    : t('kpi.change', {
                        change: formatNumber(change, {
                          style: 'percent',
                          maximumFractionDigits: 0,
                          signDisplay: 'exceptZero',
                        }),
                      })}
                </Typography>
              </Flex>
            </Panel>
          </Box>
        );
      })}
    </Flex>
  );
};
