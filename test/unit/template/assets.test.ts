/**
 * Code and schemas kept in S3 by a CDK app (`appsync.Code.fromAsset`, a schema `Asset`), read from
 * the cloud assembly's asset manifest and `asset.*` files, as CDK would have published them
 * (test/fixtures/codeAssetApp, synthesized by CDK); locations that are no asset refused by name.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCloudAssembly, readStackTemplate } from '../../../local/template/cloudAssembly.ts';
import { AssemblyAssets } from '../../../local/template/assets.ts';

const fixture = 'test/fixtures/codeAssetApp';
const assemblyDir = `${fixture}/assembly`;
const account = { accountId: '123456789012', region: 'us-east-1' };
const templateFile = path.join(assemblyDir, 'CodeAssets.template.json');
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
const template = () => JSON.parse(readFileSync(templateFile, 'utf8')) as Template;
const resourceOf = (copy: Template, type: string, match: (props: Record<string, unknown>) => boolean) =>
  Object.values(copy.Resources).find((resource) => resource.Type === type && match(resource.Properties))!;

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
/** A copy of the fixture's assembly with its template changed by `edit`. */
function assemblyWith(edit: (copy: Template) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'code-assets-'));
  scratch.push(dir);
  cpSync(assemblyDir, dir, { recursive: true });
  const copy = template();
  edit(copy);
  writeFileSync(path.join(dir, 'CodeAssets.template.json'), JSON.stringify(copy));
  return dir;
}

describe('an app whose code and schema are file assets', () => {
  const api = readCloudAssembly(assemblyDir).apis[0]!;

  it('serves the schema from its DefinitionS3Location asset', () => {
    expect(api.schema).toBe(readFileSync(`${fixture}/schema.graphql`, 'utf8'));
  });

  it('reads every resolver’s and function’s CodeS3Location (the Fn::Sub bucket CDK writes) from its asset file', () => {
    const source = (file: string) => readFileSync(`${fixture}/resolvers/${file}`, 'utf8');
    expect(api.resolvers.find((resolver) => resolver.fieldName === 'note')?.code).toBe(source('note.js'));
    expect(api.resolvers.find((resolver) => resolver.fieldName === 'saveNote')?.code).toBe(source('pipeline.js'));
    expect(Object.values(api.functions).map((fn) => [fn.name, fn.code])).toEqual([
      ['stamp', source('stamp.js')],
      ['putNote', source('putNote.js')],
    ]);
  });
});

describe('the assembly’s assets', () => {
  const assets = AssemblyAssets.read(assemblyDir);

  it('find a directory asset (zip packaging) by the bucket and key a template names', () => {
    const code = resourceOf(template(), 'AWS::Lambda::Function', () => true).Properties.Code as { S3Key: string };
    const asset = assets.find('cdk-hnb659fds-assets-123456789012-us-east-1', code.S3Key, account);
    expect(asset?.packaging).toBe('zip');
    expect(readdirSync(asset!.path)).toEqual(['index.mjs']);
  });

  it('match only the bucket of the stack’s account and region', () => {
    const key = assets.assets.find((asset) => asset.packaging === 'file')!.destinations[0]!.objectKey;
    expect(assets.find('cdk-hnb659fds-assets-123456789012-us-east-1', key, account)).toBeDefined();
    expect(assets.find('cdk-hnb659fds-assets-123456789012-eu-west-1', key, account)).toBeUndefined();
    expect(assets.find('someone-elses-bucket', key, account)).toBeUndefined();
  });
});

describe('code in S3 that the local runtime cannot read is refused', () => {
  it('a location that is no asset of the assembly, named, with what to do', () => {
    const dir = assemblyWith((copy) => {
      resourceOf(copy, 'AWS::AppSync::FunctionConfiguration', (props) => props.Name === 'stamp').Properties.CodeS3Location =
        's3://my-bucket/resolvers/stamp.js';
    });
    expect(() => readCloudAssembly(dir)).toThrow(
      `function stamp keeps its code in s3://my-bucket/resolvers/stamp.js, which is not an asset of the cloud assembly in ${dir}. Put the code in a file asset (appsync.Code.fromAsset), or use appsync.Code.fromInline so the template carries it.`,
    );
  });

  it('a directory asset: S3 holds a zip there, and AppSync reads one file', () => {
    const dir = assemblyWith((copy) => {
      const lambdaKey = (resourceOf(copy, 'AWS::Lambda::Function', () => true).Properties.Code as { S3Key: string }).S3Key;
      resourceOf(copy, 'AWS::AppSync::Resolver', (props) => props.FieldName === 'note').Properties.CodeS3Location = {
        'Fn::Sub': `s3://cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}/${lambdaKey}`,
      };
    });
    expect(() => readCloudAssembly(dir)).toThrow(
      /resolver Query\.note keeps its code in s3:\/\/cdk-hnb659fds-assets-123456789012-us-east-1\/\w+\.zip, a directory asset \(asset\.\w+\/\) that CDK uploads as a zip/,
    );
  });

  it('an asset built by a command at publish time, which is not in cdk.out', () => {
    const dir = assemblyWith(() => undefined);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'CodeAssets.assets.json'), 'utf8'));
    const [id, asset] = Object.entries(manifest.files as Record<string, { displayName: string; source: Record<string, unknown> }>).find(
      ([, entry]) => entry.displayName === 'Stamp/Code',
    )!;
    manifest.files[id] = { ...asset, source: { executable: ['sh', '-c', 'bundle.sh'] } };
    writeFileSync(path.join(dir, 'CodeAssets.assets.json'), JSON.stringify(manifest));
    expect(() => readCloudAssembly(dir)).toThrow('which is an asset built by a command only when it is published');
  });

  it('a schema location that is no asset', () => {
    const dir = assemblyWith((copy) => {
      resourceOf(copy, 'AWS::AppSync::GraphQLSchema', () => true).Properties.DefinitionS3Location = 's3://my-bucket/schema.graphql';
    });
    expect(() => readCloudAssembly(dir)).toThrow(
      'keeps its schema in s3://my-bucket/schema.graphql, which is not an asset of the cloud assembly',
    );
  });

  it('an APPSYNC_JS resolver with only a mapping template in S3: those hold VTL, AppSync reads JS from Code/CodeS3Location', () => {
    const copy = template();
    const resolver = resourceOf(copy, 'AWS::AppSync::Resolver', (props) => props.FieldName === 'note');
    resolver.Properties.RequestMappingTemplateS3Location = resolver.Properties.CodeS3Location;
    delete resolver.Properties.CodeS3Location;
    expect(() => readStackTemplate(copy, 'CodeAssets', { assets: AssemblyAssets.read(assemblyDir) })).toThrow(
      'resolver Query.note runs APPSYNC_JS but has no Code or CodeS3Location (its request mapping template is VTL, which APPSYNC_JS does not read)',
    );
  });
});
