/**
 * A stack's template `Parameters` (a CDK app's `CfnParameter`s): each given a value from what the
 * user passed (`--parameters Name=Value`, `LocalStackOptions.parameters`) or else its `Default`,
 * checked as CloudFormation checks it at create time, and turned into what `Ref` resolves it to.
 *
 * CloudFormation's rules, from the Parameters section reference
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html):
 * - `Number` is validated as a number but `Ref` gives it as a string; `List<Number>` and
 *   `CommaDelimitedList` give a list of strings, each member space-trimmed.
 * - `AllowedPattern` must match the entire value; `MinLength`/`MaxLength` count characters of
 *   `String` types (and of AWS-specific types, which accept them: aws-cloudformation/cfn-lint#2193);
 *   `MinValue`/`MaxValue` bound `Number` types (each member of a `List<Number>`).
 * - `NoEcho` values are shown as `*****` wherever the stack is described.
 * - `AWS::SSM::Parameter::Value<…>` types are fetched from Parameter Store: there is none locally,
 *   so such a parameter is refused by name when the template uses it (CDK's `BootstrapVersion`
 *   is used only by the deploy-time `Rules` section, so it is listed as skipped).
 *
 * Messages are CloudFormation's where recorded: `Parameters: [X] must have values`
 * (boto/botocore#2598), `Parameter 'X' must be one of AllowedValues` (aws-amplify/amplify-cli#6224),
 * `Parameter 'X' must match pattern P` (aws-quickstart/quickstart-pivotal-cloudfoundry#9),
 * `Parameter X failed to satisfy constraint: <ConstraintDescription>`
 * (awslabs/aws-config-engine-for-compliance-as-code#12), `Parameter 'X' must contain at least N
 * characters` (aws-cloudformation/cloudformation-coverage-roadmap#930). The "at most" and number
 * messages follow the same form; AWS's exact words for them are not recorded.
 *
 * @example
 * const stack = resolveStackParameters(template.Parameters, { Env: 'prod' }, 'Core');
 * stack.valueOf('Env', 'Api.Name'); // 'prod'
 */

/** One entry of a template's `Parameters` section. */
export interface ParameterDeclaration {
  Type?: unknown;
  Default?: unknown;
  NoEcho?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: unknown;
  ConstraintDescription?: unknown;
  MinLength?: unknown;
  MaxLength?: unknown;
  MinValue?: unknown;
  MaxValue?: unknown;
  Description?: unknown;
}

/** What `Ref` gives for a parameter: a string, or a list of strings for the list types. */
export type ParameterValue = string | string[];

export interface ParameterModel {
  name: string;
  type: string;
  value: ParameterValue;
  noEcho: boolean;
  /** `given` when the user passed it, `default` when the template's `Default` was taken. */
  source: 'given' | 'default';
}

/** A parameter the local runtime cannot give a value to, kept so that a use of it is refused by name. */
export interface UnresolvableParameter {
  name: string;
  type: string;
  why: string;
}

/** Shown instead of a NoEcho value, as CloudFormation masks it. */
export const NO_ECHO_MASK = '*****';

const SSM_VALUE_TYPE = /^AWS::SSM::Parameter::Value<.+>$/;
/** AWS-specific types: CloudFormation checks the value exists in the account; locally it is taken as given. */
const AWS_SPECIFIC_TYPE = /^(List<)?AWS::[A-Za-z0-9]+::[A-Za-z0-9]+(::[A-Za-z0-9]+)?>?$/;

export class StackParameters {
  constructor(
    readonly stackName: string,
    /** Every parameter with a value, in template order. */
    readonly parameters: ParameterModel[],
    /** Parameters of a type that has no local value (SSM); refused when something uses them. */
    readonly unresolvable: UnresolvableParameter[],
  ) {}

  /**
   * What `Ref` to `name` resolves to; `undefined` when the template declares no such parameter.
   * A parameter that has no local value is refused here, naming the value that uses it (`path`).
   */
  valueOf(name: string, path: string): ParameterValue | undefined {
    const parameter = this.parameters.find((candidate) => candidate.name === name);
    if (parameter) return parameter.value;
    const unresolvable = this.unresolvable.find((candidate) => candidate.name === name);
    if (unresolvable) {
      throw new Error(`Template value at ${path} uses parameter ${name} of stack ${this.stackName}: ${unresolvable.why}`);
    }
    return undefined;
  }

