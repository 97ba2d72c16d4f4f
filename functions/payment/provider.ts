/**
 * The payment provider's protocol, pure: the request for each command and
 * what its answer means. The provider is an outside HTTP service; its
 * contract (docs/paymentProvider.md) is what the local stand-in serves:
 *
 *   POST /v1/authorizations              { amount, currency, cardToken, reference } → 201 { id, status: 'authorized' } | 402 { status: 'declined', reason }
 *   POST /v1/authorizations/{id}/capture → 200 { status: 'captured' }
 *   POST /v1/authorizations/{id}/void    → 200 { status: 'voided' }
 *   POST /v1/authorizations/{id}/refund  → 200 { status: 'refunded' }
 *
 * Every request carries `Idempotency-Key: <commandId>`, so a command retried
 * with the same commandId is answered the same and charged once.
 */

/** What the provider said, as decide reads it. */
export type ProviderAnswer =
  | { outcome: 'AUTHORIZED'; providerPaymentId: string }
  | { outcome: 'DECLINED'; reason: string }
  /** An error status or no answer: nothing is held. */
  | { outcome: 'FAILED'; reason: string }
  /** A capture, void or refund done. */
  | { outcome: 'DONE' };

export type ProviderOperation = 'authorize' | 'capture' | 'void' | 'refund';

export interface ProviderRequest {
  method: 'POST';
  resourcePath: string;
  body: Record<string, unknown>;
}

export function providerRequestOf(
  operation: ProviderOperation,
  fields: { providerPaymentId?: string | null; amount?: number; currency?: string; cardToken?: string; reference?: string },
): ProviderRequest {
  if (operation === 'authorize') {
    return {
      method: 'POST',
      resourcePath: '/v1/authorizations',
      body: { amount: fields.amount, currency: fields.currency, cardToken: fields.cardToken, reference: fields.reference },
    };
  }
  return { method: 'POST', resourcePath: `/v1/authorizations/${fields.providerPaymentId}/${operation}`, body: {} };
}

/** What an HTTP answer of the provider means. */
export function providerAnswerOf(statusCode: number, body: string | null): ProviderAnswer {
  // Only a JSON object is read: an HTML error page must not fail the command (APPSYNC_JS has no try).
  const parsed = (body && body.trim().startsWith('{') ? JSON.parse(body) : {}) as { id?: string; status?: string; reason?: string };
  if (statusCode === 402 || parsed.status === 'declined') {
    return { outcome: 'DECLINED', reason: parsed.reason ?? 'declined' };
  }
  if (statusCode >= 200 && statusCode < 300 && parsed.status === 'authorized' && typeof parsed.id === 'string') {
    return { outcome: 'AUTHORIZED', providerPaymentId: parsed.id };
  }
  if (statusCode >= 200 && statusCode < 300 && parsed.status !== 'authorized') {
    return { outcome: 'DONE' };
  }
  return { outcome: 'FAILED', reason: `provider answered HTTP ${statusCode}${parsed.reason ? `: ${parsed.reason}` : ''}` };
}
