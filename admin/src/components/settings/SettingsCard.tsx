import { Box, Flex, Typography } from '@strapi/design-system';
import type { ReactNode } from 'react';

/** A titled group of settings, on a card like the rest of Strapi's settings pages. */
export const SettingsCard = ({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) => (
  <Box
    background="neutral0"
    hasRadius
    shadow="tableShadow"
    paddingTop={6}
    paddingBottom={6}
    paddingLeft={7}
    paddingRight={7}
  >
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
        {description ? <Typography textColor="neutral600">{description}</Typography> : null}
      </Flex>
      {children}
    </Flex>
  </Box>
);
