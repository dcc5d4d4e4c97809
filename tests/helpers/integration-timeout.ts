// Booting Strapi on a fresh PostgreSQL or MariaDB schema takes a few seconds; allow for a slow machine.
jest.setTimeout(180_000);
