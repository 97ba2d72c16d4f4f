/**
 * Resolves CloudFormation intrinsic functions in a synthesized template to
 * the local stand-ins of the physical names and ARNs AWS would assign:
 * `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split` and the
 * pseudo parameters; with the template's inputs, `Ref` to its parameters and
 * `Fn::If` on its conditions (`AWS::NoValue` removes the property or list item).
 * Anything else is refused with the path of the value, so an unsupported
 * template fails loudly at start rather than at run time.
 */
import { TemplateConditions } from './conditions.ts';
import type { StackParameters } from './parameters.ts';

export interface LocalAccount {
  accountId: string;
  region: string;
  stackName: string;
}

/** The label of every table's stream locally (on AWS, the stream's creation time). */
export const LOCAL_STREAM_LABEL = '1970-01-01T00:00:00.000';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; Condition?: string }>;

/** What a template brings besides its resources: its parameters' values and its Conditions section. */
export interface TemplateInputs {
  parameters?: StackParameters;
  conditions?: Record<string, unknown>;
}

export class IntrinsicResolver {
  /** The template's conditions, evaluated on first use. */
  readonly conditions: TemplateConditions;

  constructor(
    private readonly resources: Resources,
    private readonly account: LocalAccount,
    private readonly inputs: TemplateInputs = {},
  ) {
    this.conditions = new TemplateConditions(inputs.conditions ?? {}, (value, path) => this.resolve(value, path));
  }

  /** Whether a resource is created: true unless its `Condition` is false. */
  isCreated(logicalId: string): boolean {
    const condition = this.resources[logicalId]?.Condition;
    return condition === undefined || this.conditions.holds(condition, `${logicalId}.Condition`);
  }

  /** The physical name of a resource: the name its properties give, else one derived from the stack and logical id. */
  physicalName(logicalId: string): string {
    const resource = this.resource(logicalId);
    const props = resource.Properties ?? {};
    const named = {
      'AWS::DynamoDB::Table': 'TableName',
      'AWS::DynamoDB::GlobalTable': 'TableName',
      'AWS::Events::EventBus': 'Name',
      'AWS::Events::Rule': 'Name',
      'AWS::IAM::Role': 'RoleName',
      'AWS::SQS::Queue': 'QueueName',
      'AWS::AppSync::GraphQLApi': 'Name',
      'AWS::StepFunctions::StateMachine': 'StateMachineName',
      'AWS::Pipes::Pipe': 'Name',
      'AWS::Lambda::Function': 'FunctionName',
    }[resource.Type];
    const given = named ? props[named] : undefined;
    if (given !== undefined) {
      return String(this.resolve(given, `${logicalId}.${named}`));
    }
    return `${this.account.stackName}-${logicalId}`;
  }

