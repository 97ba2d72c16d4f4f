/**
 * The business rules of a payment. A command is checked against the state
 * first (`preconditionViolations`: the provider is not asked for a command
 * that is refused anyway), then decided on the provider's answer, which
 * becomes the event. Never throws.
 */
import type { Decision as SharedDecision } from '../shared/decider.ts';
import { refusal, type RefusalType, type Violation as SharedViolation } from '../shared/errors.ts';
import type { NewPaymentEvent } from './events.ts';
import type { ProviderAnswer, ProviderOperation } from './provider.ts';
import type { ExistingPayment, PaymentState } from './state.ts';

interface PaymentCommandBase {
  id: string;
  commandId: string;
  now: string;
  /** The provider's answer to this command (set by the callProvider step); null when it was not asked. */
  provider: ProviderAnswer | null;
}

export interface AuthorizePayment extends PaymentCommandBase {
  type: 'AuthorizePayment';
  reservationId: string;
  amount: number;
  currency: string;
  cardToken: string;
}

export interface CapturePayment extends PaymentCommandBase {
  type: 'CapturePayment';
}

export interface VoidPayment extends PaymentCommandBase {
  type: 'VoidPayment';
}

export interface RefundPayment extends PaymentCommandBase {
  type: 'RefundPayment';
}

export type PaymentCommand = AuthorizePayment | CapturePayment | VoidPayment | RefundPayment;
export type PaymentCommandRequest = PaymentCommand extends infer C
  ? C extends PaymentCommand
    ? Omit<C, 'now' | 'provider'>
    : never
  : never;
export type PaymentFacts = Pick<PaymentCommandBase, 'provider'>;

export type PaymentRule =
  | 'PaymentExists'
  | 'AmountNotPositive'
  | 'InvalidCurrency'
  | 'PaymentNotFound'
  | 'InvalidPaymentState'
  | 'ProviderNotAsked'
  | 'UnknownCommand';
export type Violation = SharedViolation<PaymentRule>;
export type Decision = SharedDecision<NewPaymentEvent, PaymentRule>;

const UPPER_CASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The provider operation a command asks for. */
export function operationOf(command: Pick<PaymentCommand, 'type'>): ProviderOperation {
  const operations: Record<PaymentCommand['type'], ProviderOperation> = {
    AuthorizePayment: 'authorize',
    CapturePayment: 'capture',
    VoidPayment: 'void',
    RefundPayment: 'refund',
  };
  return operations[command.type];
}

/** The status a payment must have for each follow-up command. */
const REQUIRED_STATUS: Record<Exclude<PaymentCommand['type'], 'AuthorizePayment'>, ExistingPayment['status']> = {
  CapturePayment: 'AUTHORIZED',
  VoidPayment: 'AUTHORIZED',
  RefundPayment: 'CAPTURED',
};

/** Why a command is refused before the provider is asked, with its error type; [] when the provider may be asked. */
export function preconditionViolations(
  state: PaymentState,
  command: PaymentCommandRequest,
): { errorType: RefusalType; violations: Violation[] } {
  if (command.type === 'AuthorizePayment') {
    const violations: Violation[] = [];
    if (state.status !== 'NONE') {
      violations.push({
        rule: 'PaymentExists',
        message: `Payment ${command.id} already exists (${state.status}): send the command without an id, or with a new ULID.`,
      });
    }
    if (!(command.amount > 0)) {
      violations.push({
        rule: 'AmountNotPositive',
        message: `amount (${command.amount}) must be above 0: it is in minor units (cents), e.g. 24000 for 240.00.`,
      });
    }
    if (!(command.currency.length === 3 && command.currency.split('').every((ch) => UPPER_CASE.indexOf(ch) >= 0))) {
      violations.push({
        rule: 'InvalidCurrency',
        message: `currency (${JSON.stringify(command.currency)}) must be an ISO 4217 code: three upper-case letters, e.g. EUR.`,
      });
    }
    return { errorType: 'BusinessRuleViolation', violations };
  }
  if (state.status === 'NONE') {
    return {
      errorType: 'NotFound',
      violations: [{ rule: 'PaymentNotFound', message: `No payment has id ${command.id}: check the id (getPayment returns null for it).` }],
    };
  }
  const required = REQUIRED_STATUS[command.type];
  if (state.status !== required) {
    return {
      errorType: 'BusinessRuleViolation',
      violations: [
        { rule: 'InvalidPaymentState', message: `Payment ${command.id} is ${state.status}; ${operationOf(command)} needs it ${required}.` },
      ],
    };
  }
  return { errorType: 'BusinessRuleViolation', violations: [] };
}

function eventOf(state: PaymentState, command: PaymentCommand, provider: ProviderAnswer): NewPaymentEvent | null {
  if (command.type === 'AuthorizePayment') {
    const amount = { reservationId: command.reservationId, amount: command.amount, currency: command.currency };
    if (provider.outcome === 'AUTHORIZED')
      return { type: 'PaymentAuthorized', data: { ...amount, providerPaymentId: provider.providerPaymentId } };
    if (provider.outcome === 'DECLINED') return { type: 'PaymentDeclined', data: { ...amount, reason: provider.reason } };
    if (provider.outcome === 'FAILED') return { type: 'PaymentFailed', data: { ...amount, reason: provider.reason } };
    return null;
  }
  if (provider.outcome !== 'DONE' || state.status === 'NONE') {
    return null;
  }
  if (command.type === 'CapturePayment') return { type: 'PaymentCaptured', data: { amount: state.amount } };
  if (command.type === 'VoidPayment') return { type: 'PaymentVoided', data: {} };
  return { type: 'PaymentRefunded', data: { amount: state.amount } };
}

/**
 * Decide a payment command: every broken rule, or the event the provider's answer makes.
 * @example decide(initialState, { ...authorize, provider: { outcome: 'DECLINED', reason: 'card_declined' } }) // PaymentDeclined
 */
export function decide(state: PaymentState, command: PaymentCommand): Decision {
  const refused = preconditionViolations(state, command);
  if (refused.violations.length > 0) {
    return { ok: false, error: refusal(refused.errorType, refused.violations) };
  }
  const event = command.provider ? eventOf(state, command, command.provider) : null;
  if (!event) {
    return {
      ok: false,
      error: refusal('ValidationError', [
        {
          rule: 'ProviderNotAsked',
          message: `The provider's answer to ${operationOf(command)} (${JSON.stringify(command.provider)}) does not decide it: send the command again with the same commandId.`,
        },
      ]),
    };
  }
  return { ok: true, events: [event] };
}
