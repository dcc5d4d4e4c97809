import { Widget } from '@strapi/strapi/admin';
import type { ReactNode } from 'react';
import { useTranslate } from '../hooks/use-translate';
import { useWeekOverview } from './use-week-overview';

type Overview = NonNullable<ReturnType<typeof useWeekOverview>['data']>;

/**
 * Strapi's own widget states (loading, no permission, error, no data) around a widget's body,
 * which is drawn only once the week's overview is there and has something to show.
 */
export const WeekOverviewState = ({
  hasData,
  noData,
  children,
}: {
  hasData: (overview: Overview) => boolean;
  noData: string;
  children: (overview: Overview) => ReactNode;
}) => {
  const t = useTranslate();
  const overview = useWeekOverview();
  if (overview.isLoading) return <Widget.Loading />;
  if (overview.denied) return <Widget.NoPermissions />;
  if (overview.isError || !overview.data) return <Widget.Error>{t('state.error')}</Widget.Error>;
  if (!hasData(overview.data)) return <Widget.NoData>{noData}</Widget.NoData>;
  return <>{children(overview.data)}</>;
};
