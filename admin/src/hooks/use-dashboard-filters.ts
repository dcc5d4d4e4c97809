import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { RangeQuery } from '../../../shared/contracts/stats';
import { DEFAULT_PRESET, isRangePreset, presetRange, type RangePreset } from '../range-presets';

export interface DashboardFilters {
  preset: RangePreset;
  contentType: string | null;
  locale: string | null;
}

/** The dashboard's range and filters, kept in the URL query string so a view can be shared. */
export function useDashboardFilters() {
  const [params, setParams] = useSearchParams();
  const rangeParam = params.get('range');
  const contentType = params.get('contentType') || null;
  const locale = params.get('locale') || null;
  const preset = isRangePreset(rangeParam) ? rangeParam : DEFAULT_PRESET;

  const filters: DashboardFilters = { preset, contentType, locale };

  const query = useMemo<RangeQuery>(
    () => ({
      ...presetRange(preset),
      ...(contentType ? { contentType } : {}),
      ...(locale ? { locale } : {}),
    }),
    [preset, contentType, locale]
  );

  const update = useCallback(
    (change: Partial<DashboardFilters>) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(change)) {
          const name = key === 'preset' ? 'range' : key;
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      });
    },
    [setParams]
  );

  return { filters, query, update };
}
