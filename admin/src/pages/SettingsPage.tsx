import {
  Button,
  Flex,
  Grid,
  Main,
  MultiSelect,
  MultiSelectOption,
  NumberInput,
  Textarea,
  Typography,
} from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useState, type FormEvent } from 'react';
import { useIntl } from 'react-intl';
import type { SettingKey } from '../../../shared/contracts/settings';
import { useContentTypes } from '../api/content-types';
import { SettingsConflict, SettingsRejected, useSaveSettings, useSettings } from '../api/settings';
import { FileOnlySettings } from '../components/settings/FileOnlySettings';
import { OnOffToggle } from '../components/settings/OnOffToggle';
import { SettingField } from '../components/settings/SettingField';
import { SettingsAlert } from '../components/settings/SettingsAlert';
import { SettingsCard } from '../components/settings/SettingsCard';
import { WeeklyReportCard } from '../components/settings/WeeklyReportCard';
import { useSettingsForm } from '../hooks/use-settings-form';
import { useTranslate } from '../hooks/use-translate';

const TOGGLES = ['enabled', 'trackApiReads', 'respectDoNotTrack'] as const;

/**
 * Settings → Usage Analytics: the keys that can change without a restart, stored in the database
 * on top of config/plugins, and (read-only) the ones that need config/plugins and a restart.
 * The server validates; its per-key messages are shown under the fields.
 */
