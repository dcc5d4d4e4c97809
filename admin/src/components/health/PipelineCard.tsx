import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { HealthResponse } from '../../../../shared/contracts/health';
import { formatDuration } from '../../format-duration';
import { useTranslate } from '../../hooks/use-translate';
import { Panel } from '../Panel';

type Health = HealthResponse['data'];

/** The collection pipeline's counters and the instances that reported in the period. */
export const PipelineCard = ({ health }: { health: Health }) => {
  const t = useTranslate();
  const { formatNumber, formatDate } = useIntl();
  const { pipeline, instances } = health;
  const counters = [
    ['accepted', formatNumber(pipeline.accepted), false],
    ['dropped', formatNumber(pipeline.dropped), pipeline.dropped > 0],
    ['flushed', formatNumber(pipeline.flushed), false],
    ['flushErrors', formatNumber(pipeline.flushErrors), pipeline.flushErrors > 0],
    [
      'rollupLag',
      pipeline.rollupLagSeconds === null ? '—' : formatDuration(pipeline.rollupLagSeconds),
      false,
    ],
  ] as const;

  return (
    <Flex gap={4} wrap="wrap" alignItems="stretch">
      <Panel
        title={t('health.pipeline.title')}
        subtitle={t('health.pipeline.scope')}
        headingGap={4}
        flex="2 1 440px"
      >
        <Flex gap={6} wrap="wrap" data-testid="health-pipeline">
          {counters.map(([key, value, bad]) => (
            <Flex
              key={key}
              direction="column"
              alignItems="flex-start"
              data-testid={`pipeline-${key}`}
            >
              <Typography variant="beta" tag="p" textColor={bad ? 'danger600' : undefined}>
                {value}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {t(`health.pipeline.${key}`)}
              </Typography>
            </Flex>
          ))}
        </Flex>
      </Panel>
      <Panel title={t('health.instances.title', { count: instances.length })} flex="1 1 280px">
        <Flex tag="ul" direction="column" alignItems="stretch" gap={2}>
          {instances.map((i) => (
            <Flex
              tag="li"
              key={i.id}
              justifyContent="space-between"
              gap={2}
              data-testid="health-instance"
            >
              <Typography ellipsis title={i.id} fontWeight="semiBold">
                {i.id}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {t('health.instances.lastSeen', {
                  time: formatDate(i.lastSeen, { timeStyle: 'short', timeZone: 'UTC' }),
                })}
              </Typography>
            </Flex>
          ))}
        </Flex>
      </Panel>
    </Flex>
  );
};
