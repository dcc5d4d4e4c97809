'use strict';

const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];

/**
 * Unit tests need nothing; integration tests boot the real test app (see tests/helpers); e2e tests
 * start the test app built with its admin panel and drive it in chromium (npm run test:e2e).
 */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/unit'],
      transform: { '^.+\\.tsx?$': tsJest },
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/integration'],
      globalSetup: '<rootDir>/tests/helpers/build-once.js',
      transform: { '^.+\\.tsx?$': tsJest },
      setupFilesAfterEnv: ['<rootDir>/tests/helpers/integration-timeout.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/e2e'],
      globalSetup: '<rootDir>/tests/e2e/global-setup.js',
      transform: { '^.+\\.tsx?$': tsJest },
    },
    {
      // Faults, load and hostile input against real `strapi start` processes and databases
      // (npm run test:reliability, which prints the figures table).
      displayName: 'reliability',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/reliability'],
      globalSetup: '<rootDir>/tests/helpers/build-once.js',
      transform: { '^.+\\.tsx?$': tsJest },
      setupFilesAfterEnv: ['<rootDir>/tests/helpers/reliability-timeout.ts'],
    },
  ],
};
