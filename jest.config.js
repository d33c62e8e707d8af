// Jest runs in CommonJS mode; ESM-only dependencies are transformed by ts-jest.
const esmOnly = [
  'bpmn-moddle', 'moddle', 'moddle-xml', 'saxen', 'min-dash', 'feelin', 'lezer-feel',
  '@lezer', 'bpmn-js', 'temporal-polyfill', 'temporal-utils', 'temporal-spec', 'zeebe-bpmn-moddle', 'jose',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
    '^.+\\.mjs$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // Two workers even on 2 cores (jest's default there is one): most suites wait on PostgreSQL,
  // PGlite or Chromium, each in its own schema or browser. Measured on this 2-core machine:
  // the whole suite in 620 s instead of 969-1,006 s, every suite passing.
  maxWorkers: 2,
};
