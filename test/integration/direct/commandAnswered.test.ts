/**
 * on<X>CommandAnswered end to end (design C of docs/benchmarks.md §6): the guest aggregate served
 * 'direct' with no rule telling onGuestSaved (context delivery=Guest:direct,
 * storedEventSubscribers=Guest:none), the room aggregate on the bus as it ships, through aws-amplify
 * v6. A second subscription, not the sender's response, hears each answer: AppSync publishes a
 * command mutation's result to the subscriptions whose @aws_subscribe names it, filtered by their
 * arguments against the result's fields, and publishes nothing for a mutation that ends in an error
 * (AWS AppSync Developer Guide, "Using subscriptions for real-time data applications").
 */
import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { useAmplify, isAmplifyError } from '../../helpers/amplifyClient.ts';
import { directSilentAssembly } from '../../helpers/directAssembly.ts';
import { guestRegistration, isAnswer, uniqueEmail as uniqueEmailOf, type CommandAnswer } from '../../helpers/guestRegistration.ts';
import { useLocalStack } from '../../helpers/localStack.ts';

const local = useLocalStack({ assembly: directSilentAssembly });
const amplify = useAmplify(local);

const REGISTER_ROOM = 'mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id commandId status version reason } }';
const ANSWER = 'id commandId status version reason';

type Answer = CommandAnswer;
const register = guestRegistration(amplify, 'Ada Lovelace');
const uniqueEmail = () => uniqueEmailOf('ada');

/** Until `received` holds `count` messages (or 10 s), then a further 300 ms for any message that should not come. */
async function settle(received: unknown[], count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (received.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 300));
}

const byCommand = (a: Answer, b: Answer) => a.commandId.localeCompare(b.commandId);

describe('onGuestCommandAnswered, the guest delivered direct with no publish rule', () => {
  it('tells a second client SAVED with the version, as the sender’s response says it, once; onGuestSaved stays silent', async () => {
    const id = ulid();
    const answered = amplify.collect<Answer>('onGuestCommandAnswered', ANSWER, id);
    const saved = amplify.collect<Answer>('onGuestSaved', ANSWER, id);
    await Promise.all([answered.ready, saved.ready]);
    const answer = await register({ id, email: uniqueEmail() });
    expect(answer).toEqual({ id, commandId: expect.any(String), status: 'SAVED', version: 1, reason: null });
    await settle(answered.received, 1);
    // The outbox still publishes the stored event (the read models read it), but no rule sends it to publishGuestSaved.
    await new Promise((resolve) => setTimeout(resolve, 700));
    answered.unsubscribe();
    saved.unsubscribe();
    expect(answered.failed).toEqual([]);
    expect(answered.received).toEqual([answer]);
    expect(saved.received).toEqual([]);
  });

  it('sends nothing for a command refused with a business rule error, then the next command’s answer only', async () => {
    const takenEmail = uniqueEmail();
    expect(await register({ id: ulid(), email: takenEmail })).toMatchObject({ status: 'SAVED' });
    const id = ulid();
    const answered = amplify.collect<Answer>('onGuestCommandAnswered', ANSWER, id);
    await answered.ready;
    const refused = await register({ id, email: takenEmail.toUpperCase() });
    expect(refused).toMatchObject({ errorType: 'BusinessRuleViolation' });
    const accepted = await register({ id, email: uniqueEmail() });
    expect(accepted).toMatchObject({ id, status: 'SAVED', version: 1 });
    await settle(answered.received, 1);
    answered.unsubscribe();
    expect(answered.received).toEqual([accepted]);
  });

  it('tells REJECTED with its reason to a second client: commands racing for one new guest’s first slot', async () => {
    // Which racers slip past the command-time check (and are REJECTED by the store) and which are refused at once
    // depends on how they interleave: race again, on a new id, until one is REJECTED.
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const id = ulid();
      const answered = amplify.collect<Answer>('onGuestCommandAnswered', ANSWER, id);
      await answered.ready;
      const answers = await Promise.all(Array.from({ length: 10 }, () => register({ id, email: uniqueEmail() })));
      const data = answers.filter(isAnswer);
      await settle(answered.received, data.length);
      answered.unsubscribe();
      // Every answer, once; no message for a refusal (GuestExists, or a transaction conflict told to retry).
      expect([...answered.received].sort(byCommand)).toEqual([...data].sort(byCommand));
      expect(data.filter((answer) => answer.status === 'SAVED')).toHaveLength(1);
      const rejected = data.filter((answer) => answer.status === 'REJECTED');
      if (rejected.length === 0) continue;
      for (const answer of rejected) expect(answer).toMatchObject({ id, version: null, reason: expect.any(String) });
      return;
    }
    throw new Error('no racer was REJECTED by the store in 5 races of 10: every loser was refused at command time');
  });

  it('gives subscribers only the fields the sender selected: no version when the mutation leaves it out', async () => {
    const id = ulid();
    const answered = amplify.collect<Answer>('onGuestCommandAnswered', ANSWER, id);
    await answered.ready;
    const sent = await amplify.send<{ registerGuest: { id: string; status: string } }>(
      'mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id commandId status } }',
      { input: { id, name: 'Ada Lovelace', email: uniqueEmail() } },
    );
    if (isAmplifyError(sent)) throw new Error(JSON.stringify(sent.errors));
    await settle(answered.received, 1);
    answered.unsubscribe();
    expect(answered.received).toEqual([{ ...sent.data.registerGuest, version: null, reason: null }]);
  });

  it('hears only the guest it names', async () => {
    const id = ulid();
    const answered = amplify.collect<Answer>('onGuestCommandAnswered', ANSWER, id);
    await answered.ready;
    await register({ id: ulid(), email: uniqueEmail() });
    const mine = await register({ id, email: uniqueEmail() });
    await settle(answered.received, 1);
    answered.unsubscribe();
    expect(answered.received).toEqual([mine]);
  });
});

describe('onRoomCommandAnswered, the room delivered by bus', () => {
  it('tells a second client the accepted command’s PENDING, while onRoomSaved carries the outcome', async () => {
    const id = ulid();
    const answered = amplify.collect<Answer>('onRoomCommandAnswered', ANSWER, id);
    const saved = amplify.firstMessage<Answer>('onRoomSaved', ANSWER, id);
    await Promise.all([answered.ready, saved.ready]);
    const sent = await amplify.send<{ registerRoom: Answer }>(REGISTER_ROOM, {
      input: { id, number: `R-${ulid().slice(-8)}`, capacity: 2, nightlyRate: 12_000, currency: 'EUR' },
    });
    if (isAmplifyError(sent)) throw new Error(JSON.stringify(sent.errors));
    expect(sent.data.registerRoom).toEqual({ id, commandId: expect.any(String), status: 'PENDING', version: null, reason: null });
    expect(await saved.message).toMatchObject({ id, status: 'SAVED', version: 1 });
    await settle(answered.received, 1);
    answered.unsubscribe();
    saved.unsubscribe();
    expect(answered.received).toEqual([sent.data.registerRoom]);
  });
});
