import { LinkButton } from '@strapi/design-system';
import { Server } from '@strapi/icons';
import { Link } from 'react-router-dom';
import { useTranslate } from '../hooks/use-translate';

/** From the content dashboard to the system health page. */
export const HealthLink = () => {
  const t = useTranslate();
  return (
    <LinkButton tag={Link} to="health" variant="tertiary" startIcon={<Server />}>
      {t('health.title')}
    </LinkButton>
  );
};
