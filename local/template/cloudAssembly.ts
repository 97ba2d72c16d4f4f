/**
 * Reads a CDK cloud assembly (`cdk.out`) into the model the local runtime
 * serves: AppSync APIs (schema, auth modes, API keys, environment, data
 * sources, functions, resolvers), DynamoDB tables, EventBridge buses and
 * rules, IAM roles. Nothing here knows this project's domain: any CDK app's
 * assembly loads, and what the runtime cannot serve is refused by type.
 *
 * @example
 * const assembly = readCloudAssembly('cdk.out');
 * for (const api of assembly.apis) console.log(api.name, api.resolvers.length);
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IntrinsicResolver, type LocalAccount } from './intrinsics.ts';
import { AssemblyAssets } from './assets.ts';
import { directLambdaResolverCode } from '../lambda/directResolver.ts';
import { lambdaAuthorizerOf, type LambdaAuthorizerModel } from './lambdaAuthorizerConfig.ts';
import {
  parametersForStack,
  refuseUnknownParameters,
  resolveStackParameters,
  StackParameters,
  type ParameterDeclaration,
} from './parameters.ts';

export type { LambdaAuthorizerModel } from './lambdaAuthorizerConfig.ts';

export type AuthenticationType = 'API_KEY' | 'AWS_IAM' | 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

export interface DataSourceModel {
  name: string;
  type: 'AMAZON_DYNAMODB' | 'AMAZON_EVENTBRIDGE' | 'NONE' | 'HTTP' | 'AWS_LAMBDA' | string;
  tableName?: string;
  eventBusArn?: string;
  httpEndpoint?: string;
  /** For an HTTP data source that signs its calls (an AWS API): the service it signs for. */
  httpSigningService?: string;
  /** For an AWS_LAMBDA data source: the function it invokes (`LambdaConfig.LambdaFunctionArn`). */
  lambdaFunctionArn?: string;
  serviceRoleArn?: string;
}

export interface FunctionModel {
  id: string;
  name: string;
  dataSourceName: string;
  code: string;
  /** `MaxBatchSize`: how many calls a Lambda `BatchInvoke` groups (0 or absent: AppSync's default). */
  maxBatchSize?: number;
}

export interface ResolverModel {
  typeName: string;
  fieldName: string;
  kind: 'UNIT' | 'PIPELINE';
  code: string | undefined;
  dataSourceName?: string;
  functionIds: string[];
  /** `MaxBatchSize`: how many calls a Lambda `BatchInvoke` groups (0 or absent: AppSync's default). */
  maxBatchSize?: number;
}

export interface AppSyncApiModel {
  logicalId: string;
  apiId: string;
  name: string;
  arn: string;
  schema: string;
  defaultAuthentication: AuthenticationType;
  additionalAuthentications: AuthenticationType[];
  /** True when the template declares an API key; locally it takes the value the runtime is given. */
  hasApiKey: boolean;
  /** The Lambda authorizer, when a mode of the API is AWS_LAMBDA. */
  lambdaAuthorizer?: LambdaAuthorizerModel;
  environment: Record<string, string>;
  dataSources: Record<string, DataSourceModel>;
  functions: Record<string, FunctionModel>;
  resolvers: ResolverModel[];
}

export interface TableModel {
  logicalId: string;
  tableName: string;
  /** The resource's properties with intrinsics resolved. */
  properties: Record<string, unknown>;
  type: 'AWS::DynamoDB::Table' | 'AWS::DynamoDB::GlobalTable';
}

export interface IamRoleModel {
  logicalId: string;
  arn: string;
  name: string;
  /** Policy statements attached to the role (inline policies and AWS::IAM::Policy resources). */
  statements: { Effect: string; Action: string | string[]; Resource: string | string[] }[];
}

export interface StackModel {
  stackName: string;
  account: LocalAccount;
  apis: AppSyncApiModel[];
  tables: TableModel[];
  /** Every resource with intrinsics resolved, by logical id (for loaders of other kinds: the bus, rules). */
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  roles: Record<string, IamRoleModel>;
  /** Resource types this stack has that run nowhere locally, with why. */
  ignored: { logicalId: string; type: string; why: string }[];
  /** The template's parameters with the values `Ref` resolves them to. */
  parameters: StackParameters;
  /** The local physical name and ARN of a resource, as `Ref` and `Fn::GetAtt` resolve them in this stack. */
  naming: { nameOf: (logicalId: string) => string; arnOf: (logicalId: string) => string };
}

