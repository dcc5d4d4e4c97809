import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../../../shared/permissions';
import { PluginQueries } from '../plugin-queries';
import { HealthPage } from './HealthPage';
import { HomePage } from './HomePage';

const App = () => (
  <Page.Protect permissions={[{ action: PERMISSIONS.read, subject: null }]}>
    <PluginQueries>
      <Routes>
        <Route index element={<HomePage />} />
        <Route path="health" element={<HealthPage />} />
        <Route path="*" element={<Page.Error />} />
      </Routes>
    </PluginQueries>
  </Page.Protect>
);

export default App;
