import {
  Button,
  Field,
  Flex,
  Grid,
  MultiSelect,
  MultiSelectOption,
  SingleSelect,
  SingleSelectOption,
  Typography,
} from '@strapi/design-system';
import { Check, Mail } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import type { IsoWeekday, ReportSettings } from '../../../../shared/contracts/report';
import {
  serverMessage,
  useReportSettings,
  useSaveReportSettings,
  useSendTestReport,
} from '../../api/report';
import { useTranslate } from '../../hooks/use-translate';
import { OnOffToggle } from './OnOffToggle';
import { SettingsCard } from './SettingsCard';

const WEEKDAYS: IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];
// 2024-01-01 was a Monday: the day names come from the browser's locale.
const dayName = (day: IsoWeekday, locale: string) =>
  new Date(Date.UTC(2024, 0, day)).toLocaleDateString(locale, { weekday: 'long', timeZone: 'UTC' });

/**
 * The weekly e-mail report: on or off, the day and hour (UTC) it goes out, the admin roles whose
 * active members receive it, and a button that sends the report of the last 7 days now. Saved on
 * its own (its own button), apart from the form of the other settings.
 */
export const WeeklyReportCard = () => {
  const t = useTranslate();
  const { locale, formatDate } = useIntl();
  const report = useReportSettings();
  const save = useSaveReportSettings();
  const test = useSendTestReport();
  const { toggleNotification } = useNotification();
  const [draft, setDraft] = useState<ReportSettings | null>(null);

  useEffect(() => {
    if (report.data) setDraft(report.data.settings);
  }, [report.data]);

  if (!report.data || !draft) return null;
  const data = report.data;
  const dirty = JSON.stringify(draft) !== JSON.stringify(data.settings);
  const change = (patch: Partial<ReportSettings>) => setDraft({ ...draft, ...patch });
  const fail = (error: unknown, key: string) =>
    toggleNotification({ type: 'danger', message: serverMessage(error) ?? t(key) });

  const onSave = async () => {
    try {
      await save.mutateAsync(draft);
      toggleNotification({ type: 'success', message: t('report.saved') });
    } catch (error) {
      fail(error, 'report.saveFailed');
    }
  };
  const onTest = async () => {
    try {
      const sent = await test.mutateAsync();
      toggleNotification({
        type: 'success',
        message: t('report.testSent', { count: sent.recipients }),
      });
    } catch (error) {
      fail(error, 'report.testFailed');
    }
  };

  return (
    <SettingsCard title={t('report.title')} description={t('report.description')}>
      <Grid.Root gap={5}>
        <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
          <Field.Root name="report.enabled">
            <Field.Label>{t('report.enabled')}</Field.Label>
            <OnOffToggle checked={draft.enabled} onChange={(enabled) => change({ enabled })} />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
          <Field.Root name="report.weekday">
            <Field.Label>{t('report.weekday')}</Field.Label>
            <SingleSelect
              value={String(draft.weekday)}
              onChange={(value: string | number) =>
                change({ weekday: Number(value) as IsoWeekday })
              }
            >
              {WEEKDAYS.map((day) => (
                <SingleSelectOption key={day} value={String(day)}>
                  {dayName(day, locale)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={2} s={12} direction="column" alignItems="stretch">
          <Field.Root name="report.hour" hint={t('report.utc')}>
            <Field.Label>{t('report.hour')}</Field.Label>
            <SingleSelect
              value={String(draft.hour)}
              onChange={(value: string | number) => change({ hour: Number(value) })}
            >
              {Array.from({ length: 24 }, (_, hour) => (
                <SingleSelectOption key={hour} value={String(hour)}>
                  {`${String(hour).padStart(2, '0')}:00`}
                </SingleSelectOption>
              ))}
            </SingleSelect>
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <Field.Root name="report.roles" hint={t('report.rolesHint')}>
            <Field.Label>{t('report.roles')}</Field.Label>
            <MultiSelect
              value={draft.roleIds.map(String)}
              withTags
              placeholder={t('report.rolesPlaceholder')}
              onChange={(values: string[]) => change({ roleIds: values.map(Number) })}
            >
              {data.roles.map((role) => (
                <MultiSelectOption key={role.id} value={String(role.id)}>
                  {t('report.role', { name: role.name, count: role.activeAdmins })}
                </MultiSelectOption>
              ))}
            </MultiSelect>
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
      </Grid.Root>
      <Typography variant="pi" textColor="neutral600" data-testid="report-status">
        {t('report.provider', { provider: data.emailProvider ?? '—' })}{' '}
        {data.lastSentAt
          ? t('report.lastSent', {
              date: formatDate(data.lastSentAt, { dateStyle: 'medium', timeStyle: 'short' }),
            })
          : t('report.neverSent')}
      </Typography>
      <Flex gap={2}>
        <Button
          type="button"
          startIcon={<Check />}
          onClick={onSave}
          loading={save.isPending}
          disabled={!dirty}
        >
          {t('report.save')}
        </Button>
        <Button
          type="button"
          variant="secondary"
          startIcon={<Mail />}
          onClick={onTest}
          loading={test.isPending}
          disabled={dirty}
        >
          {t('report.sendTest')}
        </Button>
      </Flex>
    </SettingsCard>
  );
};
