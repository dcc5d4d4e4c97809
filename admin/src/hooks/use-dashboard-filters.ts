import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ContentSort, SortOrder } from '../../../shared/contracts/insights';
import { CONTENT_SORTS } from '../../../shared/contracts/insights';
import type { RangeQuery } from '../../../shared/contracts/stats';
import { customRangeError, type CustomRangeError } from '../custom-range';
import { DEFAULT_PRESET, isRangePreset, presetRange, type RangePreset } from '../range-presets';

export interface DashboardFilters {
  preset: RangePreset | 'custom';
  /** ISO days of a custom range (inclusive). */
  from: string | null;
  to: string | null;
  contentType: string | null;
  locale: string | null;
  /** The content table's order and page (1-based). */
  sort: ContentSort | null;
  order: SortOrder | null;
  page: string | null;
}

// Changing any of these shows the first page of the content table again.
const KEEPS_PAGE = new Set(['page']);

/** The dashboard's range, filters and table state, kept in the URL so a view can be shared. */
export function useDashboardFilters() {
  const [params, setParams] = useSearchParams();
  const rangeParam = params.get('range');
  const contentType = params.get('contentType') || null;
  const locale = params.get('locale') || null;
  const preset = rangeParam === 'custom' || isRangePreset(rangeParam) ? rangeParam : DEFAULT_PRESET;
  const from = params.get('from') || null;
  const to = params.get('to') || null;
  const sortParam = params.get('sort');
  const sort = (CONTENT_SORTS as readonly string[]).includes(sortParam ?? '')
    ? (sortParam as ContentSort)
    : null;
  const order = params.get('order') === 'asc' ? 'asc' : params.get('order') ? 'desc' : null;
  const page = params.get('page') || null;

  const filters: DashboardFilters = { preset, from, to, contentType, locale, sort, order, page };
  const rangeError: CustomRangeError | null =
    preset === 'custom' ? customRangeError(from, to) : null;

  const query = useMemo<RangeQuery>(
    () => ({
      ...(preset === 'custom' ? { from: from ?? '', to: to ?? '' } : presetRange(preset)),
      ...(contentType ? { contentType } : {}),
      ...(locale ? { locale } : {}),
    }),
    [preset, from, to, contentType, locale]
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
        if (!Object.keys(change).some((k) => KEEPS_PAGE.has(k))) next.delete('page');
        if (change.preset && change.preset !== 'custom') {
          next.delete('from');
          next.delete('to');
        }
        return next;
      });
    },
    [setParams]
  );

  return { filters, query, rangeError, update };
}
