import { Box, Button, Flex, Loader, Typography, type BoxProps } from '@strapi/design-system';
import type { ReactNode } from 'react';
import { useTranslate } from '../hooks/use-translate';

interface RequestStateProps {
  /** Nothing to show until the first answer: a small loader instead of the body. */
  loading?: boolean;
  /** The request failed: this message instead of the body. */
  error?: string | null;
  /** With `error`: a "Try again" button under the message. */
  onRetry?: () => void;
  /** The button's look: tertiary inside a panel that is not the plugin's own (the entry's). */
  retryVariant?: 'secondary' | 'tertiary';
  errorTestId?: string;
  children?: ReactNode;
}

/** What a request has to show: a loader until it answers, its error with a retry, or the body. */
export const RequestState = ({
  loading,
  error,
  onRetry,
  retryVariant = 'secondary',
  errorTestId,
  children,
}: RequestStateProps) => {
  const t = useTranslate();
  if (loading) return <Loader small>{t('state.loading')}</Loader>;
  if (!error) return <>{children}</>;
  return (
    <Flex direction="column" alignItems="flex-start" gap={2} role="alert">
      <Typography textColor="danger600" data-testid={errorTestId}>
        {error}
      </Typography>
      {onRetry ? (
        <Button variant={retryVariant} size="S" onClick={onRetry}>
          {t('state.retry')}
        </Button>
      ) : null}
    </Flex>
  );
};

interface PanelProps extends Omit<RequestStateProps, 'retryVariant'> {
  /** The heading (h2). A panel without one is a message card: its error becomes its heading. */
  title?: string;
  /** A line under the heading. */
  subtitle?: string;
  /** A request is on its way while the body still shows the last answer: a loader by the title. */
  refreshing?: boolean;
  /** Space between the heading and the body, in theme spaces. */
  headingGap?: 3 | 4;
  padding?: 5 | 6 | 8;
  height?: BoxProps['height'];
  width?: BoxProps['width'];
  flex?: BoxProps['flex'];
  role?: 'alert';
  testId?: string;
}

/**
 * The plugin's card, as Strapi draws its own (light or dark theme): an optional heading with a
 * loader while it refreshes, then the body — or the loader or error (with "Try again") of the
 * request that fills it.
 */
export const Panel = ({
  title,
  subtitle,
  refreshing,
  headingGap = 3,
  padding = 5,
  height,
  width,
  flex,
  role,
  testId,
  error,
  onRetry,
  ...state
}: PanelProps) => {
  const t = useTranslate();
  // Without a heading, a failed request's message is the card's heading, with a full-size button.
  const errorAsHeading = !title && !!error;
  return (
    <Box
      background="neutral0"
      hasRadius
      shadow="tableShadow"
      padding={padding}
      height={height}
      width={width}
      flex={flex}
      role={errorAsHeading ? 'alert' : role}
      data-testid={testId}
    >
      {title ? (
        <Box paddingBottom={headingGap}>
          <Flex justifyContent="space-between" alignItems="center" gap={2}>
            <Typography variant="delta" tag="h2">
              {title}
            </Typography>
            {refreshing ? <Loader small>{t('state.loading')}</Loader> : null}
          </Flex>
          {subtitle ? (
            <Box paddingTop={1}>
              <Typography variant="pi" textColor="neutral600">
                {subtitle}
              </Typography>
            </Box>
          ) : null}
        </Box>
      ) : null}
      {errorAsHeading ? (
        <Flex direction="column" alignItems="flex-start" gap={3}>
          <Typography variant="delta" tag="h2" textColor="danger600">
            {error}
          </Typography>
          {onRetry ? (
            <Button variant="secondary" onClick={onRetry}>
              {t('state.retry')}
            </Button>
          ) : null}
        </Flex>
      ) : (
        <RequestState error={error} onRetry={onRetry} {...state} />
      )}
    </Box>
  );
};
