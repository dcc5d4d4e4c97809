import { Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useTranslate } from '../hooks/use-translate';
import { Panel } from './Panel';

export interface RankedRow {
  label: string;
  primary: number;
  secondary: number;
}

interface Props {
  title: string;
  labelHeader: string;
  primaryHeader: string;
  secondaryHeader: string;
  rows: RankedRow[];
  /** Rows shown; the API sends more for some lists. */
  limit?: number;
}

/** A small "top N" table: paths, referrers, campaigns, devices, browsers, events. */
export const RankedTable = ({
  title,
  labelHeader,
  primaryHeader,
  secondaryHeader,
  rows,
  limit = 10,
}: Props) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const shown = rows.slice(0, limit);

  return (
    <Panel title={title} width="100%">
      {shown.length === 0 ? (
        <Typography textColor="neutral600">{t('table.empty')}</Typography>
      ) : (
        <Table colCount={3} rowCount={shown.length + 1}>
          <Thead>
            <Tr>
              <Th>
                <Typography variant="sigma">{labelHeader}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{primaryHeader}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{secondaryHeader}</Typography>
              </Th>
            </Tr>
          </Thead>
          <Tbody>
            {shown.map((row) => (
              <Tr key={row.label}>
                <Td>
                  <Typography ellipsis title={row.label}>
                    {row.label}
                  </Typography>
                </Td>
                <Td>
                  <Typography>{formatNumber(row.primary)}</Typography>
                </Td>
                <Td>
                  <Typography>{formatNumber(row.secondary)}</Typography>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Panel>
  );
};
