import { Typography, Tooltip } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { getTranslation } from '../../get-translation';
import { PluginQueries } from '../../plugin-queries';
import { useListViews } from './use-list-views';
import { currentListViewAccess } from './list-view-access';

/** The list view's path names the content type it lists. */
const LIST_PATH = /\/content-manager\/collection-types\/([^/?#]+)\/?$/;

export const VIEWS_COLUMN = 'usage-analytics-views';

interface Header {
  name: string;
  [key: string]: unknown;
}
interface ColumnHookArgs {
  displayedHeaders: Header[];
  layout: unknown;
}

/**
 * The Content Manager hook `Admin/CM/pages/ListView/inject-column-in-table`: adds "Views (30 d)"
 * to the list of a collection type the plugin counts, for roles with `read`, unless the settings
 * page switched it off. The hook is synchronous: what it knows comes from list-view-access.ts.
 */
export function addViewsColumn({ displayedHeaders, layout }: ColumnHookArgs): ColumnHookArgs {
  const access = currentListViewAccess();
  const match = LIST_PATH.exec(window.location.pathname);
  const model = match ? decodeURIComponent(match[1]) : null;
  if (!access?.enabled || !model || !access.contentTypes.includes(model)) {
    return { displayedHeaders, layout };
  }
  return {
    displayedHeaders: [
      ...displayedHeaders,
      {
        attribute: { type: 'integer' },
        label: { id: getTranslation('listView.column'), defaultMessage: 'Views (30 d)' },
        name: VIEWS_COLUMN,
        searchable: false,
        // The list is sorted by the database; views live in the plugin's own tables.
        sortable: false,
        cellFormatter: (row: { documentId?: string }, _header: unknown, meta: { model: string }) =>
          row.documentId ? (
            <PluginQueries>
              <ViewsCell documentId={row.documentId} model={meta.model} />
            </PluginQueries>
          ) : null,
      },
    ],
    layout,
  };
}

/** One entry's views; every cell of the page shares one request (use-list-views.ts). */
const ViewsCell = ({ documentId, model }: { documentId: string; model: string }) => {
  const { formatMessage, formatNumber } = useIntl();
  const views = useListViews(model);
  const count = views.data?.views[documentId];
  const text =
    count !== undefined
      ? formatNumber(count)
      : views.isError
        ? '–'
        : formatMessage({ id: getTranslation('state.loading'), defaultMessage: 'Loading…' });
  const tip = formatMessage(
    {
      id: getTranslation('listView.tooltip'),
      defaultMessage:
        'Views in the last 30 days, as on the dashboard. The list cannot be sorted by views.',
    },
    {}
  );
  return (
    <Tooltip label={tip}>
      <Typography textColor="neutral800" data-testid="list-view-views">
        {text}
      </Typography>
    </Tooltip>
  );
};
