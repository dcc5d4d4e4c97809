import { Badge, Field, Flex, TextButton } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import type { ReactNode } from 'react';
import { useTranslate } from '../../hooks/use-translate';

interface Props {
  name: string;
  label: string;
  /** When a change takes effect, and what config/plugins says. */
  hint: string;
  error?: string;
  /** The stored value replaces the config/plugins value. */
  overridden: boolean;
  /** Offered while the input differs from the config/plugins value. */
  onReset?: () => void;
  children: ReactNode;
}

/** One setting: label, input, when it applies, its config/plugins value, the server's message. */
export const SettingField = ({
  name,
  label,
  hint,
  error,
  overridden,
  onReset,
  children,
}: Props) => {
  const t = useTranslate();
  return (
    <Flex direction="column" alignItems="stretch" gap={1}>
      <Field.Root name={name} id={`usage-analytics-setting-${name}`} hint={hint} error={error}>
        <Flex gap={2} alignItems="center">
          <Field.Label>{label}</Field.Label>
          {overridden ? (
            <Badge active data-testid={`overridden-${name}`}>
              {t('settings.overridden')}
            </Badge>
          ) : null}
        </Flex>
        {children}
        <Field.Hint />
        <Field.Error />
      </Field.Root>
      {onReset ? (
        <TextButton
          startIcon={<ArrowClockwise />}
          onClick={onReset}
          aria-label={t('settings.resetToFileFor', { label })}
        >
          {t('settings.resetToFile')}
        </TextButton>
      ) : null}
    </Flex>
  );
};
