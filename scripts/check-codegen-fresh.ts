/**
 * Fails when schema/generated/ is stale: regenerates in memory from
 * codegen.yml and compares with what is committed. Part of `npm test`.
 */
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { readFileSync } from 'node:fs';

const { config } = await loadCodegenConfig({ configFilePath: 'codegen.yml' });
const outputs: { filename: string; content: string }[] = await generate({ ...config, silent: true }, false);
const stale = outputs.filter((output) => {
  let committed = '';
  try {
    committed = readFileSync(output.filename, 'utf8');
  } catch {
    return true;
  }
  return committed !== output.content;
});
if (stale.length > 0) {
  console.error(`Generated types are stale: ${stale.map((output) => output.filename).join(', ')}.\nRun \`npm run codegen\` and commit the result.`);
  process.exit(1);
}
console.log(`Generated types are fresh (${outputs.length} file(s)).`);