export const SettingsPage = () => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const settings = useSettings();
  const save = useSaveSettings();
  const contentTypes = useContentTypes();
  const { toggleNotification } = useNotification();
  const form = useSettingsForm(settings.data);
  // Saved meanwhile elsewhere: the form shows the current values, with this message above.
  const [conflict, setConflict] = useState(false);

  if (settings.isLoading) return <Page.Loading />;
  if (settings.isError || !settings.data || !form.draft) return <Page.Error />;
  const data = settings.data;
  const draft = form.draft;

  const showValue = (value: unknown) =>
    Array.isArray(value)
      ? value.length
        ? value.join(', ')
        : t('settings.emptyList')
      : typeof value === 'boolean'
        ? t(value ? 'settings.on' : 'settings.off')
        : String(value);

  const applies = (key: SettingKey) =>
    key.startsWith('retention.')
      ? t('settings.applies.retention', {
          cron: data.fileOnly.find((s) => s.key === 'retention.cron')?.value as string,
        })
      : t('settings.applies.now');

  const fieldProps = (key: SettingKey) => ({
    name: key,
    label: t(`settings.${key}.label`),
    hint: `${t(`settings.${key}.hint`)} ${applies(key)} ${t('settings.fileValue', {
      value: showValue(data.file[key]),
    })}`,
    error: form.errors[key],
    overridden: data.overridden.includes(key),
    onReset: form.differsFromFile(key) ? () => form.resetToFile(key) : undefined,
  });

  const general = Object.entries(form.errors)
    .filter(([key]) => !(key in data.effective))
    .map(([key, message]) => (key ? `${key} ${message}` : message));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.missing.length) {
      form.setErrors(
        Object.fromEntries(form.missing.map((key) => [key, t('settings.needNumber')]))
      );
      return;
    }
    try {
      await save.mutateAsync({ ...form.update, version: data.version });
      form.setErrors({});
      setConflict(false);
      toggleNotification({ type: 'success', message: t('settings.saved') });
    } catch (error) {
      if (error instanceof SettingsConflict) {
        form.setErrors({});
        setConflict(true);
        toggleNotification({ type: 'warning', message: t('settings.conflict.short') });
      } else if (error instanceof SettingsRejected) {
        const byKey: Record<string, string> = {};
        for (const { key, message } of error.errors) {
          byKey[key] = byKey[key] ? `${byKey[key]}; ${message}` : message;
        }
        form.setErrors(byKey);
        toggleNotification({ type: 'danger', message: t('settings.rejected') });
      } else {
        toggleNotification({ type: 'danger', message: t('settings.saveFailed') });
      }
    }
  };

  const typeOptions = [
    ...(contentTypes.data ?? []).map((ct) => ({ uid: ct.uid, name: ct.displayName })),
    ...draft.excludeContentTypes
      .filter((uid) => !contentTypes.data?.some((ct) => ct.uid === uid))
      .map((uid) => ({ uid, name: uid })),
  ];
  const metricsLocked = !data.metricsTokenSet && !draft['metrics.enabled'];

  return (
    <Main>
      <Page.Title>{t('settings.pageTitle')}</Page.Title>
      <form onSubmit={onSubmit} noValidate>
        <Layouts.Header
          title={t('settings.title')}
          subtitle={t('settings.subtitle', { seconds: data.reloadIntervalSeconds })}
          primaryAction={
            <Button
              type="submit"
              startIcon={<Check />}
              loading={save.isPending}
              disabled={!form.dirty}
            >
              {t('settings.save')}
            </Button>
          }
        />
        <Layouts.Content>
          <Flex direction="column" alignItems="stretch" gap={6}>
            {data.updatedAt ? (
              <Typography variant="pi" textColor="neutral600" data-testid="settings-updated-at">
                {t('settings.updatedAt', {
                  date: formatDate(data.updatedAt, { dateStyle: 'medium', timeStyle: 'short' }),
                })}
              </Typography>
            ) : null}
            <SettingsAlert
              tone="warning"
              messages={conflict ? [t('settings.conflict')] : []}
              testId="settings-conflict"
            />
            <SettingsAlert tone="danger" messages={general} />

            <SettingsCard
              title={t('settings.collection.title')}
              description={t('settings.collection.description')}
            >
              <Grid.Root gap={5}>
                {TOGGLES.map((key) => (
                  <Grid.Item key={key} col={4} s={12} direction="column" alignItems="stretch">
                    <SettingField {...fieldProps(key)}>
                      <OnOffToggle
                        checked={draft[key]}
                        onChange={(checked) => form.change(key, checked)}
                      />
                    </SettingField>
                  </Grid.Item>
                ))}
                <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                  <SettingField {...fieldProps('sampleRate')}>
                    <NumberInput
                      value={draft.sampleRate}
                      step={0.05}
                      onValueChange={(value) => form.change('sampleRate', value)}
                    />
                  </SettingField>
                </Grid.Item>
              </Grid.Root>
            </SettingsCard>

            <SettingsCard
              title={t('settings.exclusions.title')}
              description={t('settings.exclusions.description')}
            >
              <Grid.Root gap={5}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField {...fieldProps('excludePaths')}>
                    <Textarea
                      value={draft.excludePaths}
                      placeholder="/preview"
                      onChange={(e) => form.change('excludePaths', e.currentTarget.value)}
                    />
                  </SettingField>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField {...fieldProps('excludeContentTypes')}>
                    <MultiSelect
                      value={draft.excludeContentTypes}
                      withTags
                      placeholder={t('settings.excludeContentTypes.placeholder')}
                      onChange={(values: string[]) => form.change('excludeContentTypes', values)}
                      onClear={() => form.change('excludeContentTypes', [])}
                      clearLabel={t('settings.excludeContentTypes.clear')}
                    >
                      {typeOptions.map((option) => (
                        <MultiSelectOption key={option.uid} value={option.uid}>
                          {option.name}
                        </MultiSelectOption>
                      ))}
                    </MultiSelect>
                  </SettingField>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField {...fieldProps('allowedHostnames')}>
                    <Textarea
                      value={draft.allowedHostnames}
                      placeholder="example.com"
                      onChange={(e) => form.change('allowedHostnames', e.currentTarget.value)}
                    />
                  </SettingField>
                </Grid.Item>
              </Grid.Root>
            </SettingsCard>

            <SettingsCard
              title={t('settings.retention.title')}
              description={t('settings.retention.description')}
            >
              <Grid.Root gap={5}>
                {(['retention.rawDays', 'retention.aggregateDays'] as const).map((key) => (
                  <Grid.Item key={key} col={6} s={12} direction="column" alignItems="stretch">
                    <SettingField {...fieldProps(key)}>
                      <NumberInput
                        value={draft[key]}
                        step={1}
                        onValueChange={(value) => form.change(key, value)}
                      />
                    </SettingField>
                  </Grid.Item>
                ))}
              </Grid.Root>
            </SettingsCard>

            <SettingsCard
              title={t('settings.prometheus.title')}
              description={t('settings.prometheus.description')}
            >
              <Grid.Root gap={5}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField {...fieldProps('metrics.enabled')}>
                    <OnOffToggle
                      checked={draft['metrics.enabled']}
                      disabled={metricsLocked}
                      onChange={(checked) => form.change('metrics.enabled', checked)}
                    />
                  </SettingField>
                  {metricsLocked ? (
                    <Typography variant="pi" textColor="warning600" data-testid="metrics-no-token">
                      {t('settings.metrics.noToken')}
                    </Typography>
                  ) : null}
                </Grid.Item>
              </Grid.Root>
            </SettingsCard>

            <SettingsCard
              title={t('settings.contentManager.title')}
              description={t('settings.contentManager.description')}
            >
              <Grid.Root gap={5}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SettingField {...fieldProps('listViewColumn')}>
                    <OnOffToggle
                      checked={draft.listViewColumn}
                      onChange={(checked) => form.change('listViewColumn', checked)}
                    />
                  </SettingField>
                </Grid.Item>
              </Grid.Root>
            </SettingsCard>

            <WeeklyReportCard />

            <FileOnlySettings settings={data.fileOnly} />
          </Flex>
        </Layouts.Content>
      </form>
    </Main>
  );
};
