import type { Core } from '@strapi/strapi';
import type { StatusResponse } from '../../../shared/contracts/status';
import { getService } from '../get-service';

const createStatusController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(ctx: { body: StatusResponse }) {
    ctx.body = { data: await getService(strapi, 'status').get() };
  },
});

export default createStatusController;
