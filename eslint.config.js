// Two lint regimes: APPSYNC_JS code (resolvers/, functions/) gets AWS's own AppSync rules,
// type-aware, so what AWS would refuse never reaches a deploy; everything else (Node: infra/,
// local/, dev/, test/, bench/, scripts/, examples/) gets typescript-eslint's strict rules.
// A file-size limit (max-lines) for all. Then the architecture, as import boundaries per folder (see /work/shared/STYLE.md, Layout):
//   functions/, resolvers/  import only @aws-appsync/utils, schema/generated/ and functions/
//   local/                  imports nothing of functions/, resolvers/, infra/ or schema/
//   infra/                  never imports local/
//   outside local/          only local/index.ts, the runtime's one entry point
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import appsync from '@aws-appsync/eslint-plugin';

const appsyncCode = ['resolvers/**/*.ts', 'functions/**/*.ts'];
const testCode = ['test/**/*.ts'];

/** A deep import of the local runtime from outside it: everything goes through local/index.ts. */
const deepLocalImport = {
  regex: '^(\\.\\./)+local/(?!index\\.ts$)',
  message: 'Import the local runtime from local/index.ts, its one entry point (export what you need there).',
};

export default tseslint.config(
  // Fixture apps' committed syntheses are CDK output (as cdk.out/), with CDK's own minified handlers among their assets.
  { ignores: ['node_modules/', 'cdk.out/', 'test/fixtures/*/assembly/', '.local/', 'dist/', 'schema/generated/', 'coverage/', '**/*.mjs'] },
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
  // Strict rules on the Node code.
  ...tseslint.configs.strict.map((config) => ({ ...config, ignores: appsyncCode })),
  {
    ignores: appsyncCode,
    rules: {
      // noUncheckedIndexedAccess makes `!` the way to say "this index was just checked"; banning it would mean casts instead.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Target invokers and test responders may return a result or nothing: `Result | void` says so exactly.
      '@typescript-eslint/no-invalid-void-type': 'off',
    },
  },
  {
    files: testCode,
    rules: {
      // Tests build partial inputs by deleting one named field at a time.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  // Files hold one job: a size limit the whole tree meets (code lines as Prettier formats them; blank
  // lines and comments not counted). Set just above the largest after the splits: local/stepfunctions/
  // interpreter.ts, 406 lines. A file that needs more holds a second job: split it.
  { rules: { 'max-lines': ['error', { max: 420, skipBlankLines: true, skipComments: true }] } },
  // A test file may hold every case of one behaviour's table (pattern matching, state machines: 734).
  { files: testCode, rules: { 'max-lines': ['error', { max: 750, skipBlankLines: true, skipComments: true }] } },
  // Import boundaries.
  {
    files: appsyncCode,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // '@aggregate' is functions/eventStore/boundAggregate.ts, bound per aggregate at bundle time (tsconfig paths).
              regex: '^(?!@aws-appsync/utils$|@aggregate$|\\.)',
              message: 'APPSYNC_JS code imports only @aws-appsync/utils, schema/generated/ and functions/ (AppSync bundles nothing else).',
            },
            {
              regex: '(^|/)(infra|local|dev|test|bench|scripts|examples)(/|$)|(^|/)schema/(?!generated/)',
              message: 'APPSYNC_JS code imports only @aws-appsync/utils, schema/generated/ and functions/.',
            },
            { regex: '^(\\./|(\\.\\./)+)resolvers/', message: 'Resolvers are entry points: functions/ holds what they share.' },
          ],
        },
      ],
    },
  },
  {
    files: ['local/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(functions|resolvers|infra|schema|dev|test|bench|examples|scripts)/',
              message:
                'The local runtime serves any synthesized app: it imports nothing of this app (functions/, resolvers/, infra/, schema/) nor of its tools.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['infra/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)local(/|$)',
              message: 'infra/ describes the deployed app; the local runtime reads its synthesized output, never the other way.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts', 'dev/**/*.ts', 'scripts/**/*.ts', '*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [deepLocalImport] }] },
  },
  {
    // Unit tests of local/ modules import the module under test itself: the entry point exports what
    // callers use, not every internal a unit test pins down (the sandbox realm, the document checker,
    // the CLI's argument parsing), and loading it would give each unit test file the whole runtime's
    // import time. The orphan-test child process loads DynamoDbLocal alone for the same reason: it
    // must print READY within the test's deadline.
    files: ['test/unit/**/*.ts', 'test/integration/dynamodb/fixtures/startDynamoDbLocalAndHang.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
