import { Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type { FileOnlySetting } from '../../../../shared/contracts/settings';
import { useTranslate } from '../../hooks/use-translate';
import { SettingsCard } from './SettingsCard';

/** The keys only config/plugins sets: shown read-only, each needing a restart to change. */
export const FileOnlySettings = ({ settings }: { settings: FileOnlySetting[] }) => {
  const t = useTranslate();
  const show = (setting: FileOnlySetting) => {
    if (setting.secret) return t(setting.value ? 'settings.secretSet' : 'settings.secretNotSet');
    if (setting.value === null) return t('settings.notSet');
    if (typeof setting.value === 'boolean')
      return t(setting.value ? 'settings.on' : 'settings.off');
    if (Array.isArray(setting.value)) {
      return setting.value.length ? setting.value.join(', ') : t('settings.emptyList');
    }
    return String(setting.value);
  };
  return (
    <SettingsCard
      title={t('settings.fileOnly.title')}
      description={t('settings.fileOnly.description')}
    >
      <Table colCount={2} rowCount={settings.length + 1} data-testid="file-only-settings">
        <Thead>
          <Tr>
            <Th>
              <Typography variant="sigma">{t('settings.fileOnly.key')}</Typography>
            </Th>
            <Th>
              <Typography variant="sigma">{t('settings.fileOnly.value')}</Typography>
            </Th>
          </Tr>
        </Thead>
        <Tbody>
          {settings.map((setting) => (
            <Tr key={setting.key}>
              <Td>
                <Typography tag="code">{setting.key}</Typography>
              </Td>
              <Td>
                <Typography>{show(setting)}</Typography>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </SettingsCard>
  );
};
