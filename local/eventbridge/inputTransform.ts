/**
 * What a target receives: the whole event, a constant `Input`, the part `InputPath` selects, or
 * the text an `InputTransformer` builds. AWS's rules for the transformer
 * ("Amazon EventBridge input transformation", section "Common issues with transforming input"):
 * - a placeholder outside quotes in a JSON template becomes the value as JSON: strings get quotes,
 *   objects and arrays are inserted as they are;
 * - inside a quoted string the value is inserted without escaping; an object or array loses its
 *   inner quotes (`"Detail is <detail>"` → `"Detail is {key1: value1}"`);
 * - a variable whose path reaches nothing is not created: it yields `null` in a JSON value position and
 *   nothing inside a string (local choice: AWS only says it "won't appear in the output");
 * - predefined variables: `aws.events.rule-name`, `aws.events.rule-arn`, `aws.events.event`
 *   (the event without `detail`, its `detail-type` spelled `detailType` as AWS is recorded to send it),
 *   `aws.events.event.json` (the whole event), `aws.events.event.ingestion-time`.
 * A `<text>` that names no variable is refused when the target is put (see validateTargetInput).
 */
import { EventBridgeError } from './errors.ts';
import { evaluateJsonPath, parseJsonPath } from './jsonPath.ts';
import type { EventEnvelope } from './putEvents.ts';

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

/** The input-related fields of an `AWS::Events::Rule` target (at most one of them is set). */
export interface TargetInputConfig {
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

export interface TransformContext {
  ruleName: string;
  ruleArn: string;
  /** When the bus received the event (ISO 8601). */
  ingestionTime: string;
}

const PREDEFINED = [
  'aws.events.rule-name',
  'aws.events.rule-arn',
  'aws.events.event',
  'aws.events.event.json',
  'aws.events.event.ingestion-time',
];
const MAX_INPUT_PATHS = 100;

/** A `<name>` in a template; AWS refuses names that are neither in InputPathsMap nor predefined. */
const PLACEHOLDER = /<([^<>]*)>/g;

/**
 * Throws `ValidationException` for a target input AWS would refuse at PutTargets. The two messages AWS is
 * recorded to give ("Only one of …", "… contains invalid placeholder …") use its wording.
 */
export function validateTargetInput(config: TargetInputConfig, targetId: string): void {
  const refuse = (message: string): never => {
    throw new EventBridgeError('ValidationException', message);
  };
  const set = [config.Input, config.InputPath, config.InputTransformer].filter((v) => v !== undefined);
  if (set.length > 1) refuse(`Only one of Input, InputPath, or InputTransformer must be provided for target ${targetId}.`);
  if (config.Input !== undefined) {
    try {
      JSON.parse(config.Input);
    } catch {
      refuse(`Input for target ${targetId} must be valid JSON text.`);
    }
  }
  const check = (path: string): void => {
    try {
      parseJsonPath(path);
    } catch (error) {
      refuse(`Target ${targetId}: ${(error as Error).message}`);
    }
  };
  if (config.InputPath !== undefined) check(config.InputPath);
  const transformer = config.InputTransformer;
  if (!transformer) return;
  if (typeof transformer.InputTemplate !== 'string' || transformer.InputTemplate === '')
    refuse(`InputTemplate for target ${targetId} is required.`);
  const paths = Object.entries(transformer.InputPathsMap ?? {});
  if (paths.length > MAX_INPUT_PATHS) refuse(`InputPathsMap for target ${targetId} may hold at most ${MAX_INPUT_PATHS} variables.`);
  for (const [name, path] of paths) {
    if (name.toLowerCase().startsWith('aws.'))
      refuse(`InputPathsMap key ${name} for target ${targetId} is reserved: keys cannot start with "AWS.".`);
    check(path);
  }
  for (const [, name] of transformer.InputTemplate.matchAll(PLACEHOLDER)) {
    if (!Object.hasOwn(transformer.InputPathsMap ?? {}, name as string) && !PREDEFINED.includes(name as string)) {
      refuse(`InputTemplate for target ${targetId} contains invalid placeholder ${name}.`);
    }
  }
}

/**
 * The text a target receives for `event`.
 *
 * @example
 * transformInput({ InputTransformer: { InputPathsMap: { detail: '$.detail' }, InputTemplate: '{"input":<detail>}' } }, event, context);
 * // '{"input":{...the event detail...}}'
 */
export function transformInput(config: TargetInputConfig, event: EventEnvelope, context: TransformContext): string {
  if (config.Input !== undefined) return config.Input;
  if (config.InputPath !== undefined) return JSON.stringify(evaluateJsonPath(event, config.InputPath) ?? null);
  if (!config.InputTransformer) return JSON.stringify(event);
  const { InputPathsMap = {}, InputTemplate } = config.InputTransformer;
  const variables = new Map<string, unknown>();
  for (const [name, path] of Object.entries(InputPathsMap)) variables.set(name, evaluateJsonPath(event, path));
  const { detail: _detail, 'detail-type': detailType, ...rest } = event;
  const predefined: Record<string, unknown> = {
    'aws.events.rule-name': context.ruleName,
    'aws.events.rule-arn': context.ruleArn,
    'aws.events.event': { ...rest, detailType },
    'aws.events.event.json': event,
    'aws.events.event.ingestion-time': context.ingestionTime,
  };
  for (const name of PREDEFINED) variables.set(name, predefined[name]);
  return fillTemplate(InputTemplate, variables);
}

/**
 * `template` with each `<name>` that `variables` holds replaced by its value, by AWS's rules (see the
 * file's comment): JSON outside quotes, raw text inside them. Shared with EventBridge Pipes' InputTemplate.
 */
export function fillTemplate(template: string, variables: Map<string, unknown>): string {
  const trimmed = template.trimStart();
  const jsonTemplate = trimmed.startsWith('{') || trimmed.startsWith('[');
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i += 1) {
    const c = template[i] as string;
    if (c === '\\' && inString) {
      out += template.slice(i, i + 2);
      i += 1;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === '<') {
      const close = template.indexOf('>', i + 1);
      const name = close < 0 ? '' : template.slice(i + 1, close);
      if (name !== '' && variables.has(name)) {
        out += render(variables.get(name), inString, jsonTemplate);
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function render(value: unknown, inString: boolean, jsonTemplate: boolean): string {
  if (inString) {
    if (value === undefined) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null) return JSON.stringify(value).replaceAll('"', '');
    return String(value);
  }
  if (jsonTemplate) return value === undefined ? 'null' : JSON.stringify(value);
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
