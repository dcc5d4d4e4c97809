'use strict';

// The three databases the suites run on, how to reach them and how to empty them.
// TEST_DATABASE_NAME (default `test`) lets two checkouts run their suites side by side.
const NAME = process.env.TEST_DATABASE_NAME || 'test';
const DATABASES = {
  sqlite: { label: 'SQLite' },
  postgres: {
    label: 'PostgreSQL',
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: NAME,
  },
  mysql: { label: 'MariaDB', host: '127.0.0.1', port: 3306, user: 'root', database: NAME },
};

async function withClient(name, fn) {
  const { label: _label, ...db } = DATABASES[name];
  if (name === 'postgres') {
    const { Client } = require('pg');
    const connect = async (database) => {
      const client = new Client({ ...db, database, password: '', connectionTimeoutMillis: 3000 });
      await client.connect();
      return client;
    };
    let client;
    try {
      client = await connect(db.database);
    } catch (error) {
      // 3D000: no such database — a new TEST_DATABASE_NAME; create it, as for MariaDB.
      if (error.code !== '3D000') throw error;
      const admin = await connect('postgres');
      try {
        await admin.query(`CREATE DATABASE "${db.database}"`);
      } catch (createError) {
        if (createError.code !== '42P04') throw createError; // created meanwhile
      } finally {
        await admin.end();
      }
      client = await connect(db.database);
    }
    try {
      return await fn((sql) => client.query(sql));
    } finally {
      await client.end();
    }
  }
  if (name === 'mysql') {
    const mysql = require('mysql2/promise');
    // Without a default database, so that one which does not exist yet can be created.
    const { database: _database, ...server } = db;
    const conn = await mysql.createConnection({ ...server, password: '', connectTimeout: 3000 });
    try {
      return await fn((sql) => conn.query(sql));
    } finally {
      await conn.end();
    }
  }
  return fn(async () => undefined);
}

/** Resolves when the database answers; rejects with the driver's error otherwise. */
async function checkReachable(name) {
  if (name === 'sqlite') return;
  await withClient(name, (query) => query('SELECT 1'));
}

/** Drops everything in the test database, so a suite starts from an empty one. */
async function resetDatabase(name) {
  if (name === 'postgres') {
    await withClient(name, async (query) => {
      await query('DROP SCHEMA IF EXISTS public CASCADE');
      await query('CREATE SCHEMA public');
    });
  } else if (name === 'mysql') {
    await withClient(name, async (query) => {
      await query(`DROP DATABASE IF EXISTS \`${NAME}\``);
      await query(`CREATE DATABASE \`${NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    });
  }
}

module.exports = { NAME, DATABASES, checkReachable, resetDatabase, withClient };
