import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import { getTranslation } from '../get-translation';

type Values = Record<string, string | number>;

/** `t('kpi.pageviews')`: the plugin's translation of a key from translations/en.json. */
export function useTranslate() {
  const { formatMessage } = useIntl();
  return useCallback(
    (id: string, values?: Values) => formatMessage({ id: getTranslation(id) }, values),
    [formatMessage]
  );
}
