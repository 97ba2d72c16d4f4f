/**
 * The generated subscription bound to an aggregate's commands (scripts/codegen/aggregateSchema.ts):
 * on<X>CommandAnswered lists exactly the Mutation fields of the aggregate's own schema file that
 * return CommandAccepted, and nothing of another file's.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { commandMutationsOf, generateAggregatesSchema, sourceSchemaFiles } from '../../../scripts/codegen/aggregateSchema.ts';

const eventStore = `
type CommandAccepted { id: ID! commandId: ID! status: String! }
enum StoreEventType { CommandTimedOut }
`;
const parcel = `
type Mutation {
  sendParcel(input: String!): CommandAccepted! @aws_api_key
  trackParcel(id: ID!): CommandAccepted
  "Not a command: returns something else."
  parcelLabel(id: ID!): String
}
type Parcel { id: ID! }
enum ParcelEventType { ParcelSent }
`;
const other = `
type Mutation { auditEverything(id: ID!): CommandAccepted! }
type Audit { id: ID! }
`;

/** The @aws_subscribe mutations of each subscription field, from generated SDL. */
function subscribedMutations(sdl: string): Record<string, string[]> {
  const bound: Record<string, string[]> = {};
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== 'ObjectTypeDefinition' || definition.name.value !== 'Subscription') continue;
    for (const field of (definition as ObjectTypeDefinitionNode).fields ?? []) {
      const directive = field.directives?.find((each) => each.name.value === 'aws_subscribe');
      const list = directive?.arguments?.[0]?.value;
      if (list?.kind === 'ListValue')
        bound[field.name.value] = list.values.map((value) => (value.kind === 'StringValue' ? value.value : '?'));
    }
  }
  return bound;
}

describe('commandMutationsOf', () => {
  it('lists the Mutation fields returning CommandAccepted of the file that declares the aggregate, nullable or not, in order', () => {
    const commands = commandMutationsOf([parse(eventStore), parse(parcel), parse(other)]);
    expect(Object.fromEntries(commands)).toEqual({ Parcel: ['sendParcel', 'trackParcel'] });
  });
});

describe('the generated schema', () => {
  it('binds onParcelCommandAnswered to exactly the parcel’s commands, returning CommandAccepted, filtered by id', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'codegen-'));
    const files = Object.entries({ 'eventStore.graphql': eventStore, 'parcel.graphql': parcel, 'other.graphql': other }).map(
      ([name, sdl]) => {
        writeFileSync(path.join(dir, name), sdl);
        return path.join(dir, name);
      },
    );
    const sdl = generateAggregatesSchema(files);
    expect(subscribedMutations(sdl)).toEqual({
      onParcelSaved: ['saveParcelEvent', 'publishParcelSaved'],
      onParcelCommandAnswered: ['sendParcel', 'trackParcel'],
    });
    expect(sdl).toMatch(/onParcelCommandAnswered\(id: ID!, commandId: ID\): CommandAccepted\n/);
  });

  it('gives every aggregate of this app its commands, e.g. the room’s three and the payment’s four', () => {
    const bound = subscribedMutations(generateAggregatesSchema(sourceSchemaFiles()));
    expect(bound).toMatchObject({
      onRoomCommandAnswered: ['registerRoom', 'closeRoom', 'reopenRoom'],
      onGuestCommandAnswered: ['registerGuest'],
      onReservationCommandAnswered: ['createReservation', 'cancelReservation'],
      onPaymentCommandAnswered: ['authorizePayment', 'capturePayment', 'refundPayment', 'voidPayment'],
      onBookingCommandAnswered: ['bookStay', 'recordBookingStep'],
    });
  });
});
