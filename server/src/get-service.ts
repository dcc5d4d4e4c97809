import type { Core } from '@strapi/strapi';
import type services from './services';
import { PLUGIN_ID } from '../../shared/permissions';

type Services = typeof services;
export type ServiceName = keyof Services;

/** Typed access to this plugin's services. */
export function getService<Name extends ServiceName>(
  strapi: Core.Strapi,
  name: Name
): ReturnType<Services[Name]> {
  return strapi.plugin(PLUGIN_ID).service(name) as ReturnType<Services[Name]>;
}
