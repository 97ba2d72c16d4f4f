/**
 * The Step Functions API over AWS's JSON 1.0 protocol: `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`
 * and a JSON body, answered with JSON; an error is HTTP 400 with `{ "__type": code, "message": … }`, as the
 * SDKs parse it. Used by the local endpoint (for `@aws-sdk/client-sfn`) and by AppSync HTTP data sources
 * signed for `states`.
 *
 * @example
 * const response = await handleStepFunctionsRequest(sfn, 'AWSStepFunctions.SendTaskSuccess', JSON.stringify({ taskToken, output: '{}' }));
 * // { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{}' }
 */
import { StepFunctionsApiError } from './apiErrors.ts';
import type { LocalStepFunctions } from './LocalStepFunctions.ts';

export interface JsonProtocolResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

type Operation = (sfn: LocalStepFunctions, request: Record<string, unknown>) => unknown;

/* eslint-disable @typescript-eslint/no-explicit-any -- request shapes are checked by each operation */
const OPERATIONS: Record<string, Operation> = {
  StartExecution: (sfn, request) => sfn.startExecution(request as any),
  StartSyncExecution: (sfn, request) => sfn.startSyncExecution(request as any),
  DescribeExecution: (sfn, request) => sfn.describeExecution(request as any),
  ListExecutions: (sfn, request) => sfn.listExecutions(request as any),
  GetExecutionHistory: (sfn, request) => sfn.getExecutionHistory(request as any),
  StopExecution: (sfn, request) => sfn.stopExecution(request as any),
  SendTaskSuccess: (sfn, request) => sfn.sendTaskSuccess(request as any),
  SendTaskFailure: (sfn, request) => sfn.sendTaskFailure(request as any),
  SendTaskHeartbeat: (sfn, request) => sfn.sendTaskHeartbeat(request as any),
  DescribeStateMachine: (sfn, request) => sfn.describeStateMachine(request as any),
  ListStateMachines: (sfn) => sfn.listStateMachines(),
};
/* eslint-enable @typescript-eslint/no-explicit-any */

const CONTENT_TYPE = 'application/x-amz-json-1.0';

function errorResponse(statusCode: number, code: string, message: string): JsonProtocolResponse {
  return {
    statusCode,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message }),
  };
}

/** Answers one API call. Never throws: a bad request gets the error AWS would send. */
export async function handleStepFunctionsRequest(
  sfn: LocalStepFunctions,
  target: string | undefined,
  body: string,
): Promise<JsonProtocolResponse> {
  const operation = /^AWSStepFunctions\.(\w+)$/.exec(target ?? '')?.[1];
  const handler = operation ? OPERATIONS[operation] : undefined;
  if (!handler) {
    return errorResponse(
      400,
      'UnknownOperationException',
      `${target ?? '(no X-Amz-Target)'} is not an operation the local Step Functions serves (${Object.keys(OPERATIONS).join(', ')}).`,
    );
  }
  let request: unknown;
  try {
    request = body === '' ? {} : JSON.parse(body);
  } catch {
    return errorResponse(400, 'SerializationException', 'The request body is not JSON.');
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request))
    return errorResponse(400, 'SerializationException', 'The request body must be a JSON object.');
  try {
    const result = await handler(sfn, request as Record<string, unknown>);
    return { statusCode: 200, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(result ?? {}) };
  } catch (error) {
    if (error instanceof StepFunctionsApiError) return errorResponse(400, error.code, error.message);
    return errorResponse(500, 'InternalServerError', (error as Error).message);
  }
}

/** AppSync's HTTP data source request, as the resolver builds it. */
export interface AppSyncHttpCall {
  method?: string;
  resourcePath?: string;
  params?: { headers?: Record<string, string>; body?: unknown };
}

/** An AppSync HTTP data source signed for `states`: its request answered as the Step Functions endpoint would. */
export async function handleAppSyncStepFunctionsCall(sfn: LocalStepFunctions, call: AppSyncHttpCall): Promise<JsonProtocolResponse> {
  const headers = Object.fromEntries(Object.entries(call.params?.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const body = call.params?.body;
  if ((call.method ?? 'POST').toUpperCase() !== 'POST')
    return errorResponse(400, 'UnknownOperationException', 'The Step Functions API takes POST requests.');
  return handleStepFunctionsRequest(
    sfn,
    headers['x-amz-target'],
    body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
  );
}