  /** A stable local id for an AppSync API: AWS's are 26 lower-case characters. */
  apiId(logicalId: string): string {
    return `local${logicalId.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 26).padEnd(26, '0');
  }

  arn(logicalId: string): string {
    const { accountId, region } = this.account;
    const resource = this.resource(logicalId);
    const name = this.physicalName(logicalId);
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
      case 'AWS::Events::EventBus':
        return `arn:aws:events:${region}:${accountId}:event-bus/${name}`;
      case 'AWS::Events::Rule':
        return `arn:aws:events:${region}:${accountId}:rule/${name}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${accountId}:role/${name}`;
      case 'AWS::Pipes::Pipe':
        return `arn:aws:pipes:${region}:${accountId}:pipe/${name}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${accountId}:${name}`;
      case 'AWS::AppSync::GraphQLApi':
        return `arn:aws:appsync:${region}:${accountId}:apis/${this.apiId(logicalId)}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
      default:
        return `arn:aws:local:${region}:${accountId}:${resource.Type.replaceAll('::', '-').toLowerCase()}/${name}`;
    }
  }

  /** Resolve every intrinsic inside `value`. `path` names the value in errors. */
  resolve(value: unknown, path = ''): unknown {
    if (Array.isArray(value)) {
      // AWS::NoValue (through Fn::If) removes the item.
      return value.map((item, index) => this.resolve(item, `${path}[${index}]`)).filter((item) => item !== undefined);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, argument] = entries[0]!;
      if (key === 'Ref') return this.ref(String(argument), path);
      if (key.startsWith('Fn::')) return this.fn(key, argument, path);
    }
    // AWS::NoValue (through Fn::If) removes the property.
    return Object.fromEntries(
      entries.map(([key, item]) => [key, this.resolve(item, `${path}.${key}`)]).filter(([, item]) => item !== undefined),
    );
  }

  private ref(name: string, path: string): unknown {
    switch (name) {
      case 'AWS::Region':
        return this.account.region;
      case 'AWS::AccountId':
        return this.account.accountId;
      case 'AWS::StackName':
        return this.account.stackName;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NoValue':
        return undefined;
    }
    const parameter = this.inputs.parameters?.valueOf(name, path);
    if (parameter !== undefined) return parameter;
    const resource = this.resource(name, path);
    switch (resource.Type) {
      case 'AWS::AppSync::GraphQLApi':
      case 'AWS::Events::Rule':
      case 'AWS::SQS::Queue':
      case 'AWS::StepFunctions::StateMachine':
        return this.arn(name);
      default:
        return this.physicalName(name);
    }
  }

  private fn(key: string, argument: unknown, path: string): unknown {
    switch (key) {
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = (typeof argument === 'string' ? argument.split('.') : argument) as [string, string];
        return this.getAtt(logicalId, attribute, path);
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.resolve(parts, path) as unknown[]).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [number, unknown];
        return (this.resolve(list, path) as unknown[])[Number(index)];
      }
      case 'Fn::Split': {
        const [separator, source] = argument as [string, unknown];
        return String(this.resolve(source, path)).split(separator);
      }
      case 'Fn::Sub': {
        const [template, variables] = (typeof argument === 'string' ? [argument, {}] : argument) as [string, Record<string, unknown>];
        return template.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
          if (Object.hasOwn(variables, name)) return String(this.resolve(variables[name], path));
          if (name.includes('.')) {
            const [logicalId, attribute] = name.split('.') as [string, string];
            return String(this.getAtt(logicalId, attribute, path));
          }
          return String(this.ref(name, path));
        });
      }
      case 'Fn::If': {
        if (!Array.isArray(argument) || argument.length !== 3)
          throw new Error(`Template format error: Fn::If at ${path} takes [condition name, value if true, value if false].`);
        const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
        return this.conditions.holds(String(condition), path)
          ? this.resolve(whenTrue, `${path}.Fn::If[1]`)
          : this.resolve(whenFalse, `${path}.Fn::If[2]`);
      }
      default:
        throw new Error(`Template value at ${path} uses ${key}, which the local runtime does not resolve.`);
    }
  }

  private getAtt(logicalId: string, attribute: string, path: string): unknown {
    const resource = this.resource(logicalId, path);
    const props = resource.Properties ?? {};
    switch (attribute) {
      case 'Arn':
      case 'GraphQLEndpointArn':
        return this.arn(logicalId);
      case 'ApiId':
        return this.apiId(logicalId);
      case 'Name':
        return props.Name !== undefined ? this.resolve(props.Name, path) : this.physicalName(logicalId);
      case 'FunctionId':
        return logicalId;
      case 'GraphQLUrl':
        return `http://localhost/graphql#${this.apiId(logicalId)}`;
      case 'ApiKey':
        return 'da2-fakeApiId123456';
      case 'QueueUrl':
        return `http://localhost/queue/${this.physicalName(logicalId)}`;
      case 'StreamArn':
        // AWS's form, table/<name>/stream/<label>; the label is a creation time on AWS, fixed locally.
        return `${this.arn(logicalId)}/stream/${LOCAL_STREAM_LABEL}`;
      default:
        return `${this.arn(logicalId)}#${attribute}`;
    }
  }

  private resource(logicalId: string, path = ''): { Type: string; Properties?: Record<string, unknown> } {
    const resource = this.resources[logicalId];
    if (!resource) {
      throw new Error(`Template value at ${path} refers to ${logicalId}, which the template does not define.`);
    }
    if (!this.isCreated(logicalId)) {
      throw new Error(
        `Template value at ${path} refers to ${logicalId}, which is not created: its condition ${resource.Condition} is false (refer to it inside Fn::If on that condition).`,
      );
    }
    return resource;
  }
}
