import { Toggle } from '@strapi/design-system';
import { useTranslate } from '../../hooks/use-translate';

/** A setting's switch, labelled "On" and "Off" like the rest of the settings page. */
export const OnOffToggle = ({
  checked,
  onChange,
  disabled,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) => {
  const t = useTranslate();
  return (
    <Toggle
      onLabel={t('settings.on')}
      offLabel={t('settings.off')}
      checked={checked}
      disabled={disabled}
      onChange={(e) => onChange(e.currentTarget.checked)}
    />
  );
};
