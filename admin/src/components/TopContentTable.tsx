import { Box, Link, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import type { ContentRow } from '../../../shared/contracts/stats';
import type { ContentTypeInfo } from '../api/content-types';
import { formatDuration } from '../format-duration';
import { useTranslate } from '../hooks/use-translate';

/** The entry's edit view in the Content Manager, in the locale the views were counted for. */
export function contentManagerPath(row: ContentRow, kind: ContentTypeInfo['kind'] | undefined) {
  const base =
    kind === 'singleType'
      ? `/content-manager/single-types/${row.contentType}`
      : `/content-manager/collection-types/${row.contentType}/${row.documentId}`;
  return row.locale ? `${base}?plugins[i18n][locale]=${encodeURIComponent(row.locale)}` : base;
}

interface Props {
  rows: ContentRow[];
  contentTypes: ContentTypeInfo[];
}

/** The most viewed entries of the range, each linking to its edit view. */
export const TopContentTable = ({ rows, contentTypes }: Props) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const byUid = new Map(contentTypes.map((ct) => [ct.uid, ct]));

  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
      <Box paddingBottom={3}>
        <Typography variant="delta" tag="h2">
          {t('topContent.title')}
        </Typography>
      </Box>
      {rows.length === 0 ? (
        <Typography textColor="neutral600">{t('table.empty')}</Typography>
      ) : (
        <Table colCount={5} rowCount={rows.length + 1}>
          <Thead>
            <Tr>
              {['entry', 'contentType', 'views', 'visitors', 'engaged'].map((column) => (
                <Th key={column}>
                  <Typography variant="sigma">{t(`topContent.${column}`)}</Typography>
                </Th>
              ))}
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
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      )}
    </Box>
  );
};
