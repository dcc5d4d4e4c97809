import { Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { shownChange } from '../range-presets';
import { useTranslate } from '../hooks/use-translate';

/**
 * A figure's change against the period before, to the whole percent: green when it is good news,
 * red when it is bad, grey when there is none (or nothing to compare with). `texts` names the
 * translations of the sentence with `{change}` and of the one without a comparison.
 */
export const PeriodChange = ({
  value,
  previous,
  lowerIsBetter = false,
  texts,
  testId,
}: {
  value: number | null;
  previous: number | null;
  /** A rise is bad news (the bounce rate). */
  lowerIsBetter?: boolean;
  texts: { change: string; none: string };
  testId?: string;
}) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const change = shownChange(value, previous);
  const good = change !== null && (lowerIsBetter ? change < 0 : change > 0);
  return (
    <Typography
      variant="pi"
      data-testid={testId}
      textColor={!change ? 'neutral600' : good ? 'success600' : 'danger600'}
    >
      {change === null
        ? t(texts.none)
        : t(texts.change, {
            change: formatNumber(change, {
              style: 'percent',
              maximumFractionDigits: 0,
              signDisplay: 'exceptZero',
            }),
          })}
    </Typography>
  );
};