/** What the user gives the templates: parameter values, `Name` or `Stack:Name` as `cdk deploy --parameters` takes them. */
export interface TemplateOptions {
  parameters?: Record<string, string>;
  /** The assembly's file assets, where code and schemas kept in S3 are read from. */
  assets?: AssemblyAssets;
}

type Template = {
  Parameters?: Record<string, ParameterDeclaration>;
  Conditions?: Record<string, unknown>;
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; Condition?: string }>;
};

export interface CloudAssemblyModel {
  directory: string;
  stacks: StackModel[];
  apis: AppSyncApiModel[];
  tables: TableModel[];
}

/** What the local runtime does with each resource type: served, or present only on AWS. */
const SERVED = new Set([
  'AWS::AppSync::GraphQLApi',
  'AWS::AppSync::GraphQLSchema',
  'AWS::AppSync::ApiKey',
  'AWS::AppSync::DataSource',
  'AWS::AppSync::FunctionConfiguration',
  'AWS::AppSync::Resolver',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::Pipes::Pipe',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::StepFunctions::StateMachine',
  'AWS::Lambda::Function',
]);
const AWS_ONLY: Record<string, string> = {
  'AWS::Logs::LogGroup': 'logs go to the console locally',
  'AWS::SQS::Queue': 'dead letters are kept in memory by the local bus',
  'AWS::SQS::QueuePolicy': 'no queue runs locally',
  'AWS::CDK::Metadata': 'CDK bookkeeping',
  'AWS::IAM::ManagedPolicy': 'IAM is checked only for the rule roles that call AppSync',
  'AWS::Lambda::Permission':
    'read only for Lambda authorizers (AppSync must be allowed to invoke them); other callers invoke without resource policies',
};
const CUSTOM_RESOURCE = 'a custom resource: its provider runs at deploy time, on AWS only';

const LOCAL_ACCOUNT = { accountId: '123456789012', region: 'us-east-1' };

/** Read every stack template of a cloud assembly directory, with the parameter values given. */
export function readCloudAssembly(directory: string, options: TemplateOptions = {}): CloudAssemblyModel {
  const manifest = JSON.parse(readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string }; displayName?: string }>;
  };
  const templates: [string, Template][] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    templates.push([artifactId, JSON.parse(readFileSync(path.join(directory, artifact.properties.templateFile), 'utf8')) as Template]);
  }
  if (templates.length === 0) {
    throw new Error(`${directory} holds no CloudFormation stack: run \`npx cdk synth\` first, or point --cdk-out at a synthesized app.`);
  }
  const given = options.parameters ?? {};
  refuseUnknownParameters(
    given,
    Object.fromEntries(templates.map(([stackName, template]) => [stackName, Object.keys(template.Parameters ?? {})])),
  );
  const assets = AssemblyAssets.read(directory);
  const stacks = templates.map(([stackName, template]) =>
    readStackTemplate(template, stackName, { parameters: parametersForStack(given, stackName), assets }),
  );
  return { directory, stacks, apis: stacks.flatMap((stack) => stack.apis), tables: stacks.flatMap((stack) => stack.tables) };
}

