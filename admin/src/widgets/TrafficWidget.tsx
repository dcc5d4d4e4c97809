import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { PeriodChange } from '../components/PeriodChange';
import { Sparkline } from '../components/Sparkline';
import { useTranslate } from '../hooks/use-translate';
import { PluginQueries } from '../plugin-queries';
import { WeekOverviewState } from './WidgetState';

/** A number of the week and its change against the 7 days before. */
const Figure = ({
  name,
  value,
  previous,
}: {
  name: 'views' | 'visitors';
  value: number;
  previous: number;
}) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  return (
    <Flex direction="column" alignItems="flex-start" gap={1} data-testid={`widget-traffic-${name}`}>
      <Typography variant="sigma" textColor="neutral600">
        {t(`widget.traffic.${name}`)}
      </Typography>
      <Typography variant="alpha" tag="p" data-testid="widget-value">
        {formatNumber(value)}
      </Typography>
      <PeriodChange
        value={value}
        previous={previous}
        texts={{ change: 'widget.change', none: 'widget.noComparison' }}
        testId="widget-change"
      />
    </Flex>
  );
};

const Traffic = () => {
  const t = useTranslate();
  return (
    <WeekOverviewState
      hasData={(o) => o.totals.pageviews + o.previous.pageviews > 0}
      noData={t('widget.noData')}
    >
      {(o) => (
        <Flex direction="column" alignItems="stretch" gap={4} width="100%">
          <Flex gap={6} wrap="wrap">
            <Figure name="views" value={o.totals.pageviews} previous={o.previous.pageviews} />
            <Figure name="visitors" value={o.totals.visitors} previous={o.previous.visitors} />
          </Flex>
          <Box>
            <Sparkline
              values={o.series.map((p) => p.pageviews)}
              label={t('widget.traffic.chart')}
              width={280}
              height={48}
            />
          </Box>
        </Flex>
      )}
    </WeekOverviewState>
  );
};

/** Homepage widget "Traffic, last 7 days": views and visitors with their change and a chart. */
const TrafficWidget = () => (
  <PluginQueries>
    <Traffic />
  </PluginQueries>
);

export default TrafficWidget;
