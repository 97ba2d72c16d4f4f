/**
 * Amazon States Language definitions: their shape and the checks Step Functions makes when a state
 * machine is created (`InvalidDefinition`, worded as AWS words it: `CODE: message at /States/…`).
 * A definition that passes here can be run by the interpreter.
 */
import { InvalidDefinitionError } from './errors.ts';

export type QueryLanguage = 'JSONPath' | 'JSONata';
export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

/** Every field any state type may carry; each state reads its own. */
export interface StateDefinition {
  Type: StateType;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  Next?: string;
  End?: boolean;
  InputPath?: string | null;
  OutputPath?: string | null;
  Parameters?: unknown;
  ResultSelector?: unknown;
  ResultPath?: string | null;
  Arguments?: unknown;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Result?: unknown;
  Resource?: string;
  TimeoutSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | string;
  HeartbeatSecondsPath?: string;
  Credentials?: unknown;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Choices?: ChoiceRule[];
  Default?: string;
  Seconds?: number | string;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
  Branches?: BranchDefinition[];
  ItemsPath?: string;
  Items?: unknown;
  ItemSelector?: unknown;
  ItemProcessor?: BranchDefinition & { ProcessorConfig?: { Mode?: string; ExecutionType?: string } };
  Iterator?: BranchDefinition;
  ItemReader?: unknown;
  ItemBatcher?: unknown;
  ResultWriter?: unknown;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  Label?: string;
}

export interface ChoiceRule {
  Next?: string;
  Condition?: unknown;
  Variable?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
  Assign?: Record<string, unknown>;
  Output?: unknown;
  Comment?: string;
  [operator: string]: unknown;
}

export interface BranchDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  QueryLanguage?: QueryLanguage;
  Comment?: string;
}

export interface StateMachineDefinition extends BranchDefinition {
  TimeoutSeconds?: number;
  Version?: string;
}

const TYPES: StateType[] = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];
const JSONPATH_ONLY = [
  'InputPath',
  'OutputPath',
  'Parameters',
  'ResultSelector',
  'ResultPath',
  'ItemsPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'SecondsPath',
  'TimestampPath',
  'ErrorPath',
  'CausePath',
  'MaxConcurrencyPath',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCountPath',
];
const JSONATA_ONLY = ['Arguments', 'Output', 'Items'];
const TERMINAL: StateType[] = ['Choice', 'Succeed', 'Fail'];
/** Numeric fields: a number in JSONPath states; a number or a `{% %}` expression in JSONata states. */
const NUMERIC_FIELDS = [
  'Seconds',
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'MaxConcurrency',
  'ToleratedFailureCount',
  'ToleratedFailurePercentage',
] as const;
const EXPRESSION = /^\{%[\s\S]*%\}$/;

/** Parses a definition (JSON text or object) and checks it; throws `InvalidDefinitionError` with every problem found. */
export function parseDefinition(definition: string | object): StateMachineDefinition {
  let parsed: unknown = definition;
  if (typeof definition === 'string') {
    try {
      parsed = JSON.parse(definition);
    } catch (error) {
      throw new InvalidDefinitionError([`INVALID_JSON_DESCRIPTION: ${(error as Error).message}`]);
    }
  }
  const problems: string[] = [];
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidDefinitionError(['SCHEMA_VALIDATION_FAILED: The definition must be a JSON object at /']);
  const machine = parsed as StateMachineDefinition;
  if (machine.QueryLanguage !== undefined && machine.QueryLanguage !== 'JSONPath' && machine.QueryLanguage !== 'JSONata') {
    problems.push(
      `SCHEMA_VALIDATION_FAILED: ${String(machine.QueryLanguage)} is not a valid QueryLanguage (JSONPath or JSONata) at /QueryLanguage`,
    );
  }
  if (machine.TimeoutSeconds !== undefined && !(Number.isInteger(machine.TimeoutSeconds) && machine.TimeoutSeconds > 0)) {
    problems.push('SCHEMA_VALIDATION_FAILED: TimeoutSeconds must be a positive integer at /TimeoutSeconds');
  }
  checkBranch(machine, '', machine.QueryLanguage ?? 'JSONPath', problems);
  if (problems.length > 0) throw new InvalidDefinitionError(problems);
  return machine;
}

