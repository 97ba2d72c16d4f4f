/**
 * An AppSync API's Lambda authorizer as the template declares it: `LambdaAuthorizerConfig` on the API
 * (default mode `AWS_LAMBDA`) or on its `AWS_LAMBDA` entry of `AdditionalAuthenticationProviders`
 * (AWS::AppSync::GraphQLApi LambdaAuthorizerConfig:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-appsync-graphqlapi-lambdaauthorizerconfig.html),
 * with its intrinsics already resolved (`Fn::GetAtt Function.Arn` is the local function's ARN), and whether the
 * function's resource policy (`AWS::Lambda::Permission`) lets AppSync invoke it, which AWS requires.
 */

export interface LambdaAuthorizerModel {
  /** `AuthorizerUri`: the function's ARN. */
  functionArn: string;
  /**
   * `AuthorizerResultTtlInSeconds`. Unset is 0, no caching: "The default is 0 seconds, which disables caching"
   * (the CloudFormation reference and the AppSync API reference, LambdaAuthorizerConfig; older editions said 300).
   * CDK writes it only when `resultsCacheTtl` is given.
   */
  resultTtlSeconds: number;
  /** `IdentityValidationExpression`: a token that does not match is refused without calling the function. */
  identityValidationExpression?: string;
  /**
   * Whether an `AWS::Lambda::Permission` of the template allows `appsync.amazonaws.com` to invoke the function
   * (for this API, when it names a `SourceArn`). CDK's GraphqlApi adds one for its authorizer.
   */
  invokePermitted: boolean;
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

interface AuthorizerConfigProps {
  AuthorizerUri?: unknown;
  AuthorizerResultTtlInSeconds?: unknown;
  IdentityValidationExpression?: unknown;
}

/** The API's Lambda authorizer, or undefined when no mode of the API is AWS_LAMBDA. */
export function lambdaAuthorizerOf(
  logicalId: string,
  props: Record<string, unknown>,
  resources: Resources,
  apiArn: string,
): LambdaAuthorizerModel | undefined {
  const providers = [props, ...((props.AdditionalAuthenticationProviders ?? []) as Record<string, unknown>[])];
  const provider = providers.find((candidate) => candidate.AuthenticationType === 'AWS_LAMBDA');
  if (!provider) return undefined;
  const config = provider.LambdaAuthorizerConfig as AuthorizerConfigProps | undefined;
  if (typeof config?.AuthorizerUri !== 'string') {
    throw new Error(
      `AppSync API ${logicalId} has an AWS_LAMBDA mode without LambdaAuthorizerConfig.AuthorizerUri: name the authorizer function (lambdaAuthorizerConfig: { handler }).`,
    );
  }
  const ttl = Number(config.AuthorizerResultTtlInSeconds ?? 0);
  return {
    functionArn: config.AuthorizerUri,
    resultTtlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 0,
    ...(typeof config.IdentityValidationExpression === 'string' && config.IdentityValidationExpression !== ''
      ? { identityValidationExpression: config.IdentityValidationExpression }
      : {}),
    invokePermitted: appSyncMayInvoke(config.AuthorizerUri, resources, apiArn),
  };
}

/** `name`, `account:function:name` or a full ARN (with or without a version) → the function's name. */
function functionNameOf(reference: string): string {
  const match = /(?:^|:function:)([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/.exec(reference);
  return match ? match[1]! : reference;
}

function includesAppSync(principal: unknown): boolean {
  return typeof principal === 'string' && /^appsync\.amazonaws\.com/.test(principal);
}

/** An `AWS::Lambda::Permission` granting `lambda:InvokeFunction` on the function to AppSync (for this API, if it names one). */
function appSyncMayInvoke(functionArn: string, resources: Resources, apiArn: string): boolean {
  const name = functionNameOf(functionArn);
  return Object.values(resources).some(({ Type, Properties: p }) => {
    if (Type !== 'AWS::Lambda::Permission') return false;
    const action = String(p.Action ?? '');
    return (
      (action === 'lambda:InvokeFunction' || action === 'lambda:*') &&
      includesAppSync(p.Principal) &&
      typeof p.FunctionName === 'string' &&
      functionNameOf(p.FunctionName) === name &&
      (p.SourceArn === undefined || p.SourceArn === apiArn)
    );
  });
}
