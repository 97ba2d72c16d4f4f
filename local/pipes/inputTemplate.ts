/**
 * EventBridge Pipes' `InputTemplate` (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-input-transformation.html):
 * free text, a JSON path, or JSON with inline placeholders. A placeholder is a JSON path into the event
 * (`<$.dynamodb.NewImage.id.S>`: dot notation, dashes, underscores, array indices, `*`, and a name of
 * digits as an array index) or a reserved variable (`<aws.pipes.pipe-name>` …). Values are placed as in
 * a rule's input transformer: JSON outside quotes (a string gets its quotes, objects and arrays as they
 * are), raw text inside quotes; a path that reaches nothing is `null` (nothing inside a string).
 *
 * @example
 * renderInputTemplate('{"id": <$.dynamodb.Keys.id.S>, "pipe": "<aws.pipes.pipe-name>"}', record, context);
 * // '{"id": "42", "pipe": "orders-out"}'
 */
import { fillTemplate } from '../eventbridge/inputTransform.ts';
import { evaluateJsonPath, parseJsonPath } from '../eventbridge/jsonPath.ts';

export interface PipeTemplateContext {
  pipeName: string;
  pipeArn: string;
  sourceArn: string;
  targetArn: string;
  enrichmentArn?: string;
  /** When the input transformer received the event (ISO 8601). */
  ingestionTime: string;
}

const RESERVED = [
  'aws.pipes.pipe-arn',
  'aws.pipes.pipe-name',
  'aws.pipes.source-arn',
  'aws.pipes.enrichment-arn',
  'aws.pipes.target-arn',
  'aws.pipes.event.ingestion-time',
  'aws.pipes.event',
  'aws.pipes.event.json',
] as const;

const PLACEHOLDER = /<([^<>]*)>/g;

function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

/** Refuses, naming `where`, a placeholder that is neither a JSON path nor a reserved variable. */
export function checkInputTemplate(template: string, where: string): void {
  for (const name of placeholders(template)) {
    if ((RESERVED as readonly string[]).includes(name)) continue;
    if (!name.startsWith('$')) {
      throw new Error(
        `${where}: InputTemplate placeholder <${name}> is neither a JSON path (<$.field>) nor a reserved variable (${RESERVED.map((reserved) => `<${reserved}>`).join(', ')}).`,
      );
    }
    try {
      parseJsonPath(name);
    } catch (error) {
      throw new Error(`${where}: InputTemplate placeholder <${name}>: ${(error as Error).message}`);
    }
  }
}

/** The text the target receives for `event`. */
export function renderInputTemplate(template: string, event: unknown, context: PipeTemplateContext): string {
  const reserved: Record<(typeof RESERVED)[number], unknown> = {
    'aws.pipes.pipe-arn': context.pipeArn,
    'aws.pipes.pipe-name': context.pipeName,
    'aws.pipes.source-arn': context.sourceArn,
    'aws.pipes.enrichment-arn': context.enrichmentArn,
    'aws.pipes.target-arn': context.targetArn,
    'aws.pipes.event.ingestion-time': context.ingestionTime,
    'aws.pipes.event': event,
    'aws.pipes.event.json': event,
  };
  const variables = new Map<string, unknown>();
  for (const name of placeholders(template)) {
    variables.set(
      name,
      Object.hasOwn(reserved, name) ? reserved[name as keyof typeof reserved] : evaluateJsonPath(event, name, { digitsIndexArrays: true }),
    );
  }
  return fillTemplate(template, variables);
}

/**
 * A target parameter's value: a "dynamic path parameter" (the whole value a JSON path such as
 * `$.dynamodb.NewImage.type.S`) is read from the event as it came from the source, not the transformed
 * one (eb-pipes-event-target.html, "Dynamic path parameters"); any other value is taken as it is.
 */
export function targetParameter(value: string, event: unknown): string | undefined {
  if (!value.startsWith('$.')) return value;
  const found = evaluateJsonPath(event, value, { digitsIndexArrays: true });
  if (found === undefined || found === null) return undefined;
  return typeof found === 'string' ? found : JSON.stringify(found);
}
