import { Flex, Typography } from '@strapi/design-system';
import { Link } from 'react-router-dom';
import { useTranslate } from '../hooks/use-translate';
import { PluginQueries } from '../plugin-queries';
import { WeekOverviewState } from './WidgetState';

const SHOWN = 5;

const entryPath = (row: { contentType: string; documentId: string; locale: string | null }) =>
  `/content-manager/collection-types/${row.contentType}/${row.documentId}${
    row.locale ? `?plugins[i18n][locale]=${encodeURIComponent(row.locale)}` : ''
  }`;

const TopContent = () => {
  const t = useTranslate();
  return (
    <WeekOverviewState hasData={(o) => o.topContent.length > 0} noData={t('widget.noData')}>
      {(o) => (
        <Flex tag="ol" direction="column" alignItems="stretch" gap={3} width="100%">
          {o.topContent.slice(0, SHOWN).map((row) => (
            <Flex
              tag="li"
              key={`${row.contentType}|${row.documentId}|${row.locale ?? ''}`}
              justifyContent="space-between"
              gap={3}
              data-testid="widget-top-row"
            >
              <Typography
                tag={Link}
                to={entryPath(row)}
                textColor="neutral800"
                ellipsis
                data-testid="widget-top-title"
              >
                {row.title ?? row.documentId}
              </Typography>
              <Typography textColor="neutral600" data-testid="widget-top-views">
                {t('widget.top.views', { views: row.views })}
              </Typography>
            </Flex>
          ))}
        </Flex>
      )}
    </WeekOverviewState>
  );
};

/** Homepage widget "Top content, last 7 days": the most viewed entries of the week. */
const TopContentWidget = () => (
  <PluginQueries>
    <TopContent />
  </PluginQueries>
);

export default TopContentWidget;
