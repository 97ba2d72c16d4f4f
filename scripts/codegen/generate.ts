/**
 * `npm run codegen`: writes the aggregates' generated schema, then the
 * TypeScript types of the whole schema (graphql-codegen, codegen.yml).
 * `--check` writes nothing and fails when a committed file differs.
 */
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AGGREGATES_SCHEMA_FILE, generateAggregatesSchema } from './aggregateSchema.ts';

const check = process.argv.includes('--check');

function committed(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const aggregates = { filename: AGGREGATES_SCHEMA_FILE, content: generateAggregatesSchema() };
if (!check) writeFileSync(aggregates.filename, aggregates.content);
// graphql-codegen reads the schema files, the generated one included, from disk.
const { config } = await loadCodegenConfig({ configFilePath: 'codegen.yml' });
const types: { filename: string; content: string }[] = check ? await generate({ ...config, silent: true }, false) : [];
if (!check) {
  await generate({ ...config, silent: true }, true);
  console.log(
    `Generated ${path.relative(process.cwd(), aggregates.filename)} and the types (${Object.keys(config.generates).join(', ')}).`,
  );
} else {
  const stale = [aggregates, ...types].filter((output) => committed(output.filename) !== output.content);
  if (stale.length > 0) {
    console.error(
      `Generated files are stale: ${stale.map((output) => path.relative(process.cwd(), output.filename)).join(', ')}.\nRun \`npm run codegen\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`Generated files are fresh (${1 + types.length} file(s)).`);
}