  /** The parameters as `DescribeStacks` lists them: NoEcho values masked. */
  describe(): { ParameterKey: string; ParameterValue: string }[] {
    return this.parameters.map((parameter) => ({
      ParameterKey: parameter.name,
      ParameterValue: parameter.noEcho ? NO_ECHO_MASK : Array.isArray(parameter.value) ? parameter.value.join(',') : parameter.value,
    }));
  }

  /** Every NoEcho value (and each member of a NoEcho list), for masking log lines. */
  secrets(): string[] {
    return this.parameters
      .filter((parameter) => parameter.noEcho)
      .flatMap((parameter) => (Array.isArray(parameter.value) ? [parameter.value.join(','), ...parameter.value] : [parameter.value]));
  }
}

/**
 * Give every declared parameter of one stack its value: the one `given` (already narrowed to this
 * stack), else its `Default`. Every problem is reported at once, in one error naming each parameter
 * and saying how to pass a value; NoEcho values never appear in it.
 */
export function resolveStackParameters(
  declared: Record<string, ParameterDeclaration> | undefined,
  given: Record<string, string>,
  stackName: string,
): StackParameters {
  const parameters: ParameterModel[] = [];
  const unresolvable: UnresolvableParameter[] = [];
  const problems: string[] = [];
  const missing: string[] = [];
  for (const [name, declaration] of Object.entries(declared ?? {})) {
    const type = String(declaration.Type ?? '');
    if (SSM_VALUE_TYPE.test(type)) {
      unresolvable.push({
        name,
        type,
        why: `its type ${type} takes its value from Systems Manager Parameter Store, which the local runtime does not have; declare it as a String parameter (CfnParameter type 'String') for local runs, and pass the value with --parameters ${name}=VALUE.`,
      });
      continue;
    }
    if (!isKnownType(type)) {
      problems.push(
        `Template format error: Unrecognized parameter type: ${type} (parameter ${name}); CloudFormation accepts String, Number, List<Number>, CommaDelimitedList, AWS-specific and SSM parameter types.`,
      );
      continue;
    }
    const text = Object.hasOwn(given, name) ? given[name] : defaultText(declaration.Default);
    if (text === undefined) {
      missing.push(name);
      continue;
    }
    const noEcho = declaration.NoEcho === true || declaration.NoEcho === 'true';
    problems.push(...constraintViolations(name, type, text, declaration, noEcho));
    parameters.push({ name, type, value: refValue(type, text), noEcho, source: Object.hasOwn(given, name) ? 'given' : 'default' });
  }
  if (missing.length > 0) {
    const example = missing.map((name) => `${name}=VALUE`).join(' ');
    problems.unshift(
      `Parameters: [${missing.join(', ')}] must have values. Pass them with \`npm start -- --parameters ${example}\` (or LocalStackOptions.parameters), or give each CfnParameter a default.`,
    );
  }
  if (problems.length > 0) {
    throw new Error(`Stack ${stackName} cannot start with its parameters:\n  - ${problems.join('\n  - ')}`);
  }
  return new StackParameters(stackName, parameters, unresolvable);
}

/**
 * The values one stack is given: `Name=Value` applies to every stack declaring `Name`,
 * `Stack:Name=Value` to that stack only and before the unprefixed form (as `cdk deploy --parameters`).
 */
export function parametersForStack(given: Record<string, string>, stackName: string): Record<string, string> {
  const forStack: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) if (!key.includes(':')) forStack[key] = value;
  for (const [key, value] of Object.entries(given)) {
    const colon = key.indexOf(':');
    if (colon > 0 && key.slice(0, colon) === stackName) forStack[key.slice(colon + 1)] = value;
  }
  return forStack;
}

/**
 * Names given that no stack declares are refused, as CloudFormation refuses them
 * (`Parameters: [X] do not exist in the template`): a typo must not pass silently.
 */
