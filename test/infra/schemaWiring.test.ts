/** Synth refuses resolvers and schema that disagree, naming each mismatch. */
import { describe, expect, it } from 'vitest';
import {
  appSyncSchemaDefinition,
  assertResolversMatchSchema,
  buildAppSyncSchema,
  fieldsNeedingResolvers,
  resolverFiles,
  type AttachedResolver,
} from '../../infra/schema';

/** The aggregates' commands: each has its own file in resolvers/. */
const COMMAND_FIELDS = [
  'Mutation.authorizePayment',
  'Mutation.bookStay',
  'Mutation.cancelReservation',
  'Mutation.capturePayment',
  'Mutation.closeRoom',
  'Mutation.createReservation',
  'Mutation.recordBookingStep',
  'Mutation.refundPayment',
  'Mutation.registerGuest',
  'Mutation.registerRoom',
  'Mutation.reopenRoom',
  'Mutation.voidPayment',
];
/** The projections' fields: each has its own file too. */
const PROJECTION_FIELDS = [
  'Mutation.applyStoredEvent',
  'Query.getHotelTotals',
  'Query.getRoomCalendar',
  'Query.listReservationsByGuest',
  'Query.listRooms',
];
/** The booking's progress for clients: the mutation the state machine calls and the subscription it feeds, each with its own file. */
const BOOKING_UPDATE_FIELDS = ['Mutation.publishBookingUpdate', 'Subscription.onBookingUpdated'];
/** What the Aggregate construct attaches to every aggregate from the generic resolvers. */
const GENERIC_FIELDS = ['Reservation', 'Room', 'Guest', 'Payment', 'Booking'].flatMap((name) => [
  `Mutation.save${name}Event`,
  `Mutation.publish${name}Saved`,
  `Query.get${name}`,
  `Query.get${name}History`,
  `Subscription.on${name}Saved`,
]);
const ALL_FIELDS = [
  ...COMMAND_FIELDS,
  ...PROJECTION_FIELDS,
  'Mutation.publishBookingUpdate',
  ...GENERIC_FIELDS.filter((field) => !field.startsWith('Subscription.')),
].sort();

const attached = (fields: string[], generic: boolean): AttachedResolver[] => fields.map((field) => ({ field, generic }));
const PROJECT = [
  ...attached(COMMAND_FIELDS, false),
  ...attached(PROJECTION_FIELDS, false),
  ...attached(BOOKING_UPDATE_FIELDS, false),
  ...attached(GENERIC_FIELDS, true),
];

describe('resolver wiring at synth', () => {
  it('needs a resolver for every query and mutation, none for subscriptions bound by @aws_subscribe', () => {
    expect(fieldsNeedingResolvers(buildAppSyncSchema())).toEqual(ALL_FIELDS);
  });

  it('finds one resolver file per command and projection field; the generic fields have none', () => {
    expect(resolverFiles()).toEqual([...COMMAND_FIELDS, ...PROJECTION_FIELDS, ...BOOKING_UPDATE_FIELDS].sort());
  });

  it('accepts the project as it is', () => {
    expect(() => assertResolversMatchSchema(buildAppSyncSchema(), PROJECT)).not.toThrow();
  });

  it('refuses a resolver file that no construct attaches', () => {
    expect(() =>
      assertResolversMatchSchema(
        buildAppSyncSchema(),
        PROJECT.filter((resolver) => resolver.field !== 'Mutation.cancelReservation'),
      ),
    ).toThrow('resolvers/Mutation.cancelReservation.ts is not attached to the API by any construct');
  });

  it('refuses a field that no construct attaches and no file resolves', () => {
    expect(() =>
      assertResolversMatchSchema(
        buildAppSyncSchema(),
        PROJECT.filter((resolver) => resolver.field !== 'Query.getReservation'),
      ),
    ).toThrow('Query.getReservation has no file resolvers/Query.getReservation.ts and no generic resolver');
  });

  it('refuses a resolver file that names a field the schema lacks', () => {
    const withoutCancel = appSyncSchemaDefinition().replace(
      /\s*"Command: cancel a confirmed reservation[^"]*"\s*cancelReservation[^\n]*/,
      '',
    );
    expect(() => assertResolversMatchSchema(buildAppSyncSchema(withoutCancel), PROJECT)).toThrow(
      'resolvers/Mutation.cancelReservation.ts names a field the schema lacks',
    );
  });

  it('refuses a file for a field its aggregate already resolves generically', () => {
    expect(() =>
      assertResolversMatchSchema(buildAppSyncSchema(), [...PROJECT, { field: 'Mutation.createReservation', generic: true }]),
    ).toThrow('resolvers/Mutation.createReservation.ts is shadowed');
  });

  it('adds Cognito user pools next to every API-key field when a user pool is switched on', () => {
    const definition = appSyncSchemaDefinition({ cognitoUserPools: true });
    expect(definition).toContain('@aws_api_key @aws_cognito_user_pools');
    expect(definition).not.toMatch(/saveReservationEvent\([^)]*\): ReservationSaved! @aws_iam @aws_cognito/);
  });
});
