import type { Core } from '@strapi/strapi';
import { getService } from './get-service';

/** On shutdown, write what is still buffered before Strapi closes the database. */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  getService(strapi, 'settings').stop();
  getService(strapi, 'salts').stop();
  await getService(strapi, 'scheduler').stop();
  await getService(strapi, 'event-pipeline').stop();
  await getService(strapi, 'monitoring').stop();
  getService(strapi, 'metrics').stop();
};

export default destroy;
