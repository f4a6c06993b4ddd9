// Flat ESLint config for the whole workspace.
// - Type-aware typescript-eslint rules (no-floating-promises & co.) so an un-awaited promise,
//   e.g. `expect(...).resolves` in a test, cannot pass silently.
// - @nx/enforce-module-boundaries as an error: a service never imports another service's code;
//   services speak only through @kairos/contracts and Kafka.
// - Only the messaging library may import kafkajs; only the config library reads process.env.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const SCOPES = ['ingest', 'identity', 'segmentation', 'recommender', 'scheduler', 'renderer'];

/** Layering from apps down to contracts; tests may also use the testing library. */
function typeConstraints(inTests) {
  const testing = inTests ? ['type:testing'] : [];
  const below = {
    'type:app': ['type:feature', 'type:data-access', 'type:domain', 'type:util', 'type:contracts'],
    'type:feature': [
      'type:feature',
      'type:data-access',
      'type:domain',
      'type:util',
      'type:contracts',
    ],
    'type:data-access': ['type:data-access', 'type:domain', 'type:util', 'type:contracts'],
    'type:domain': ['type:domain', 'type:util', 'type:contracts'],
    'type:util': ['type:util', 'type:contracts'],
    'type:contracts': ['type:contracts'],
    'type:testing': [
      'type:testing',
      'type:data-access',
      'type:domain',
      'type:util',
      'type:contracts',
    ],
    'type:e2e': ['type:testing', 'type:util', 'type:contracts'],
  };
  return Object.entries(below).map(([sourceTag, allowed]) => ({
    sourceTag,
    onlyDependOnLibsWithTags: [...new Set([...allowed, ...testing])],
  }));
}

function boundaries(inTests) {
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      // The testing library creates topics with messaging's ensureTopics, and messaging's own
      // integration test uses the testing library: a cycle through test code only.
      ignoredCircularDependencies: [['shared-testing', 'shared-messaging']],
      depConstraints: [
        // Scope: a service's projects may use their own scope and the shared one only.
        ...SCOPES.map((scope) => ({
          sourceTag: `scope:${scope}`,
          onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
        })),
        { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
        { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
        ...typeConstraints(inTests),
      ],
    },
  ];
}

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.stack/**', '.nx/**', 'coverage/**', 'out/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': boundaries(false),
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kafkajs', message: 'Only libs/shared/messaging may import kafkajs.' }],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Read configuration through @kairos/config, the only place that reads process.env.',
        },
      ],
    },
  },
  {
    // The messaging library is the one place kafkajs is imported.
    files: ['libs/shared/messaging/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The config library reads the environment; the telemetry bootstrap runs before it exists,
    // and tests/tools set up environments for the processes they start.
    files: [
      'libs/shared/config/**/*.ts',
      'libs/shared/telemetry/src/start.ts',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'libs/shared/testing/**/*.ts',
      'tools/**/*.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests may use kafkajs directly as an external black-box client (the E2E produces with plain
    // kafkajs, as an upstream system would).
    files: ['**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/shared/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Tests of any project may use the testing library.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
  prettier,
);
