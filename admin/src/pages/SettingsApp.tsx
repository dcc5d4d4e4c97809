import { Page } from '@strapi/strapi/admin';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { PERMISSIONS } from '../../../shared/permissions';
import { SettingsPage } from './SettingsPage';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

/** Settings → Usage Analytics, for roles with the `settings` permission (the API checks it too). */
const SettingsApp = () => (
  <Page.Protect permissions={[{ action: PERMISSIONS.settings, subject: null }]}>
    <QueryClientProvider client={queryClient}>
      <SettingsPage />
    </QueryClientProvider>
  </Page.Protect>
);

export default SettingsApp;
