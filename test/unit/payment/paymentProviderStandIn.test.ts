/** The stand-in payment provider answers as the contract's card tokens say, idempotently, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentProviderStandIn } from '../../../dev/paymentProvider.ts';

let provider: PaymentProviderStandIn;
beforeAll(async () => {
  provider = await PaymentProviderStandIn.start({ apiKey: 'test-key', slowMs: 300 });
});
afterAll(() => provider.stop());

async function post(path: string, body: object, idempotencyKey: string, apiKey = 'test-key') {
  const response = await fetch(`${provider.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

const authorization = (cardToken: string) => ({ amount: 100, currency: 'EUR', cardToken, reference: 'p-1' });

describe('the stand-in payment provider', () => {
  it('authorizes any other token, then captures and refunds it; a second capture is refused', async () => {
    const authorized = await post('/v1/authorizations', authorization('tok_visa'), 'k-1');
    expect(authorized).toEqual({ status: 201, body: { id: expect.stringMatching(/^auth_/), status: 'authorized' } });
    const id = authorized.body.id;
    expect(await post(`/v1/authorizations/${id}/capture`, {}, 'k-2')).toEqual({ status: 200, body: { id, status: 'captured' } });
    expect((await post(`/v1/authorizations/${id}/capture`, {}, 'k-3')).status).toBe(409);
    expect(await post(`/v1/authorizations/${id}/refund`, {}, 'k-4')).toEqual({ status: 200, body: { id, status: 'refunded' } });
  });

  it.each([
    ['tok_declined', 402, { status: 'declined', reason: 'card_declined' }],
    ['tok_insufficient_funds', 402, { status: 'declined', reason: 'insufficient_funds' }],
    ['tok_error', 500, { status: 'error', reason: 'provider_error' }],
  ])('answers %s with HTTP %i', async (token, status, body) => {
    expect(await post('/v1/authorizations', authorization(token), `k-${token}`)).toEqual({ status, body });
  });

  it('answers tok_slow late (25 s by default; 300 ms here)', async () => {
    const started = performance.now();
    const answer = await post('/v1/authorizations', authorization('tok_slow'), 'k-slow');
    expect(answer.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers a repeated idempotency key with the first answer, authorizing once', async () => {
    const first = await post('/v1/authorizations', authorization('tok_visa'), 'same-key');
    const again = await post('/v1/authorizations', authorization('tok_visa'), 'same-key');
    expect(again).toEqual(first);
    expect(provider.requests.filter((request) => request.idempotencyKey === 'same-key')).toHaveLength(2);
  });

  it('refuses a wrong API key', async () => {
    expect(await post('/v1/authorizations', authorization('tok_visa'), 'k-key', 'wrong')).toEqual({
      status: 401,
      body: { status: 'error', reason: 'invalid_api_key' },
    });
  });
});
