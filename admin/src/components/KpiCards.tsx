import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Totals } from '../../../shared/contracts/stats';
import { formatDuration } from '../format-duration';
import { useTranslate } from '../hooks/use-translate';
import { Panel } from './Panel';
import { PeriodChange } from './PeriodChange';

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
      {KPIS.map(({ key, lowerIsBetter }) => (
        <Box key={key} flex="1 1 180px">
          <Panel height="100%" testId={`kpi-${key}`}>
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="sigma" textColor="neutral600">
                {t(`kpi.${key}`)}
              </Typography>
              <Typography variant="alpha" tag="p" data-testid="kpi-value">
                {show(key, totals[key])}
              </Typography>
              <PeriodChange
                value={totals[key]}
                previous={previous[key]}
                lowerIsBetter={lowerIsBetter}
                texts={{ change: 'kpi.change', none: 'kpi.noComparison' }}
              />
            </Flex>
          </Panel>
        </Box>
      ))}
    </Flex>
  );
};