/** Read one CloudFormation template (as CDK synthesizes it), its parameters given `options.parameters` (unprefixed names). */
export function readStackTemplate(template: Template, stackName: string, options: TemplateOptions = {}): StackModel {
  const raw = template.Resources ?? {};
  const account: LocalAccount = { ...LOCAL_ACCOUNT, stackName };
  const parameters = resolveStackParameters(template.Parameters, options.parameters ?? {}, stackName);
  const intrinsics = new IntrinsicResolver(raw, account, { parameters, conditions: template.Conditions });
  const resources: StackModel['resources'] = {};
  const ignored: StackModel['ignored'] = [];
  for (const [logicalId, resource] of Object.entries(raw)) {
    if (!intrinsics.isCreated(logicalId)) {
      ignored.push({ logicalId, type: resource.Type, why: `not created: its condition ${resource.Condition} is false` });
      continue;
    }
    if (!SERVED.has(resource.Type)) {
      const custom = resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource';
      ignored.push({
        logicalId,
        type: resource.Type,
        why: AWS_ONLY[resource.Type] ?? (custom ? CUSTOM_RESOURCE : 'not served by the local runtime'),
      });
    }
    resources[logicalId] = {
      Type: resource.Type,
      Properties: (intrinsics.resolve(resource.Properties ?? {}, logicalId) ?? {}) as Record<string, unknown>,
    };
  }
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

  const tables: TableModel[] = [...ofType('AWS::DynamoDB::Table'), ...ofType('AWS::DynamoDB::GlobalTable')].map(
    ([logicalId, resource]) => ({
      logicalId,
      tableName: intrinsics.physicalName(logicalId),
      properties: resource.Properties,
      type: resource.Type as TableModel['type'],
    }),
  );

  const roles: Record<string, IamRoleModel> = {};
  for (const [logicalId, resource] of ofType('AWS::IAM::Role')) {
    const inline = ((resource.Properties.Policies ?? []) as { PolicyDocument: { Statement: IamRoleModel['statements'] } }[]).flatMap(
      (policy) => policy.PolicyDocument.Statement,
    );
    roles[intrinsics.arn(logicalId)] = {
      logicalId,
      arn: intrinsics.arn(logicalId),
      name: intrinsics.physicalName(logicalId),
      statements: inline,
    };
  }
  for (const [, resource] of ofType('AWS::IAM::Policy')) {
    const statements = (resource.Properties.PolicyDocument as { Statement: IamRoleModel['statements'] }).Statement;
    for (const roleName of (resource.Properties.Roles ?? []) as string[]) {
      const role = Object.values(roles).find((candidate) => candidate.name === roleName);
      role?.statements.push(...statements);
    }
  }

  const code: CodeSource = { assets: options.assets ?? AssemblyAssets.none(), account };
  const apis = ofType('AWS::AppSync::GraphQLApi').map(([logicalId, resource]) =>
    readApi(logicalId, resource.Properties, resources, intrinsics, code),
  );
  const naming = {
    nameOf: (logicalId: string) => intrinsics.physicalName(logicalId),
    arnOf: (logicalId: string) => intrinsics.arn(logicalId),
  };
  return { stackName, account, apis, tables, resources, roles, ignored, parameters, naming };
}

function readApi(
  logicalId: string,
  props: Record<string, unknown>,
  resources: StackModel['resources'],
  intrinsics: IntrinsicResolver,
  code: CodeSource,
): AppSyncApiModel {
  const apiId = intrinsics.apiId(logicalId);
  const belongs = (type: string) =>
    Object.entries(resources).filter(([, resource]) => resource.Type === type && resource.Properties.ApiId === apiId);

  const schemaProps = belongs('AWS::AppSync::GraphQLSchema')[0]?.[1].Properties;
  const schema =
    typeof schemaProps?.DefinitionS3Location === 'string' && schemaProps.Definition === undefined
      ? code.assets.readText(schemaProps.DefinitionS3Location, code.account, `The schema of AppSync API ${logicalId}`, 'schema')
      : schemaProps?.Definition;
  if (typeof schema !== 'string') {
    throw new Error(
      `AppSync API ${logicalId} has no schema: its AWS::AppSync::GraphQLSchema needs a Definition or a DefinitionS3Location.`,
    );
  }

  const dataSources: Record<string, DataSourceModel> = {};
  for (const [, resource] of belongs('AWS::AppSync::DataSource')) {
    const p = resource.Properties;
    const source: DataSourceModel = { name: String(p.Name), type: String(p.Type) };
    if (p.DynamoDBConfig) source.tableName = String((p.DynamoDBConfig as { TableName: string }).TableName);
    if (p.EventBridgeConfig) source.eventBusArn = String((p.EventBridgeConfig as { EventBusArn: string }).EventBusArn);
    if (p.HttpConfig) {
      const http = p.HttpConfig as {
        Endpoint: string;
        AuthorizationConfig?: { AuthorizationType?: string; AwsIamConfig?: { SigningServiceName?: string } };
      };
      source.httpEndpoint = String(http.Endpoint);
      if (http.AuthorizationConfig?.AuthorizationType === 'AWS_IAM')
        source.httpSigningService = http.AuthorizationConfig.AwsIamConfig?.SigningServiceName;
    }
    if (p.LambdaConfig) source.lambdaFunctionArn = String((p.LambdaConfig as { LambdaFunctionArn: string }).LambdaFunctionArn);
    if (p.ServiceRoleArn) source.serviceRoleArn = String(p.ServiceRoleArn);
    dataSources[source.name] = source;
  }

  const functions: Record<string, FunctionModel> = {};
  for (const [functionId, resource] of belongs('AWS::AppSync::FunctionConfiguration')) {
    const p = resource.Properties;
    const dataSource = dataSources[String(p.DataSourceName)];
    functions[functionId] = {
      id: functionId,
      name: String(p.Name),
      dataSourceName: String(p.DataSourceName),
      code: isDirectLambda(p, dataSource) ? directLambdaResolverCode(batchSizeOf(p)) : jsCodeOf(p, `function ${String(p.Name)}`, code),
      ...(batchSizeOf(p) ? { maxBatchSize: batchSizeOf(p) } : {}),
    };
  }

  const resolvers: ResolverModel[] = belongs('AWS::AppSync::Resolver').map(([, resource]) => {
    const p = resource.Properties;
    const kind = (p.Kind ?? 'UNIT') as 'UNIT' | 'PIPELINE';
    const where = `resolver ${String(p.TypeName)}.${String(p.FieldName)}`;
    const dataSource = p.DataSourceName === undefined ? undefined : dataSources[String(p.DataSourceName)];
    return {
      typeName: String(p.TypeName),
      fieldName: String(p.FieldName),
      kind,
      code:
        p.Code === undefined && p.CodeS3Location === undefined && kind === 'PIPELINE' && p.Runtime !== undefined
          ? undefined
          : kind === 'UNIT' && isDirectLambda(p, dataSource)
            ? directLambdaResolverCode(batchSizeOf(p))
            : jsCodeOf(p, where, code),
      dataSourceName: p.DataSourceName === undefined ? undefined : String(p.DataSourceName),
      functionIds: ((p.PipelineConfig as { Functions?: string[] } | undefined)?.Functions ?? []).map(String),
      ...(batchSizeOf(p) ? { maxBatchSize: batchSizeOf(p) } : {}),
    };
  });

  const additional = ((props.AdditionalAuthenticationProviders ?? []) as { AuthenticationType: AuthenticationType }[]).map(
    (provider) => provider.AuthenticationType,
  );
  const lambdaAuthorizer = lambdaAuthorizerOf(logicalId, props, resources, intrinsics.arn(logicalId));
  return {
    logicalId,
    apiId,
    name: String(props.Name ?? logicalId),
    arn: intrinsics.arn(logicalId),
    schema,
    defaultAuthentication: props.AuthenticationType as AuthenticationType,
    additionalAuthentications: additional,
    hasApiKey: belongs('AWS::AppSync::ApiKey').length > 0,
    ...(lambdaAuthorizer ? { lambdaAuthorizer } : {}),
    environment: Object.fromEntries(
      Object.entries((props.EnvironmentVariables ?? {}) as Record<string, unknown>).map(([key, value]) => [key, String(value)]),
    ),
    dataSources,
    functions,
    resolvers,
  };
}

