/**
 * Direct delivery end to end: the guest aggregate served 'direct' (context delivery=Guest:direct) on
 * the local stack, through aws-amplify v6 as a front-end server sends it. The command answers SAVED
 * or REJECTED in its response; the stored event leaves through the table's stream and the outbox
 * pipe, reaching onGuestSaved subscribers (publishGuestSaved) and the read models (applyStoredEvent).
 */
import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { useAmplify, isAmplifyError } from '../../helpers/amplifyClient.ts';
import { directAssembly } from '../../helpers/directAssembly.ts';
import { guestRegistration, uniqueEmail as uniqueEmailOf, type CommandAnswer } from '../../helpers/guestRegistration.ts';
import { useLocalStack } from '../../helpers/localStack.ts';

/** Subscriptions the server has started (its `subscribe onGuestSaved({"id":…})` line): a direct answer's message follows it closely, so a test waits for the server's word rather than a fixed settle. */
const started = new Map<string, () => void>();
const local = useLocalStack({
  assembly: directAssembly,
  onEvent: (line) => {
    const id = /^subscribe onGuestSaved\(\{"id":"([^"]+)"\}\)/.exec(line)?.[1];
    if (id) started.get(id)?.();
  },
});
const amplify = useAmplify(local);

type Answer = CommandAnswer;
const register = guestRegistration(amplify, 'Grace Hopper');
const uniqueEmail = () => uniqueEmailOf('grace');

async function guestsInTotals(): Promise<number> {
  const answer = await amplify.send<{ getHotelTotals: { guests: number } }>('{ getHotelTotals { guests } }');
  if (isAmplifyError(answer)) throw new Error(JSON.stringify(answer.errors));
  return answer.data.getHotelTotals.guests;
}

describe('a guest registered with direct delivery', () => {
  it('reaches the read models through the table’s stream and the outbox pipe (first: no other guest in flight)', async () => {
    const before = await guestsInTotals();
    const answer = await register({ id: ulid(), email: uniqueEmail() });
    expect((answer as Answer).status).toBe('SAVED');
    const deadline = Date.now() + 10_000;
    let guests = before;
    while (guests === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      guests = await guestsInTotals();
    }
    expect(guests).toBe(before + 1);
  });

  it('answers SAVED in the response, and subscribers of onGuestSaved hear the stored event from the outbox', async () => {
    const id = ulid();
    const live = new Promise<void>((resolve) => started.set(id, resolve));
    const watch = amplify.firstMessage<Answer & { repeat: boolean }>('onGuestSaved', 'id commandId status version reason repeat', id);
    await live;
    const answer = await register({ id, email: uniqueEmail() });
    expect(answer).toEqual({ id, commandId: expect.any(String), status: 'SAVED', version: 1, reason: null });
    const message = await watch.message;
    watch.unsubscribe();
    expect(message).toEqual({ id, commandId: (answer as Answer).commandId, status: 'SAVED', version: 1, reason: null, repeat: false });
  });

  it('answers a repeated commandId the same, and stores it once', async () => {
    const email = uniqueEmail();
    const first = await register({ commandId: `again-${ulid()}`, email });
    const again = await register({ commandId: (first as Answer).commandId, email });
    expect(again).toEqual(first);
    const history = await amplify.send<{ getGuestHistory: { version: number }[] }>(
      'query ($id: ID!) { getGuestHistory(id: $id) { version } }',
      {
        id: (first as Answer).id,
      },
    );
    expect(isAmplifyError(history) ? history.errors : history.data.getGuestHistory).toEqual([{ version: 1 }]);
  });

  it('gives exactly one SAVED to 50 registrations of one email at once, the others REJECTED naming EmailTaken or refused', async () => {
    const email = uniqueEmail();
    const answers = await Promise.all(Array.from({ length: 50 }, () => register({ id: ulid(), email })));
    const saved = answers.filter((answer) => (answer as Answer).status === 'SAVED');
    expect(saved).toHaveLength(1);
    for (const answer of answers) {
      if ((answer as Answer).status === 'REJECTED') expect((answer as Answer).reason).toMatch(/EmailTaken: held by Guest/);
      else if (!(answer as Answer).status)
        expect(['BusinessRuleViolation', 'EventStoreUnavailable']).toContain((answer as { errorType: string }).errorType);
    }
  });
});
