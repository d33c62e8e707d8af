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
};