/**
 * A direct Lambda resolver: a resolver or function on an AWS_LAMBDA data source with no code and no mapping
 * templates (https://docs.aws.amazon.com/appsync/latest/devguide/direct-lambda-reference.html).
 */
function isDirectLambda(props: Record<string, unknown>, dataSource: DataSourceModel | undefined): boolean {
  return (
    dataSource?.type === 'AWS_LAMBDA' &&
    props.Runtime === undefined &&
    [
      'Code',
      'CodeS3Location',
      'RequestMappingTemplate',
      'RequestMappingTemplateS3Location',
      'ResponseMappingTemplate',
      'ResponseMappingTemplateS3Location',
    ].every((key) => props[key] === undefined)
  );
}

function batchSizeOf(props: Record<string, unknown>): number | undefined {
  const size = Number(props.MaxBatchSize ?? 0);
  return size > 0 ? size : undefined;
}

/** Where code kept in S3 is read from: the assembly's assets, as published for this stack's account. */
interface CodeSource {
  assets: AssemblyAssets;
  account: LocalAccount;
}

/** The local runtime runs APPSYNC_JS only: VTL resolvers are refused by name; code in S3 is read from the assembly's file assets. */
function jsCodeOf(props: Record<string, unknown>, where: string, code: CodeSource): string {
  const runtime = props.Runtime as { Name?: string } | undefined;
  if (runtime?.Name !== 'APPSYNC_JS') {
    throw new Error(`${where} is a VTL resolver; the local runtime runs APPSYNC_JS resolvers only.`);
  }
  if (typeof props.Code === 'string') return props.Code;
  if (typeof props.CodeS3Location === 'string') return code.assets.readText(props.CodeS3Location, code.account, where, 'code');
  // Mapping templates (inline or in S3) hold VTL; AppSync takes APPSYNC_JS code from Code or CodeS3Location only.
  const mappingTemplate = props.RequestMappingTemplateS3Location ?? props.RequestMappingTemplate;
  throw new Error(
    `${where} runs APPSYNC_JS but has no Code or CodeS3Location${mappingTemplate === undefined ? '' : ' (its request mapping template is VTL, which APPSYNC_JS does not read)'}; give it appsync.Code.fromAsset or appsync.Code.fromInline.`,
  );
}
