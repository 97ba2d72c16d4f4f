/**
 * A front-end server's real client, aws-amplify v6, configured with nothing
 * but the local endpoint and API key: it subscribes over wss:// (Amplify opens
 * no other), sends a command, receives the outcome, and reads the errors
 * AppSync would send it.
 */
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { useAmplify, type AmplifyError } from '../../helpers/amplifyClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';

const local = useLocalStack();
const { send, firstMessage } = useAmplify(local);

const SAVED_SELECTION = 'id commandId status version reason reservation { id status version }';
const CREATE = `mutation Create($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }`;

describe('aws-amplify v6 against the local stack', () => {
  it('subscribes, sends createReservation, and receives SAVED for that reservation', async () => {
    const id = ulid();
    const subscription = firstMessage('onReservationSaved', SAVED_SELECTION, id);
    await subscription.ready;
    const accepted = (await send(CREATE, {
      input: { id, userId: 'amplify-user', roomId: 'amplify-room-1', dateStart: '2032-05-01', dateEnd: '2032-05-03' },
    })) as {
      data: { createReservation: { id: string; commandId: string; status: string } };
    };
    expect(accepted.data.createReservation).toEqual({ id, commandId: expect.any(String), status: 'PENDING' });
    const saved = await subscription.message;
    subscription.unsubscribe();
    expect(saved).toEqual({
      id,
      commandId: accepted.data.createReservation.commandId,
      status: 'SAVED',
      version: 1,
      reason: null,
      reservation: { id, status: 'CONFIRMED', version: 1 },
    });
  });

  it('reads a business-rule refusal with its errorType and every violation', async () => {
    const refusal = (await send(CREATE, {
      input: { userId: 'amplify-user', roomId: 'amplify-room-2', dateStart: '2020-01-10', dateEnd: '2020-03-10' },
    })) as AmplifyError;
    expect(refusal.errors[0]).toMatchObject({ errorType: 'BusinessRuleViolation' });
    expect(refusal.errors[0]!.errorInfo!.violations.map((violation) => violation.rule).sort()).toEqual(['DateStartInPast', 'StayTooLong']);
  });

  it('is refused the IAM-only store mutation with the API key', async () => {
    const refusal = (await send(
      `mutation { saveReservationEvent(input: { eventId: "e", type: ReservationCreated, aggregateId: "${ulid()}", version: 1, occurredAt: "2032-01-01T00:00:00Z", commandId: "c", correlationId: "c", schemaVersion: 1, data: "{}" }) { id status } }`,
    )) as AmplifyError;
    expect(refusal.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access saveReservationEvent on type Mutation',
    });
  });
});
