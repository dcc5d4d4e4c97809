import type { Core } from '@strapi/strapi';

// Nothing is buffered yet; the collection pipeline flushes here.
const destroy = async (_: { strapi: Core.Strapi }) => {};

export default destroy;
