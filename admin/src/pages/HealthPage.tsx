import {
  Box,
  Field,
  Flex,
  Main,
  SingleSelect,
  SingleSelectOption,
  Typography,
} from '@strapi/design-system';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';
import { useSearchParams } from 'react-router-dom';
import { PLUGIN_ID } from '../../../shared/permissions';
import { useHealth } from '../api/health';
import { Panel } from '../components/Panel';
import { HealthCharts } from '../components/health/HealthCharts';
import { HealthSummary } from '../components/health/HealthSummary';
import { PipelineCard } from '../components/health/PipelineCard';
import { SlowestRoutes } from '../components/health/SlowestRoutes';
import { DEFAULT_HEALTH_PRESET, HEALTH_PRESETS, isHealthPreset } from '../health-presets';
import { useTranslate } from '../hooks/use-translate';

/** System health: requests, latency, errors, resources per instance, uptime and the pipeline. */
export const HealthPage = () => {
  const t = useTranslate();
  // The period lives in the URL, like the dashboard's, so a link shows the same view.
  const [params, setParams] = useSearchParams();
  const rangeParam = params.get('range');
  const preset = isHealthPreset(rangeParam) ? rangeParam : DEFAULT_HEALTH_PRESET;
  const health = useHealth(preset);

  if (health.isLoading) return <Page.Loading />;
  const data = health.data;
  const empty = !!data && data.totals.requests === 0 && data.resources.length === 0;

  return (
    <Main>
      <Page.Title>{t('health.title')}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={`/plugins/${PLUGIN_ID}`} />}
        title={t('health.title')}
        subtitle={t('health.subtitle')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Flex justifyContent="space-between" alignItems="flex-end" wrap="wrap" gap={4}>
            <Box minWidth="180px">
              <Field.Root name="range" id="usage-analytics-health-range">
                <Field.Label>{t('filters.range')}</Field.Label>
                <SingleSelect
                  value={preset}
                  onChange={(value: string | number) => {
                    if (isHealthPreset(value)) setParams({ range: value });
                  }}
                >
                  {HEALTH_PRESETS.map((p) => (
                    <SingleSelectOption key={p} value={p}>
                      {t(`health.range.${p}`)}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
              </Field.Root>
            </Box>
            <Typography variant="pi" textColor="neutral600">
              {t('health.freshness')}
            </Typography>
          </Flex>

          {health.isError || !data ? (
            <Panel padding={6} error={t('health.error')} onRetry={() => health.refetch()} />
          ) : empty ? (
            <Panel padding={8}>
              <Flex direction="column" alignItems="center" gap={2} data-testid="health-empty">
                <Typography variant="beta" tag="h2">
                  {t('health.empty.title')}
                </Typography>
                <Typography textColor="neutral600" textAlign="center">
                  {t('health.empty.body')}
                </Typography>
              </Flex>
            </Panel>
          ) : (
            <>
              <HealthSummary health={data} />
              <HealthCharts health={data} />
              <SlowestRoutes routes={data.slowestRoutes} />
              <PipelineCard health={data} />
            </>
          )}
        </Flex>
      </Layouts.Content>
    </Main>
  );
};
