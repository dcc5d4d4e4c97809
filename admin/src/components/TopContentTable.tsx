import {
  Box,
  Button,
  Flex,
  Link,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { CaretDown, CaretUp } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import type {
  ContentSort,
  ContentTableResponse,
  SortOrder,
} from '../../../shared/contracts/insights';
import type { ContentRow } from '../../../shared/contracts/stats';
import type { ContentTypeInfo } from '../api/content-types';
import { formatDuration } from '../format-duration';
import { useTranslate } from '../hooks/use-translate';
import { Panel } from './Panel';
import { Sparkline } from './Sparkline';

/** The entry's edit view in the Content Manager, in the locale the views were counted for. */
export function contentManagerPath(row: ContentRow, kind: ContentTypeInfo['kind'] | undefined) {
  const base =
    kind === 'singleType'
      ? `/content-manager/single-types/${row.contentType}`
      : `/content-manager/collection-types/${row.contentType}/${row.documentId}`;
  return row.locale ? `${base}?plugins[i18n][locale]=${encodeURIComponent(row.locale)}` : base;
}

interface Props {
  table: ContentTableResponse['data'] | undefined;
  isLoading: boolean;
  isError: boolean;
  onRetry: () => void;
  contentTypes: ContentTypeInfo[];
  onSort: (sort: ContentSort, order: SortOrder) => void;
  onPage: (page: number) => void;
}

const SORTABLE: Record<string, ContentSort> = {
  views: 'views',
  visitors: 'visitors',
  engaged: 'engaged',
};

/** Every entry viewed in the range: sortable, paged on the server, a trend per row. */
export const TopContentTable = ({
  table,
  isLoading,
  isError,
  onRetry,
  contentTypes,
  onSort,
  onPage,
}: Props) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const byUid = new Map(contentTypes.map((ct) => [ct.uid, ct]));
  const rows = table?.rows ?? [];
  const page = table ? Math.floor(table.offset / table.limit) + 1 : 1;
  const pages = table ? Math.max(1, Math.ceil(table.total / table.limit)) : 1;

  const header = (column: string) => {
    const sort = SORTABLE[column];
    if (!sort || !table)
      return <Typography variant="sigma">{t(`topContent.${column}`)}</Typography>;
    const active = table.sort === sort;
    const next: SortOrder = active && table.order === 'desc' ? 'asc' : 'desc';
    return (
      <Button
        variant="ghost"
        size="S"
        onClick={() => onSort(sort, next)}
        endIcon={active ? table.order === 'desc' ? <CaretDown /> : <CaretUp /> : undefined}
        aria-label={t('topContent.sortBy', { column: t(`topContent.${column}`) })}
      >
        <Typography variant="sigma">{t(`topContent.${column}`)}</Typography>
      </Button>
    );
  };

  return (
    <Panel
      title={t('topContent.title')}
      testId="top-content"
      refreshing={isLoading}
      error={isError && !table ? t('state.error') : null}
      onRetry={onRetry}
    >
      {!table ? null : rows.length === 0 ? (
        <Typography textColor="neutral600">{t('table.empty')}</Typography>
      ) : (
        <>
          <Box overflow="auto">
            <Table colCount={6} rowCount={rows.length + 1}>
              <Thead>
                <Tr>
                  {['entry', 'contentType', 'views', 'visitors', 'engaged', 'trend'].map(
                    (column) => {
                      const sort = SORTABLE[column];
                      const ariaSort =
                        sort && table.sort === sort
                          ? table.order === 'asc'
                            ? 'ascending'
                            : 'descending'
                          : undefined;
                      return (
                        <Th key={column} aria-sort={ariaSort}>
                          {header(column)}
                        </Th>
                      );
                    }
                  )}
                </Tr>
              </Thead>
              <Tbody>
                {rows.map((row) => {
                  const type = byUid.get(row.contentType);
                  const title = row.title || t('topContent.untitled', { id: row.documentId });
                  return (
                    <Tr key={`${row.contentType}:${row.documentId}:${row.locale ?? ''}`}>
                      <Td>
                        <Link tag={RouterLink} to={contentManagerPath(row, type?.kind)}>
                          {title}
                        </Link>
                        {row.locale ? (
                          <Typography variant="pi" textColor="neutral600">
                            {` (${row.locale})`}
                          </Typography>
                        ) : null}
                      </Td>
                      <Td>
                        <Typography textColor="neutral800">
                          {type?.displayName ?? row.contentType}
                        </Typography>
                      </Td>
                      <Td>
                        <Typography>{formatNumber(row.views)}</Typography>
                      </Td>
                      <Td>
                        <Typography>{formatNumber(row.visitors)}</Typography>
                      </Td>
                      <Td>
                        <Typography>{formatDuration(row.avgEngagedSeconds)}</Typography>
                      </Td>
                      <Td>
                        <Sparkline
                          values={row.trend}
                          label={t('topContent.trendLabel', { title, views: row.views })}
                        />
                      </Td>
                    </Tr>
                  );
                })}
              </Tbody>
            </Table>
          </Box>
          <Flex paddingTop={3} justifyContent="space-between" alignItems="center" gap={2}>
            <Typography variant="pi" textColor="neutral600" data-testid="top-content-range">
              {t('topContent.showing', {
                first: table.offset + 1,
                last: table.offset + rows.length,
                total: table.total,
              })}
            </Typography>
            {pages > 1 ? (
              <Flex gap={2}>
                <Button
                  variant="tertiary"
                  size="S"
                  disabled={page <= 1}
                  onClick={() => onPage(page - 1)}
                >
                  {t('topContent.previous')}
                </Button>
                <Button
                  variant="tertiary"
                  size="S"
                  disabled={page >= pages}
                  onClick={() => onPage(page + 1)}
                >
                  {t('topContent.next')}
                </Button>
              </Flex>
            ) : null}
          </Flex>
        </>
      )}
    </Panel>
  );
};
