import { Box, Flex, Grid, Main, Typography } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useStatus } from '../api/status';
import { getTranslation } from '../get-translation';

const Fact = ({ label, value }: { label: string; value: string }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <Typography variant="delta" tag="p">
        {value}
      </Typography>
    </Flex>
  </Box>
);

export const HomePage = () => {
  const { formatMessage } = useIntl();
  const t = (id: string) => formatMessage({ id: getTranslation(id) });
  const status = useStatus();

  if (status.isLoading) return <Page.Loading />;
  if (status.isError || !status.data) return <Page.Error />;
  const s = status.data;

  return (
    <Main>
      <Layouts.Header title={t('home.title')} subtitle={t('home.subtitle')} />
      <Layouts.Content>
        <Grid.Root gap={4}>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Fact
              label={t('status.collection')}
              value={s.collecting ? t('status.collecting') : t('status.paused')}
            />
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Fact label={t('status.database')} value={s.database} />
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Fact label={t('status.schema')} value={s.schemaVersion ?? '—'} />
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Fact label={t('status.version')} value={s.version} />
          </Grid.Item>
        </Grid.Root>
        <Box paddingTop={6}>
          <Typography textColor="neutral600">{t('home.next')}</Typography>
        </Box>
      </Layouts.Content>
    </Main>
  );
};
