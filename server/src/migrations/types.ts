import type { Knex } from 'knex';

/** One versioned schema step. Names sort in the order they run and never change once shipped. */
export interface Migration {
  name: string;
  up(knex: Knex, schema: SchemaBuilderFactory): Promise<void>;
}

/** Builds `knex.schema` bound to Strapi's database schema (PostgreSQL `schema` option), if any. */
export type SchemaBuilderFactory = (knex: Knex) => Knex.SchemaBuilder;
