/**
 * The Node.js Lambda functions of a stack, read from its `AWS::Lambda::Function` resources (intrinsics
 * already resolved by the template reader: `Ref` to a table is its name, `Fn::GetAtt` an ARN). Code is the
 * directory asset CDK wrote into the cloud assembly (`Code.S3Bucket`/`S3Key` found through the asset
 * manifest) or the template's `ZipFile`. Functions that back custom resources (`Custom::*`,
 * `AWS::CloudFormation::CustomResource`, CDK's LogRetention) run at deploy time on AWS only: they are
 * skipped and listed. Any other function whose runtime is not Node.js is refused by name.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AssemblyAssets } from '../template/assets.ts';
import type { StackModel } from '../template/cloudAssembly.ts';
import { asyncInvocationConfigOf, type AsyncInvocationConfig } from './asyncInvocationConfig.ts';

/** The Node.js runtimes Lambda supports today (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). */
export const NODE_RUNTIMES = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x'];

/** Lambda's defaults: 3 s timeout, 128 MB (AWS::Lambda::Function `Timeout`, `MemorySize`). */
export const DEFAULT_TIMEOUT_SECONDS = 3;
export const DEFAULT_MEMORY_MB = 128;

export interface LambdaFunctionDefinition {
  logicalId: string;
  /** The physical name: `FunctionName`, else `<stack>-<logicalId>` (as `Ref` resolves it in the stack). */
  name: string;
  arn: string;
  runtime: string;
  /** `file.export`, resolved in `codeDirectory`. */
  handler: string;
  codeDirectory: string;
  /** `Environment.Variables`, intrinsics resolved. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMB: number;
  /** Retries, event age and destinations of its asynchronous invocations; Lambda's defaults when unset. */
  asyncInvocation?: AsyncInvocationConfig;
}

export interface SkippedFunction {
  logicalId: string;
  name: string;
  why: string;
}

/**
 * The functions the local runtime runs and those it skips.
 *
 * @example
 * const { functions, skipped } = lambdaFunctionsOf(stack, assets);
 */
export function lambdaFunctionsOf(
  stack: Pick<StackModel, 'resources' | 'naming' | 'account' | 'stackName'>,
  assets: AssemblyAssets,
): { functions: LambdaFunctionDefinition[]; skipped: SkippedFunction[] } {
  const backing = customResourceProviders(stack);
  const functions: LambdaFunctionDefinition[] = [];
  const skipped: SkippedFunction[] = [];
  for (const [logicalId, resource] of Object.entries(stack.resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = stack.naming.nameOf(logicalId);
    const arn = stack.naming.arnOf(logicalId);
    const provides = backing.get(arn);
    if (provides) {
      skipped.push({ logicalId, name, why: `runs ${provides} at deploy time on AWS only` });
      continue;
    }
    if (logicalId.startsWith('LogRetention')) {
      skipped.push({ logicalId, name, why: "CDK's log-retention function: logs go to the dev log locally" });
      continue;
    }
    const props = resource.Properties;
    const runtime = String(props.Runtime ?? (props.PackageType === 'Image' ? 'a container image' : 'none'));
    if (!NODE_RUNTIMES.includes(runtime)) {
      throw new Error(
        `Lambda function ${logicalId} (${name}) uses the runtime ${runtime}; the local runtime runs Node.js functions only (${NODE_RUNTIMES.join(', ')}). Run it on AWS, or give it a Node.js runtime.`,
      );
    }
    const environment = ((props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<
      string,
      unknown
    >;
    functions.push({
      logicalId,
      name,
      arn,
      runtime,
      handler: String(props.Handler ?? 'index.handler'),
      codeDirectory: codeDirectoryOf(logicalId, props.Code as FunctionCode | undefined, stack, assets),
      environment: Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, stringOf(value)])),
      timeoutSeconds: Number(props.Timeout ?? DEFAULT_TIMEOUT_SECONDS),
      memoryMB: Number(props.MemorySize ?? DEFAULT_MEMORY_MB),
      asyncInvocation: asyncInvocationConfigOf(stack, { logicalId, name, arn }),
    });
  }
  return { functions, skipped };
}

/** The functions custom resources call (their `ServiceToken`), with what they provide. */
function customResourceProviders(stack: Pick<StackModel, 'resources'>): Map<string, string> {
  const providers = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(stack.resources)) {
    const isCustom = resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource';
    if (isCustom && typeof resource.Properties.ServiceToken === 'string') {
      providers.set(resource.Properties.ServiceToken, `the custom resource ${logicalId} (${resource.Type})`);
    }
  }
  return providers;
}

interface FunctionCode {
  S3Bucket?: unknown;
  S3Key?: unknown;
  ZipFile?: unknown;
  ImageUri?: unknown;
}

function codeDirectoryOf(
  logicalId: string,
  code: FunctionCode | undefined,
  stack: Pick<StackModel, 'account' | 'stackName'>,
  assets: AssemblyAssets,
): string {
  if (typeof code?.ZipFile === 'string') {
    // Inline code is written as index.js, the file Lambda gives it (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-code.html).
    const directory = mkdtempSync(path.join(tmpdir(), `lambda-${logicalId}-`));
    writeFileSync(path.join(directory, 'index.js'), code.ZipFile);
    return directory;
  }
  if (typeof code?.S3Bucket === 'string' && typeof code.S3Key === 'string') {
    const asset = assets.find(code.S3Bucket, code.S3Key, stack.account);
    if (asset?.packaging === 'zip') return asset.path;
    throw new Error(
      `Lambda function ${logicalId} keeps its code in s3://${code.S3Bucket}/${code.S3Key}, which is ${asset ? 'a single file, not a directory asset' : 'not a directory asset of this cloud assembly'}. Give it lambda.Code.fromAsset(directory) (or NodejsFunction), or inline code.`,
    );
  }
  throw new Error(`Lambda function ${logicalId} has no code the local runtime can read (ZipFile, or S3Bucket and S3Key of an asset).`);
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
