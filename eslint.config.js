// Two lint regimes: APPSYNC_JS code (resolvers/, functions/) gets AWS's own
// AppSync rules, type-aware, so what AWS would refuse never reaches a deploy;
// everything else (Node: infra/, local/, test/, bench/) gets strict TypeScript rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import appsync from '@aws-appsync/eslint-plugin';

const appsyncCode = ['resolvers/**/*.ts', 'functions/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'dist/', 'schema/generated/', 'coverage/', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: appsyncCode,
    ...appsync.configs.recommended,
    languageOptions: {
      ...appsync.configs.recommended.languageOptions,
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
);
