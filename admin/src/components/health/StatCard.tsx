import { Box, Flex, Typography } from '@strapi/design-system';
import { Panel } from '../Panel';

interface Props {
  label: string;
  value: string;
  note?: string;
  testId: string;
  tone?: 'neutral' | 'good' | 'bad';
}

const TONE = { neutral: undefined, good: 'success600', bad: 'danger600' } as const;

/** One headline number with a line of context under it. */
export const StatCard = ({ label, value, note, testId, tone = 'neutral' }: Props) => (
  // Four in a row at 1280 px, two by two on a narrow window.
  <Box flex="1 1 240px">
    <Panel height="100%">
      <Flex direction="column" alignItems="flex-start" gap={1} data-testid={testId}>
        <Typography variant="sigma" textColor="neutral600">
          {label}
        </Typography>
        <Typography variant="alpha" tag="p" textColor={TONE[tone]} data-testid="stat-value">
          {value}
        </Typography>
        {note ? (
          <Typography variant="pi" textColor="neutral600">
            {note}
          </Typography>
        ) : null}
      </Flex>
    </Panel>
  </Box>
);
