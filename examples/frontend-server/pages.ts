/**
 * Server-rendered HTML of the example: the request form and the reservation
 * page. Every interpolated value is escaped by the `html` tag; the browser gets
 * no GraphQL, only a dozen lines that swap in the fragment each SSE event carries.
 */
import type { BookingUpdate, Violation } from './reservationApi.ts';
import { isTerminal, lastChange, type ReservationDetails, type ReservationView, type StateChange } from './reservationViews.ts';

class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Template tag: interpolations are escaped unless they are SafeHtml (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1]!;
  });
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

const STYLE = `
  :root { color-scheme: light; --ink: #1d2433; --muted: #5b6475; --line: #dfe3ea; --accent: #2f5bd3; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f5f7fa; }
  header { background: #1d2433; color: #fff; padding: 14px 32px; display: flex; gap: 16px; align-items: baseline; }
  header a { color: #fff; text-decoration: none; font-weight: 600; }
  header span { color: #aeb7c8; font-size: 14px; }
  main { max-width: 720px; margin: 32px auto; padding: 0 16px; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 24px 28px; margin-bottom: 20px; }
  h1 { font-size: 22px; margin: 0 0 16px; }
  label { display: block; font-size: 14px; color: var(--muted); margin-bottom: 12px; }
  input { display: block; width: 100%; margin-top: 4px; padding: 8px 10px; font: inherit; border: 1px solid #c4cbd6; border-radius: 6px; }
  .row { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
  button { font: inherit; padding: 9px 18px; border-radius: 6px; border: 0; background: var(--accent); color: #fff; cursor: pointer; }
  button.danger { background: #b3261e; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 20px; margin: 0; }
  dt { color: var(--muted); }
  dd { margin: 0; font-variant-numeric: tabular-nums; }
  .status { display: flex; align-items: center; gap: 12px; font-size: 20px; font-weight: 600; margin: 0 0 16px; padding: 14px 16px; border-radius: 8px; }
  .status small { display: block; font-size: 14px; font-weight: 400; }
  .status[data-state="processing"] { background: #eef3ff; color: #1e3f9a; }
  .status[data-state="confirmed"] { background: #e7f6ec; color: #1b6b34; }
  .status[data-state="cancelled"] { background: #f1f2f4; color: #3c4350; }
  .status[data-state="rejected"], .status[data-state="timed-out"], .status[data-state="no-answer"] { background: #fdecea; color: #8c1d18; }
  .spinner { width: 18px; height: 18px; border: 3px solid #b9c8f5; border-top-color: #1e3f9a; border-radius: 50%; animation: spin 0.8s linear infinite; flex: none; }
  @keyframes spin { to { transform: rotate(360deg); } }
  .errors { background: #fdecea; border: 1px solid #f3b8b2; color: #8c1d18; border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; }
  .errors ul { margin: 6px 0 0; padding-left: 20px; }
  .errors code { font-size: 13px; background: #f9d6d2; padding: 1px 5px; border-radius: 4px; }
  .actions { margin-top: 20px; display: flex; gap: 12px; align-items: flex-end; }
  .actions label { flex: 1; margin: 0; }
  .meta { color: var(--muted); font-size: 13px; margin-top: 16px; }
  .meta code { font-size: 12px; }
  .steps { margin: 0 0 16px; padding-left: 22px; }
  .steps li[data-reached="false"] { color: var(--muted); }
  .steps li[data-step="FAILED"] { color: #8c1d18; font-weight: 600; }
`;

/** The only script the browser runs: follow this reservation's (or booking's) states over SSE and swap in each fragment. */
const FOLLOW_SCRIPT = `
(() => {
  const section = document.querySelector('section[data-events]');
  if (!section || section.dataset.terminal === 'true' || !window.EventSource) return;
  const source = new EventSource(section.dataset.events);
  source.addEventListener('state', (event) => {
    const update = JSON.parse(event.data);
    document.querySelector('section[data-events]').outerHTML = update.html;
    document.title = update.title;
    if (update.terminal) source.close();
  });
})();
`;

