// Lint rules for every project. Not type-aware on purpose: `tsc --noEmit` (the typecheck target)
// already does the type work, and untyped linting keeps `nx run-many -t lint` fast.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Module boundaries (README, Architecture): contracts ← libs ← apps. Apps never import another app,
// libs never import an app, and kube-sim (a stand-in for the Kubernetes API server) imports only the
// shared contracts. Workspace packages are imported by name; a relative path into another app counts too.
const APPS = ['gateway', 'sandbox-manager', 'sandbox-router', 'executor', 'cli'];
const noApps = [
  {
    group: APPS.flatMap((app) => [`@foxhound/${app}`, `@foxhound/${app}/*`]),
    message:
      'Apps never import an app, and libs never import one: move what both need into a lib (shared shapes into @foxhound/contracts).',
  },
  {
    group: ['**/apps/**', ...APPS.map((app) => `**/${app}/src/**`)],
    message: 'A relative path into an app: apps never import each other, and libs never import apps.',
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.nx/**', '.tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: noApps }] },
  },
  {
    files: ['libs/kube-sim/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noApps,
            {
              regex: '^@foxhound/(?!contracts$|kube-sim$)',
              message: 'kube-sim imports only @foxhound/contracts among the workspace packages.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'tools/**', '**/cli.ts', '**/cli/**'],
    rules: { 'no-console': 'off' },
  },
);