export function refuseUnknownParameters(given: Record<string, string>, declaredByStack: Record<string, string[]>): void {
  const unknown = Object.keys(given).filter((key) => {
    const colon = key.indexOf(':');
    if (colon > 0) return !(declaredByStack[key.slice(0, colon)] ?? []).includes(key.slice(colon + 1));
    return !Object.values(declaredByStack).some((names) => names.includes(key));
  });
  if (unknown.length === 0) return;
  const declared = Object.entries(declaredByStack).map(([stack, names]) => `${stack}: ${names.length > 0 ? names.join(', ') : '(none)'}`);
  throw new Error(
    `Parameters: [${unknown.join(', ')}] do not exist in the template. Declared parameters by stack: ${declared.join('; ')}.`,
  );
}

/** Replaces every NoEcho value in a line of text by the mask, so logs never print one. */
export function noEchoMasker(secrets: string[]): (text: string) => string {
  // Longest first, so a list's joined form is masked before its members.
  const ordered = [...new Set(secrets.filter((secret) => secret.length > 0))].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => ordered.reduce((masked, secret) => masked.split(secret).join(NO_ECHO_MASK), text);
}

function isKnownType(type: string): boolean {
  return (
    ['String', 'Number', 'List<Number>', 'CommaDelimitedList'].includes(type) ||
    AWS_SPECIFIC_TYPE.test(type) ||
    type === 'AWS::SSM::Parameter::Name'
  );
}

function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

function defaultText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  // CDK writes a list default as an array; CloudFormation's form is the comma-separated text.
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

function refValue(type: string, text: string): ParameterValue {
  return isListType(type) ? text.split(',').map((member) => member.trim()) : text;
}

function isNumber(text: string): boolean {
  return /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(text);
}

/** The constraints CloudFormation checks, in its words; a NoEcho value is never quoted back. */
function constraintViolations(name: string, type: string, text: string, declaration: ParameterDeclaration, noEcho: boolean): string[] {
  const violations: string[] = [];
  const shown = noEcho ? '' : ` (got '${text}')`;
  const constraint = declaration.ConstraintDescription === undefined ? undefined : String(declaration.ConstraintDescription);
  const failed = (reason: string) =>
    violations.push(
      constraint ? `Parameter ${name} failed to satisfy constraint: ${constraint}${shown}` : `Parameter '${name}' ${reason}${shown}`,
    );

  if (declaration.AllowedValues !== undefined && !declaration.AllowedValues.map(String).includes(text)) {
    // The whole value is compared, lists included (aws-cloudformation/cloudformation-coverage-roadmap#627).
    violations.push(`Parameter '${name}' must be one of AllowedValues: ${declaration.AllowedValues.map(String).join(', ')}${shown}`);
  }
  if (type === 'Number' || type === 'List<Number>') {
    const members = type === 'Number' ? [text] : text.split(',');
    for (const member of members) {
      if (!isNumber(member)) {
        failed(type === 'Number' ? 'must be a number' : 'must be a list of numbers');
        break;
      }
      if (declaration.MinValue !== undefined && Number(member) < Number(declaration.MinValue))
        failed(`must be a number not less than ${String(declaration.MinValue)}`);
      if (declaration.MaxValue !== undefined && Number(member) > Number(declaration.MaxValue))
        failed(`must be a number not greater than ${String(declaration.MaxValue)}`);
    }
    return [...new Set(violations)];
  }
  if (isListType(type)) return violations;
  if (declaration.MinLength !== undefined && text.length < Number(declaration.MinLength))
    failed(`must contain at least ${String(declaration.MinLength)} characters`);
  if (declaration.MaxLength !== undefined && text.length > Number(declaration.MaxLength))
    failed(`must contain at most ${String(declaration.MaxLength)} characters`);
  if (declaration.AllowedPattern !== undefined) {
    const pattern = String(declaration.AllowedPattern);
    const matches = wholeMatch(pattern, text);
    if (matches === undefined)
      violations.push(
        `Parameter '${name}': AllowedPattern ${pattern} is not a regular expression JavaScript can read (CloudFormation uses Java's syntax); simplify it to run locally.`,
      );
    else if (!matches) failed(`must match pattern ${pattern}`);
  }
  return [...new Set(violations)];
}

/** AllowedPattern must match the entire value (Service Catalog's ParameterConstraints reference says so of the same field). */
function wholeMatch(pattern: string, text: string): boolean | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags).test(text);
    } catch {
      // Not valid with these flags: try the next (a Java pattern may be valid without 'u').
    }
  }
  return undefined;
}