function checkBranch(branch: BranchDefinition, where: string, language: QueryLanguage, problems: string[]): void {
  if (typeof branch.StartAt !== 'string')
    problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at ${where || '/'}`);
  if (branch.States === null || typeof branch.States !== 'object' || Array.isArray(branch.States)) {
    problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [States] at ${where || '/'}`);
    return;
  }
  const names = new Set(Object.keys(branch.States));
  if (typeof branch.StartAt === 'string' && !names.has(branch.StartAt))
    problems.push(`MISSING_TRANSITION_TARGET: Missing 'StartAt' target: ${branch.StartAt} at ${where}/StartAt`);
  const target = (next: unknown, at: string) => {
    if (typeof next === 'string' && !names.has(next)) problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${next} at ${at}`);
  };
  for (const [name, state] of Object.entries(branch.States)) {
    const at = `${where}/States/${name}`;
    if (name.length > 80) problems.push(`SCHEMA_VALIDATION_FAILED: State names may be at most 80 characters at ${at}`);
    if (state === null || typeof state !== 'object' || !TYPES.includes(state.Type)) {
      problems.push(
        `SCHEMA_VALIDATION_FAILED: ${String((state as { Type?: unknown } | null)?.Type)} is not a valid state type (${TYPES.join(', ')}) at ${at}/Type`,
      );
      continue;
    }
    const stateLanguage = state.QueryLanguage ?? language;
    if (language === 'JSONata' && state.QueryLanguage === 'JSONPath') {
      problems.push(
        `SCHEMA_VALIDATION_FAILED: A state may not use JSONPath when the state machine's QueryLanguage is JSONata at ${at}/QueryLanguage`,
      );
    }
    const forbidden = stateLanguage === 'JSONata' ? JSONPATH_ONLY : JSONATA_ONLY;
    for (const field of forbidden) {
      if (field in state)
        problems.push(`SCHEMA_VALIDATION_FAILED: The field '${field}' is not supported in ${stateLanguage} states at ${at}/${field}`);
    }
    for (const field of NUMERIC_FIELDS) {
      const value = state[field];
      if (value === undefined || typeof value === 'number') continue;
      if (stateLanguage === 'JSONata' && typeof value === 'string' && EXPRESSION.test(value)) continue;
      problems.push(
        `SCHEMA_VALIDATION_FAILED: ${field} must be a number${stateLanguage === 'JSONata' ? " or a JSONata expression '{% … %}'" : ''} at ${at}/${field}`,
      );
    }
    if (stateLanguage === 'JSONata' && state.Type === 'Choice') {
      for (const [index, rule] of (state.Choices ?? []).entries()) {
        if (typeof rule.Condition !== 'boolean' && !(typeof rule.Condition === 'string' && EXPRESSION.test(rule.Condition))) {
          problems.push(
            `SCHEMA_VALIDATION_FAILED: A JSONata Choice rule needs a Condition that is a JSONata expression '{% … %}' at ${at}/Choices[${index}]/Condition`,
          );
        }
      }
    }
    if (stateLanguage === 'JSONPath' && state.Type === 'Choice') {
      for (const [index, rule] of (state.Choices ?? []).entries())
        if ('Condition' in rule)
          problems.push(
            `SCHEMA_VALIDATION_FAILED: The field 'Condition' is not supported in JSONPath states at ${at}/Choices[${index}]/Condition`,
          );
    }
    if (TERMINAL.includes(state.Type)) {
      if (state.Next !== undefined || state.End !== undefined)
        problems.push(`SCHEMA_VALIDATION_FAILED: A ${state.Type} state may not have Next or End at ${at}`);
    } else if (state.Next === undefined && state.End !== true) {
      problems.push(`MISSING_TRANSITION_TARGET: State ${name} is not an end state and has no 'Next' at ${at}`);
    } else if (state.Next !== undefined && state.End === true) {
      problems.push(`SCHEMA_VALIDATION_FAILED: A state may not have both Next and End at ${at}`);
    }
    target(state.Next, `${at}/Next`);
    if (state.Type === 'Task' && typeof state.Resource !== 'string')
      problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at ${at}`);
    if (state.Type === 'Choice') {
      if (!Array.isArray(state.Choices) || state.Choices.length === 0)
        problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [Choices] at ${at}`);
      for (const [index, rule] of (state.Choices ?? []).entries()) {
        if (typeof rule.Next !== 'string')
          problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at ${at}/Choices[${index}]`);
        target(rule.Next, `${at}/Choices[${index}]/Next`);
      }
      target(state.Default, `${at}/Default`);
    }
    if (state.Type === 'Wait') {
      const given = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].filter((field) => field in state);
      if (given.length !== 1)
        problems.push(
          `SCHEMA_VALIDATION_FAILED: A Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath at ${at}`,
        );
    }
    for (const [field, list] of [
      ['Retry', state.Retry],
      ['Catch', state.Catch],
    ] as const) {
      if (list === undefined) continue;
      if (!['Task', 'Parallel', 'Map'].includes(state.Type))
        problems.push(`SCHEMA_VALIDATION_FAILED: Field ${field} is not supported in ${state.Type} states at ${at}/${field}`);
      for (const [index, entry] of (list as { ErrorEquals?: unknown; Next?: unknown }[]).entries()) {
        const errors = entry.ErrorEquals;
        if (!Array.isArray(errors) || errors.length === 0)
          problems.push(`SCHEMA_VALIDATION_FAILED: ErrorEquals must be a non-empty list at ${at}/${field}[${index}]`);
        else if (errors.includes('States.ALL') && (errors.length > 1 || index !== list.length - 1)) {
          problems.push(
            `SCHEMA_VALIDATION_FAILED: States.ALL must appear alone in ErrorEquals and in the last ${field === 'Retry' ? 'retrier' : 'catcher'} at ${at}/${field}[${index}]`,
          );
        }
        if (field === 'Catch') target(entry.Next, `${at}/Catch[${index}]/Next`);
      }
    }
    if (state.Type === 'Parallel') {
      if (!Array.isArray(state.Branches) || state.Branches.length === 0)
        problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [Branches] at ${at}`);
      for (const [index, sub] of (state.Branches ?? []).entries())
        checkBranch(sub, `${at}/Branches[${index}]`, sub.QueryLanguage ?? stateLanguage, problems);
    }
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (!processor) problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [ItemProcessor] at ${at}`);
      else
        checkBranch(
          processor,
          `${at}/${state.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`,
          processor.QueryLanguage ?? stateLanguage,
          problems,
        );
    }
  }
}
