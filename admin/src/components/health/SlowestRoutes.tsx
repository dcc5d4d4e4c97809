import { Box, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { RouteHealth } from '../../../../shared/contracts/health';
import { useTranslate } from '../../hooks/use-translate';
import { Panel } from '../Panel';

/** The routes with the highest p95 latency in the period. */
export const SlowestRoutes = ({ routes }: { routes: RouteHealth[] }) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const ms = (v: number | null) =>
    v === null ? '—' : `${formatNumber(v, { maximumFractionDigits: 1 })} ms`;
  const headers = ['route', 'requests', 'p50', 'p95', 'p99', 'errorRate'];

  return (
    <Panel title={t('health.slowest.title')} testId="slowest-routes">
      {routes.length === 0 ? (
        <Typography textColor="neutral600">{t('table.empty')}</Typography>
      ) : (
        <Table colCount={headers.length} rowCount={routes.length + 1}>
          <Thead>
            <Tr>
              {headers.map((h) => (
                <Th key={h}>
                  <Typography variant="sigma">{t(`health.slowest.${h}`)}</Typography>
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {routes.map((r) => (
              <Tr key={`${r.method} ${r.route}`}>
                <Td>
                  {/* Long route patterns are cut, with the whole pattern on hover. */}
                  <Box maxWidth="36rem">
                    <Typography ellipsis title={`${r.method} ${r.route}`} fontWeight="semiBold">
                      {r.method} {r.route}
                    </Typography>
                  </Box>
                </Td>
                <Td>
                  <Typography>{formatNumber(r.count)}</Typography>
                </Td>
                <Td>
                  <Typography>{ms(r.p50)}</Typography>
                </Td>
                <Td>
                  <Typography>{ms(r.p95)}</Typography>
                </Td>
                <Td>
                  <Typography>{ms(r.p99)}</Typography>
                </Td>
                <Td>
                  <Typography textColor={r.errorRate > 0 ? 'danger600' : undefined}>
                    {formatNumber(r.errorRate, { style: 'percent', maximumFractionDigits: 2 })}
                  </Typography>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Panel>
  );
};
