import { describe, expect, it } from 'vitest';
import { aggregate as payment } from '../../../functions/payment/aggregate.ts';
import type {
  AuthorizePayment,
  CapturePayment,
  PaymentCommand,
  PaymentRule,
  RefundPayment,
  VoidPayment,
} from '../../../functions/payment/decide.ts';
import type { NewPaymentEvent } from '../../../functions/payment/events.ts';
import { providerAnswerOf, providerRequestOf, type ProviderAnswer } from '../../../functions/payment/provider.ts';
import { toPayment } from '../../../functions/payment/state.ts';
import { deciderSpec } from '../../helpers/deciderSpec.ts';

const PAYMENT_ID = '01JCZ5P1Q8M4T2V6X9Y3ZBPAY1';
const { given, fold, stream } = deciderSpec<
  Parameters<typeof payment.evolve>[0],
  Parameters<typeof payment.evolve>[1],
  PaymentCommand,
  PaymentRule
>(payment, {
  aggregateId: PAYMENT_ID,
});
const NOW = '2026-01-10T09:30:00.000Z';
const authorizedAnswer: ProviderAnswer = { outcome: 'AUTHORIZED', providerPaymentId: 'auth_1' };
const done: ProviderAnswer = { outcome: 'DONE' };

const authorize = (fields: Partial<AuthorizePayment> = {}): AuthorizePayment => ({
  type: 'AuthorizePayment',
  id: PAYMENT_ID,
  commandId: 'authorize-1',
  reservationId: 'reservation-1',
  amount: 24_000,
  currency: 'EUR',
  cardToken: 'tok_visa',
  now: NOW,
  provider: authorizedAnswer,
  ...fields,
});
const followUp = <T extends 'CapturePayment' | 'VoidPayment' | 'RefundPayment'>(type: T, provider: ProviderAnswer | null = done) =>
  ({ type, id: PAYMENT_ID, commandId: `${type}-1`, now: NOW, provider }) as T extends 'CapturePayment'
    ? CapturePayment
    : T extends 'VoidPayment'
      ? VoidPayment
      : RefundPayment;
const amount = { reservationId: 'reservation-1', amount: 24_000, currency: 'EUR' };
const authorized: NewPaymentEvent = { type: 'PaymentAuthorized', data: { ...amount, providerPaymentId: 'auth_1' } };
const captured: NewPaymentEvent = { type: 'PaymentCaptured', data: { amount: 24_000 } };

describe('AuthorizePayment: the provider’s answer becomes the event', () => {
  it('stores PaymentAuthorized with the provider’s id', () => {
    given([]).when(authorize()).then([authorized]);
  });

  it('stores PaymentDeclined with the provider’s reason', () => {
    given([])
      .when(authorize({ provider: { outcome: 'DECLINED', reason: 'card_declined' } }))
      .then([{ type: 'PaymentDeclined', data: { ...amount, reason: 'card_declined' } }]);
  });

  it('stores PaymentFailed when the provider could not answer', () => {
    given([])
      .when(authorize({ provider: { outcome: 'FAILED', reason: 'provider answered HTTP 500' } }))
      .then([{ type: 'PaymentFailed', data: { ...amount, reason: 'provider answered HTTP 500' } }]);
  });

  it('refuses an amount of 0 and a bad currency, and a second authorization of one payment, all at once', () => {
    given([authorized])
      .when(authorize({ amount: 0, currency: 'eur' }))
      .thenRefuses('BusinessRuleViolation', ['PaymentExists', 'AmountNotPositive', 'InvalidCurrency']);
  });

  it('refuses to decide without the provider’s answer (the step did not ask)', () => {
    given([])
      .when(authorize({ provider: null }))
      .thenRefuses('ValidationError', ['ProviderNotAsked']);
  });
});

describe('capture, void and refund follow the payment’s status', () => {
  it('captures an AUTHORIZED payment, then refunds it', () => {
    given([authorized]).when(followUp('CapturePayment')).then([captured]);
    given([authorized, captured])
      .when(followUp('RefundPayment'))
      .then([{ type: 'PaymentRefunded', data: { amount: 24_000 } }]);
  });

  it('voids an AUTHORIZED payment', () => {
    given([authorized])
      .when(followUp('VoidPayment'))
      .then([{ type: 'PaymentVoided', data: {} }]);
  });

  it.each([
    ['CapturePayment', [authorized, captured]],
    ['VoidPayment', [authorized, captured]],
    ['RefundPayment', [authorized]],
  ] as const)('refuses %s from the wrong status (InvalidPaymentState)', (type, events) => {
    given(events).when(followUp(type)).thenRefuses('BusinessRuleViolation', ['InvalidPaymentState']);
  });

  it('refuses a follow-up of a declined payment, and of none (NotFound)', () => {
    given([{ type: 'PaymentDeclined', data: { ...amount, reason: 'card_declined' } }])
      .when(followUp('CapturePayment'))
      .thenRefuses('BusinessRuleViolation', ['InvalidPaymentState']);
    given([]).when(followUp('VoidPayment')).thenRefuses('NotFound', ['PaymentNotFound']);
  });
});

describe('the payment view', () => {
  it('shows the status and the decline reason', () => {
    expect(toPayment(fold(stream([authorized, captured])))).toEqual({
      id: PAYMENT_ID,
      ...amount,
      status: 'CAPTURED',
      declineReason: null,
      version: 2,
    });
    expect(toPayment(fold(stream([{ type: 'PaymentDeclined', data: { ...amount, reason: 'insufficient_funds' } }])))).toMatchObject({
      status: 'DECLINED',
      declineReason: 'insufficient_funds',
    });
  });
});

describe('the provider protocol (docs/paymentProvider.md)', () => {
  it('authorizes with the amount, currency, card token and payment reference; follow-ups by the provider’s id', () => {
    expect(providerRequestOf('authorize', { amount: 100, currency: 'EUR', cardToken: 'tok_visa', reference: PAYMENT_ID })).toEqual({
      method: 'POST',
      resourcePath: '/v1/authorizations',
      body: { amount: 100, currency: 'EUR', cardToken: 'tok_visa', reference: PAYMENT_ID },
    });
    expect(providerRequestOf('refund', { providerPaymentId: 'auth_1' }).resourcePath).toBe('/v1/authorizations/auth_1/refund');
  });

  it.each([
    [201, '{"id":"auth_9","status":"authorized"}', { outcome: 'AUTHORIZED', providerPaymentId: 'auth_9' }],
    [402, '{"status":"declined","reason":"insufficient_funds"}', { outcome: 'DECLINED', reason: 'insufficient_funds' }],
    [200, '{"id":"auth_9","status":"captured"}', { outcome: 'DONE' }],
    [500, '{"status":"error","reason":"provider_error"}', { outcome: 'FAILED', reason: 'provider answered HTTP 500: provider_error' }],
    [502, '<html>Bad gateway</html>', { outcome: 'FAILED', reason: 'provider answered HTTP 502' }],
  ])('reads HTTP %i %s', (status, body, answer) => {
    expect(providerAnswerOf(status, body)).toEqual(answer);
  });
});
