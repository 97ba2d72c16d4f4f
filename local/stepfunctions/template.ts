/**
 * State machines of a synthesized stack: `AWS::StepFunctions::StateMachine` with its definition from
 * `DefinitionString` (intrinsics already resolved by the template loader), `Definition` (an object), or
 * `DefinitionS3Location` (a file asset of the cloud assembly, found through its `*.assets.json` manifest),
 * `DefinitionSubstitutions` applied (`${name}` placeholders), `StateMachineType` and `RoleArn`.
 * A definition in S3 that is no asset of the assembly is refused, naming the location.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { StateMachineType } from './LocalStepFunctions.ts';

export interface StateMachineModel {
  logicalId: string;
  name: string;
  arn: string;
  type: StateMachineType;
  roleArn: string | undefined;
  definition: string;
}

interface AssetManifest {
  files?: Record<
    string,
    { source?: { path?: string; packaging?: string }; destinations?: Record<string, { objectKey?: string; bucketName?: string }> }
  >;
}

/** The file of the assembly that an S3 location names, through the asset manifests' destinations. */
function assetFile(cdkOut: string, location: { Bucket?: unknown; Key?: unknown }, where: string): string {
  const key = String(location.Key ?? '');
  for (const file of readdirSync(cdkOut).filter((name) => name.endsWith('.assets.json'))) {
    const manifest = JSON.parse(readFileSync(path.join(cdkOut, file), 'utf8')) as AssetManifest;
    for (const asset of Object.values(manifest.files ?? {})) {
      if (!Object.values(asset.destinations ?? {}).some((destination) => destination.objectKey === key)) continue;
      if (!asset.source?.path || asset.source.packaging === 'zip')
        throw new Error(`${where}: the asset ${key} is a directory; a state machine definition must be a file.`);
      return readFileSync(path.join(cdkOut, asset.source.path), 'utf8');
    }
  }
  throw new Error(
    `${where} keeps its definition at s3://${String(location.Bucket)}/${key}, which is not an asset of ${cdkOut}: only definitions in the template or in the assembly's assets run locally.`,
  );
}

/** `${name}` placeholders of the definition replaced by DefinitionSubstitutions' values. */
function substitute(definition: string, substitutions: Record<string, unknown> | undefined): string {
  if (!substitutions) return definition;
  return definition.replace(/\$\{([^}]+)\}/g, (match, name: string) =>
    Object.hasOwn(substitutions, name) ? String(substitutions[name]) : match,
  );
}

/**
 * The state machines of one stack's resolved resources.
 *
 * @example
 * for (const machine of stateMachinesFromTemplate(stack.resources, 'cdk.out', (id) => arnOf(id))) sfn.createStateMachine(machine);
 */
export function stateMachinesFromTemplate(
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>,
  cdkOut: string,
  naming: { nameOf: (logicalId: string) => string; arnOf: (logicalId: string) => string },
): StateMachineModel[] {
  const machines: StateMachineModel[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const props = resource.Properties;
    const where = `State machine ${logicalId}`;
    let definition: string;
    if (typeof props.DefinitionString === 'string') definition = props.DefinitionString;
    else if (props.Definition !== undefined && typeof props.Definition === 'object') definition = JSON.stringify(props.Definition);
    else if (props.DefinitionS3Location !== undefined)
      definition = assetFile(cdkOut, props.DefinitionS3Location as { Bucket?: unknown; Key?: unknown }, where);
    else throw new Error(`${where} has no DefinitionString, Definition or DefinitionS3Location.`);
    const type = (props.StateMachineType ?? 'STANDARD') as StateMachineType;
    if (type !== 'STANDARD' && type !== 'EXPRESS')
      throw new Error(`${where}: StateMachineType ${String(type)} is not STANDARD or EXPRESS.`);
    machines.push({
      logicalId,
      name: naming.nameOf(logicalId),
      arn: naming.arnOf(logicalId),
      type,
      roleArn: typeof props.RoleArn === 'string' ? props.RoleArn : undefined,
      definition: substitute(definition, props.DefinitionSubstitutions as Record<string, unknown> | undefined),
    });
  }
  return machines;
}
