'use strict';

const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];

/** Unit tests need nothing; integration tests boot the real test app (see tests/helpers). */
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
  ],
};
