import type { Core } from '@strapi/strapi';
import { PERMISSION_ACTIONS } from '../../shared/permissions';

const register = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(PERMISSION_ACTIONS);
};

export default register;
