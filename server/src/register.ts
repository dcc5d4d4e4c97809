import type { Core } from '@strapi/strapi';
import { PERMISSION_ACTIONS } from '../../shared/permissions';
import { createDocumentActivity } from './middlewares/document-activity';
import { createRequestTracking } from './middlewares/request-tracking';
import { createPublicEndpoints } from './middlewares/public-endpoints';
import { createRequestTiming } from './monitoring/request-timing';

const register = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(PERMISSION_ACTIONS);
  const apiPrefix = strapi.config.get<string>('api.rest.prefix', '/api');
  // First, so it times everything after it, the plugin's own fast-path endpoints included.
  strapi.server.use(createRequestTiming(strapi));
  strapi.server.use(createPublicEndpoints(strapi, `${apiPrefix}/usage-analytics/`));
  strapi.server.use(createRequestTracking(strapi));
  strapi.documents.use(
    createDocumentActivity(strapi) as Parameters<typeof strapi.documents.use>[0]
  );
};

export default register;
