import { Box, Typography } from '@strapi/design-system';

/** A message above the settings form: a refused save (danger) or a conflicting one (warning). */
export const SettingsAlert = ({
  tone,
  messages,
  testId,
}: {
  tone: 'danger' | 'warning';
  messages: string[];
  testId?: string;
}) =>
  messages.length ? (
    <Box
      background={`${tone}100`}
      borderColor={`${tone}200`}
      hasRadius
      padding={4}
      role="alert"
      data-testid={testId}
    >
      {messages.map((message) => (
        <Typography key={message} textColor={`${tone}700`} tag="p">
          {message}
        </Typography>
      ))}
    </Box>
  ) : null;
