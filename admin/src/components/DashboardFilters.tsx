import {
  Box,
  DatePicker,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
} from '@strapi/design-system';
import type { ContentTypeInfo } from '../api/content-types';
import type { DashboardFilters as Filters } from '../hooks/use-dashboard-filters';
import { useTranslate } from '../hooks/use-translate';
import type { CustomRangeError } from '../custom-range';
import { pickerDate, pickerDay } from '../custom-range';
import { RANGE_PRESETS, isRangePreset, presetRange } from '../range-presets';

const ALL = '__all__';

interface Props {
  filters: Filters;
  contentTypes: ContentTypeInfo[];
  locales: string[];
  rangeError: CustomRangeError | null;
  onChange: (change: Partial<Filters>) => void;
}

/** Range preset, content type and locale: what the whole dashboard is about. */
export const DashboardFilters = ({
  filters,
  contentTypes,
  locales,
  rangeError,
  onChange,
}: Props) => {
  const t = useTranslate();
  const localeOptions = Array.from(
    new Set([...locales, ...(filters.locale ? [filters.locale] : [])])
  ).sort();

  return (
    <Flex gap={4} wrap="wrap" alignItems="flex-end">
      <Box minWidth="180px">
        <Field.Root name="range" id="usage-analytics-range">
          <Field.Label>{t('filters.range')}</Field.Label>
          <SingleSelect
            value={filters.preset}
            onChange={(value: string | number) => {
              if (isRangePreset(value)) onChange({ preset: value });
              // A custom range starts as the period shown so far.
              else if (value === 'custom' && filters.preset !== 'custom')
                onChange({ preset: 'custom', ...presetRange(filters.preset) });
            }}
          >
            {RANGE_PRESETS.map((preset) => (
              <SingleSelectOption key={preset} value={preset}>
                {t(`range.${preset}`)}
              </SingleSelectOption>
            ))}
            <SingleSelectOption value="custom">{t('range.custom')}</SingleSelectOption>
          </SingleSelect>
        </Field.Root>
      </Box>
      {filters.preset === 'custom' ? (
        <>
          {(['from', 'to'] as const).map((end) => (
            <Box key={end} width="180px">
              <Field.Root
                name={end}
                id={`usage-analytics-${end}`}
                error={rangeError && end === 'to' ? t(`range.error.${rangeError}`) : undefined}
              >
                <Field.Label>{t(`range.${end}`)}</Field.Label>
                <DatePicker
                  value={pickerDate(filters[end])}
                  maxDate={new Date()}
                  clearLabel={t('range.clear')}
                  onChange={(date: Date | undefined) =>
                    onChange({ [end]: date ? pickerDay(date) : null })
                  }
                />
                <Field.Error />
              </Field.Root>
            </Box>
          ))}
        </>
      ) : null}
      <Box minWidth="220px">
        <Field.Root name="contentType" id="usage-analytics-content-type">
          <Field.Label>{t('filters.contentType')}</Field.Label>
          <SingleSelect
            value={filters.contentType ?? ALL}
            onChange={(value: string | number) =>
              onChange({ contentType: value === ALL ? null : String(value) })
            }
          >
            <SingleSelectOption value={ALL}>{t('filters.allContentTypes')}</SingleSelectOption>
            {contentTypes.map((ct) => (
              <SingleSelectOption key={ct.uid} value={ct.uid}>
                {ct.displayName}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
      </Box>
      <Box minWidth="160px">
        <Field.Root name="locale" id="usage-analytics-locale">
          <Field.Label>{t('filters.locale')}</Field.Label>
          <SingleSelect
            value={filters.locale ?? ALL}
            onChange={(value: string | number) =>
              onChange({ locale: value === ALL ? null : String(value) })
            }
          >
            <SingleSelectOption value={ALL}>{t('filters.allLocales')}</SingleSelectOption>
            {localeOptions.map((locale) => (
              <SingleSelectOption key={locale} value={locale}>
                {locale}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
      </Box>
    </Flex>
  );
};
