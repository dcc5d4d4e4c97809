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

/**
 * The services a service uses, named where it is created: `use(name)` reaches those, and only
 * those (looked up when called, so services may use each other whatever order Strapi makes them).
 */
export function servicesUsed<const Name extends ServiceName>(
  strapi: Core.Strapi,
  _names: readonly Name[]
): <Used extends Name>(name: Used) => ReturnType<Services[Used]> {
  return (name) => getService(strapi, name);
}
