/**
 * The command resolvers (createReservation, cancelReservation), deployed code
 * run by the APPSYNC_JS engine against DynamoDB Local: what they answer, what
 * they publish to EventBridge, and what they refuse.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { useTemplateResolvers } from '../helpers/templateResolvers.ts';

const core = useTemplateResolvers();
beforeEach(() => {
  core.published.length = 0;
});

const stay = { dateStart: '2034-03-10', dateEnd: '2034-03-13' };

async function create(input: Record<string, unknown>, headers?: Record<string, string>) {
  return core.call('Mutation.createReservation', { input: { userId: 'user-1', roomId: 'room-1', ...stay, ...input } }, { headers });
}

/** Store what a command published, as the bus rule would. */
async function storePublished() {
  for (const { detail } of core.published.splice(0)) {
    const { errors } = await core.call('Mutation.saveReservationEvent', { input: detail }, { asStoreRule: true });
    expect(errors).toEqual([]);
  }
}

describe('createReservation', () => {
  it('answers PENDING with the client’s id (upper-cased) and publishes one ReservationCreated at version 1', async () => {
    const id = ulid().toLowerCase();
    const { data, errors } = await create({ id, roomId: 'room-p1' }, { 'x-correlation-id': 'checkout-7' });
    expect(errors).toEqual([]);
    const accepted = data as { id: string; commandId: string; status: string };
    expect(accepted).toEqual({ id: id.toUpperCase(), commandId: expect.any(String), status: 'PENDING' });
    expect(core.published).toHaveLength(1);
    const [entry] = core.published;
    expect(entry).toMatchObject({ source: 'app.reservation', detailType: 'ReservationCreated' });
    expect(entry!.detail).toMatchObject({
      type: 'ReservationCreated',
      aggregateId: id.toUpperCase(),
      version: 1,
      commandId: accepted.commandId,
      correlationId: 'checkout-7',
      causationId: accepted.commandId,
      actor: 'apiKey',
      schemaVersion: 1,
    });
    expect(JSON.parse(entry!.detail.data as string)).toEqual({ userId: 'user-1', roomId: 'room-p1', ...stay });
  });

  it('gives a create with a commandId and no id the same id every time, so a retry cannot open a second stream', async () => {
    const first = (await create({ commandId: 'order-42', roomId: 'room-p2' })).data as { id: string };
    const again = (await create({ commandId: 'order-42', roomId: 'room-p2' })).data as { id: string };
    expect(again.id).toBe(first.id);
    expect(first.id).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
  });

  it('answers a command re-sent after it was stored with its first answer, publishing nothing', async () => {
    const id = ulid();
    const first = (await create({ id, commandId: 'retry-me', roomId: 'room-p3' })).data;
    await storePublished();
    const again = await create({ id, commandId: 'retry-me', roomId: 'room-p3' });
    expect(again.errors).toEqual([]);
    expect(again.data).toEqual(first);
    expect(core.published).toEqual([]);
  });

  it('refuses an id that already names a reservation (ReservationExists)', async () => {
    const id = ulid();
    await create({ id, roomId: 'room-p4' });
    await storePublished();
    const { data, errors } = await create({ id, roomId: 'room-p5' });
    expect(data).toBeNull();
    expect(errors[0]).toMatchObject({
      errorType: 'BusinessRuleViolation',
      errorInfo: { violations: [expect.objectContaining({ rule: 'ReservationExists' })] },
    });
    expect(core.published).toEqual([]);
  });

  it('refuses nights another reservation holds, naming them (RoomAlreadyReserved)', async () => {
    await create({ id: ulid(), roomId: 'room-p6' });
    await storePublished();
    const { errors } = await create({ id: ulid(), roomId: 'room-p6', dateStart: '2034-03-12', dateEnd: '2034-03-15' });
    expect(errors[0]).toMatchObject({ errorType: 'BusinessRuleViolation' });
    const violations = (errors[0]!.errorInfo as { violations: { rule: string; message: string }[] }).violations;
    expect(violations).toEqual([expect.objectContaining({ rule: 'RoomAlreadyReserved', message: expect.stringContaining('2034-03-12') })]);
  });

  it('lists every broken rule at once', async () => {
    const { errors } = await create({ id: ulid(), dateStart: '2020-05-10', dateEnd: '2020-03-01' });
    const rules = (errors[0]!.errorInfo as { violations: { rule: string }[] }).violations.map((violation) => violation.rule).sort();
    expect(rules).toEqual(['DateRangeInvalid', 'DateStartInPast']);
  });

  it('refuses a malformed client id before reading anything (ValidationError)', async () => {
    const { data, errors } = await create({ id: 'not-a-ulid' });
    expect(data).toBeNull();
    expect(errors[0]).toMatchObject({
      errorType: 'ValidationError',
      errorInfo: { violations: [expect.objectContaining({ rule: 'InvalidId' })] },
    });
  });
});

describe('cancelReservation', () => {
  it('answers NotFound for a reservation that does not exist', async () => {
    const { errors } = await core.call('Mutation.cancelReservation', { input: { id: ulid() } });
    expect(errors[0]).toMatchObject({ errorType: 'NotFound' });
    expect(core.published).toEqual([]);
  });

  it('publishes ReservationCancelled at the next version, carrying the room and nights to release', async () => {
    const id = ulid();
    await create({ id, roomId: 'room-c1' });
    await storePublished();
    const { data, errors } = await core.call('Mutation.cancelReservation', { input: { id, reason: 'sick' } });
    expect(errors).toEqual([]);
    expect(data).toMatchObject({ id, status: 'PENDING' });
    expect(core.published[0]!.detail).toMatchObject({ type: 'ReservationCancelled', version: 2 });
    expect(JSON.parse(core.published[0]!.detail.data as string)).toEqual({ roomId: 'room-c1', ...stay, reason: 'sick' });
  });

  it('refuses to cancel twice (ReservationAlreadyCancelled)', async () => {
    const id = ulid();
    await create({ id, roomId: 'room-c2' });
    await storePublished();
    await core.call('Mutation.cancelReservation', { input: { id } });
    await storePublished();
    const { errors } = await core.call('Mutation.cancelReservation', { input: { id } });
    expect(errors[0]).toMatchObject({
      errorType: 'BusinessRuleViolation',
      errorInfo: { violations: [expect.objectContaining({ rule: 'ReservationAlreadyCancelled' })] },
    });
  });
});
