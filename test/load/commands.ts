/**
 * Sends reservation commands over HTTP with the API key, as a front-end server
 * would, and classifies the synchronous answer: accepted (PENDING), refused by
 * a rule (BusinessRuleViolation / NotFound / ValidationError, with the rules),
 * or failed (the store unavailable, a transport error), with how long it took.
 */
import type { CancelReservationInput, CreateReservationInput } from '../../schema/generated/types.ts';
/** The schema's inputs, with the ids the driver always chooses made required. */
export type CreateInput = Omit<CreateReservationInput, 'id' | 'commandId'> & { id: string; commandId: string };
export type CancelInput = Omit<CancelReservationInput, 'commandId' | 'reason'> & { commandId: string; reason?: string };

export type CommandAnswer =
  | { kind: 'accepted'; id: string; commandId: string; sentAt: number; answeredAt: number }
  | { kind: 'refused'; errorType: string; rules: string[]; message: string; sentAt: number; answeredAt: number }
  | { kind: 'failed'; errorType: string; message: string; sentAt: number; answeredAt: number };

const CREATE = 'mutation Create($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }';
const CANCEL = 'mutation Cancel($input: CancelReservationInput!) { cancelReservation(input: $input) { id commandId status } }';

/** The error types a client should read as "your command breaks a rule", not "try again". */
const REFUSALS = new Set(['BusinessRuleViolation', 'NotFound', 'ValidationError']);

export interface CommandEndpoint {
  graphqlUrl: string;
  apiKey: string;
}

export function sendCreate(endpoint: CommandEndpoint, input: CreateInput, signal?: AbortSignal): Promise<CommandAnswer> {
  return send(endpoint, CREATE, input, 'createReservation', signal);
}

/**
 * Any command mutation `field(input: $input)` of input type `inputType`, classified the same way.
 * @example sendCommand(stack, 'closeRoom', 'CloseRoomInput', { id, commandId, dateStart, dateEnd, reason })
 */
export function sendCommand(
  endpoint: CommandEndpoint,
  field: string,
  inputType: string,
  input: object,
  signal?: AbortSignal,
): Promise<CommandAnswer> {
  return send(
    endpoint,
    `mutation Command($input: ${inputType}!) { ${field}(input: $input) { id commandId status } }`,
    input,
    field,
    signal,
  );
}

export function sendCancel(endpoint: CommandEndpoint, input: CancelInput, signal?: AbortSignal): Promise<CommandAnswer> {
  return send(endpoint, CANCEL, input, 'cancelReservation', signal);
}

async function send(endpoint: CommandEndpoint, query: string, input: object, field: string, signal?: AbortSignal): Promise<CommandAnswer> {
  const sentAt = performance.now();
  try {
    const response = await fetch(endpoint.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': endpoint.apiKey },
      body: JSON.stringify({ query, variables: { input } }),
      ...(signal ? { signal } : {}),
    });
    const body = (await response.json()) as {
      data?: Record<string, { id: string; commandId: string; status: string } | null> | null;
      errors?: { errorType?: string; message: string; errorInfo?: { violations?: { rule: string }[] } }[];
    };
    const answeredAt = performance.now();
    const accepted = body.data?.[field];
    if (accepted && !body.errors?.length) return { kind: 'accepted', id: accepted.id, commandId: accepted.commandId, sentAt, answeredAt };
    const error = body.errors?.[0];
    const errorType = error?.errorType ?? `HTTP ${response.status}`;
    const message = error?.message ?? JSON.stringify(body).slice(0, 300);
    if (REFUSALS.has(errorType))
      return {
        kind: 'refused',
        errorType,
        rules: (error?.errorInfo?.violations ?? []).map((violation) => violation.rule),
        message,
        sentAt,
        answeredAt,
      };
    return { kind: 'failed', errorType, message, sentAt, answeredAt };
  } catch (error) {
    return { kind: 'failed', errorType: (error as Error).name, message: (error as Error).message, sentAt, answeredAt: performance.now() };
  }
}