function page(title: string, body: SafeHtml, options: { refresh?: boolean; script?: boolean } = {}): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        ${options.refresh ? html`<noscript><meta http-equiv="refresh" content="2" /></noscript>` : ''}
        <style>
          ${new SafeHtml(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <a href="/">Hotel reservations</a><a href="/bookings">Book a stay</a
          ><span>an example front end of the AppSync event-sourcing core</span>
        </header>
        <main>${body}</main>
        ${
          options.script
            ? html`<script>
                ${new SafeHtml(FOLLOW_SCRIPT)};
              </script>`
            : ''
        }
      </body>
    </html> `.value;
}

export interface FormValues {
  userId: string;
  roomId: string;
  dateStart: string;
  dateEnd: string;
}

export interface Refusal {
  errorType: string;
  message: string;
  violations: Violation[];
}

export function requestFormPage(values: FormValues, refusal?: Refusal): string {
  return page(
    'Request a reservation',
    html`<section class="card">
      <h1>Request a reservation</h1>
      ${refusal ? refusalBlock('The reservation was refused', refusal) : ''}
      <form method="post" action="/reservations">
        <div class="row">
          <label>User <input name="userId" value="${values.userId}" required /></label>
          <label>Room <input name="roomId" value="${values.roomId}" required /></label>
        </div>
        <div class="row">
          <label>Check-in <input name="dateStart" type="date" value="${values.dateStart}" required /></label>
          <label>Check-out <input name="dateEnd" type="date" value="${values.dateEnd}" required /></label>
        </div>
        <button type="submit">Request reservation</button>
      </form>
    </section>`,
  );
}

function refusalBlock(heading: string, refusal: Refusal): SafeHtml {
  return html`<div class="errors" role="alert" data-error-type="${refusal.errorType}">
    <strong>${heading}</strong> (${refusal.errorType}).
    ${
      refusal.violations.length > 0
        ? html`<ul class="violations">
            ${refusal.violations.map((violation) => html`<li data-rule="${violation.rule}"><code>${violation.rule}</code> ${violation.message}</li>`)}
          </ul>`
        : html`<div>${refusal.message}</div>`
    }
  </div>`;
}

const STATE_TEXT: Record<StateChange['state'], (change: StateChange) => { title: string; detail: string }> = {
  processing: (change) => ({
    title: change.command === 'cancel' ? 'Cancellation received, processing' : 'Received, processing',
    detail: 'The core accepted the command (PENDING); waiting for it to be stored.',
  }),
  confirmed: (change) => ({
    title: 'Confirmed',
    detail: change.reservation ? `Stored at version ${change.reservation.version}.` : 'Stored.',
  }),
  cancelled: (change) => ({
    title: 'Cancelled',
    detail: change.reservation?.cancellationReason ? `Reason: ${change.reservation.cancellationReason}` : 'The room nights are free again.',
  }),
  rejected: (change) => ({ title: `Rejected: ${change.reason ?? 'no reason given'}`, detail: 'Nothing was stored for this command.' }),
  'timed-out': (change) => ({
    title: 'Timed out',
    detail: change.reason ?? 'The command was not stored in time; a late store is refused.',
  }),
  'no-answer': (change) => ({ title: 'No answer yet', detail: change.reason ?? 'Reload the page later to see the stored state.' }),
};

/** The part of the reservation page that changes: sent whole in each SSE event. */
export function reservationSection(view: ReservationView, refusal?: Refusal): { html: string; title: string; terminal: boolean } {
  const change = lastChange(view);
  const state = change?.state ?? 'processing';
  const text = change ? STATE_TEXT[state](change) : { title: 'Unknown', detail: '' };
  const terminal = isTerminal(state);
  const canCancel = (change?.reservation?.status ?? (state === 'confirmed' ? 'CONFIRMED' : undefined)) === 'CONFIRMED' && terminal;
  const details: ReservationDetails = view.details;
  const section = html`<section
    class="card"
    id="reservation"
    data-terminal="${String(terminal)}"
    data-events="/reservations/${view.id}/events?after=${change?.seq ?? 0}"
  >
    <h1>Reservation</h1>
    ${refusal ? refusalBlock('The cancellation was refused', refusal) : ''}
    <p class="status" role="status" data-state="${state}">
      ${terminal ? '' : html`<span class="spinner" aria-hidden="true"></span>`}<span>${text.title}<small>${text.detail}</small></span>
    </p>
    <dl>
      <dt>Room</dt>
      <dd>${details.roomId}</dd>
      <dt>Guest</dt>
      <dd>${details.userId}</dd>
      <dt>Check-in</dt>
      <dd>${details.dateStart}</dd>
      <dt>Check-out</dt>
      <dd>${details.dateEnd}</dd>
    </dl>
    ${
      canCancel
        ? html`<form class="actions" method="post" action="/reservations/${view.id}/cancel">
            <label>Reason (optional) <input name="reason" placeholder="plans changed" /></label>
            <button class="danger" type="submit">Cancel reservation</button>
          </form>`
        : ''
    }
    <p class="meta">Reservation <code>${view.id}</code>${change?.commandId ? html` · command <code>${change.commandId}</code>` : ''}</p>
  </section>`;
  return { html: section.value, title: `Reservation: ${text.title}`, terminal };
}

export function reservationPage(view: ReservationView, refusal?: Refusal): string {
  const section = reservationSection(view, refusal);
  return page(section.title, new SafeHtml(section.html), { refresh: !section.terminal, script: true });
}

export function messagePage(title: string, message: string): string {
  return page(
    title,
    html`<section class="card">
      <h1>${title}</h1>
      <p>${message}</p>
      <p><a href="/">Request a reservation</a></p>
    </section>`,
  );
}

export interface BookingFormValues {
  guestId: string;
  roomId: string;
  dateStart: string;
  dateEnd: string;
  cardToken: string;
}

export function bookingFormPage(values: BookingFormValues, refusal?: Refusal): string {
  return page(
    'Book a stay',
    html`<section class="card">
      <h1>Book a stay</h1>
      ${refusal ? refusalBlock('The booking was refused', refusal) : ''}
      <form method="post" action="/bookings">
        <div class="row">
          <label>Guest id <input name="guestId" value="${values.guestId}" required /></label>
          <label>Room id <input name="roomId" value="${values.roomId}" required /></label>
        </div>
        <div class="row">
          <label>Check-in <input name="dateStart" type="date" value="${values.dateStart}" required /></label>
          <label>Check-out <input name="dateEnd" type="date" value="${values.dateEnd}" required /></label>
        </div>
        <label>Card token <input name="cardToken" value="${values.cardToken}" required /></label>
        <button type="submit">Book</button>
      </form>
    </section>`,
  );
}

/** The booking's steps as a client hears them on onBookingUpdated, in order. */
const BOOKING_STEPS = ['STARTED', 'RESERVED', 'PAYMENT_AUTHORIZED', 'CONFIRMED'] as const;
const STEP_TEXT: Record<string, string> = {
  STARTED: 'Booking received',
  RESERVED: 'Room reserved',
  PAYMENT_AUTHORIZED: 'Payment authorized',
  CONFIRMED: 'Payment captured: confirmed',
  FAILED: 'Failed',
};

/** The part of the booking page that changes: sent whole in each SSE event. */
export function bookingSection(id: string, updates: readonly BookingUpdate[]): { html: string; title: string; terminal: boolean } {
  const last = updates.at(-1);
  const terminal = last?.status === 'CONFIRMED' || last?.status === 'FAILED';
  const state = last?.status === 'CONFIRMED' ? 'confirmed' : last?.status === 'FAILED' ? 'rejected' : 'processing';
  const title =
    last?.status === 'FAILED'
      ? `Failed: ${last.reason ?? 'no reason given'}`
      : last?.status === 'CONFIRMED'
        ? 'Confirmed'
        : 'Received, processing';
  const reached = new Set(updates.map((update) => update.status));
  const booking = [...updates].reverse().find((update) => update.booking)?.booking ?? null;
  const steps = [
    ...BOOKING_STEPS.filter((step) => step !== 'CONFIRMED' || last?.status !== 'FAILED'),
    ...(last?.status === 'FAILED' ? ['FAILED'] : []),
  ];
  const section = html`<section
    class="card"
    id="booking"
    data-terminal="${String(terminal)}"
    data-events="/bookings/${id}/events?after=${updates.length}"
  >
    <h1>Booking</h1>
    <p class="status" role="status" data-state="${state}">
      ${terminal ? '' : html`<span class="spinner" aria-hidden="true"></span>`}<span
        >${title}<small
          >${
            terminal
              ? last?.status === 'FAILED'
                ? 'What the booking did was undone: the nights are free again, nothing is charged.'
                : 'The room is yours.'
              : 'Each step appears as the core reaches it.'
          }</small
        ></span
      >
    </p>
    <ol class="steps">
      ${steps.map((step) => html`<li data-step="${step}" data-reached="${String(reached.has(step as BookingUpdate['status']))}">${reached.has(step as BookingUpdate['status']) ? '✔ ' : '… '}${STEP_TEXT[step] ?? step}${step === 'FAILED' && last?.reason ? html` (${last.reason})` : ''}</li>`)}
    </ol>
    ${
      booking
        ? html`<dl>
            <dt>Room</dt>
            <dd>${booking.roomId}</dd>
            <dt>Check-in</dt>
            <dd>${booking.dateStart}</dd>
            <dt>Check-out</dt>
            <dd>${booking.dateEnd}</dd>
            <dt>Amount</dt>
            <dd>
              ${booking.amount !== null && booking.amount !== undefined ? `${(booking.amount / 100).toFixed(2)} ${booking.currency ?? ''}` : ''}
            </dd>
          </dl>`
        : ''
    }
    <p class="meta">
      Booking
      <code>${id}</code
      >${booking?.reservationId ? html` · reservation <code>${booking.reservationId}</code>` : ''}${booking?.paymentId ? html` · payment <code>${booking.paymentId}</code>` : ''}
    </p>
  </section>`;
  return { html: section.value, title: `Booking: ${title}`, terminal };
}

export function bookingPage(id: string, updates: readonly BookingUpdate[]): string {
  const section = bookingSection(id, updates);
  return page(section.title, new SafeHtml(section.html), { refresh: !section.terminal, script: true });
}
