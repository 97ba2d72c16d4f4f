/**
 * An SSR-style front-end server of the reservation core, showing the tentative
 * pattern: subscribe to the outcome first (with a client-chosen ULID), send the
 * command, render "received, processing", and push the outcome to the browser
 * with Server-Sent Events when the subscription brings it.
 *
 *   GET  /                          the request form
 *   POST /reservations              createReservation → 303 to the reservation page, or the form with violations
 *   GET  /reservations/:id          the reservation page (its last known state; getReservation for one it never saw)
 *   GET  /reservations/:id/events   SSE: the states after ?after=N (or Last-Event-ID), then new ones
 *   POST /reservations/:id/cancel   cancelReservation → the same path
 *   GET  /bookings                  the booking form (guest, room, dates, card token)
 *   POST /bookings                  subscribe to onBookingUpdated(id), then bookStay → 303 to the booking page, or the form with violations
 *   GET  /bookings/:id              the booking page: each step reached so far
 *   GET  /bookings/:id/events       SSE: the updates after ?after=N, then each new one as the core reaches it
 *
 * @example
 * const server = await startFrontendServer({ endpoint: 'http://localhost:20002/graphql', apiKey: 'da2-fakeApiId123456', port: 3000 });
 * console.log(server.url);
 * await server.close();
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ulid } from 'ulid';
import { configureReservationApi, type BookingUpdate, type CommandAnswer, type OutcomeWatch } from './reservationApi.ts';
import {
  detailsOf,
  ReservationViews,
  stateOfOutcome,
  type CommandKind,
  type ReservationView,
  type StateChange,
} from './reservationViews.ts';
import {
  bookingFormPage,
  bookingPage,
  bookingSection,
  messagePage,
  requestFormPage,
  reservationPage,
  reservationSection,
  type BookingFormValues,
  type FormValues,
} from './pages.ts';

export interface FrontendServerOptions {
  /** The AppSync GraphQL endpoint. */
  endpoint: string;
  apiKey: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** A CA file to trust on wss:// (the local stack's); Node's own CAs otherwise. */
  caFile?: string;
  /** How long to wait for the outcome before reading the stored state instead. Default 60 s. */
  outcomeDeadlineMs?: number;
}

export interface FrontendServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const SSE_HEARTBEAT_MS = 15_000;

export async function startFrontendServer(options: FrontendServerOptions): Promise<FrontendServer> {
  const api = configureReservationApi({ endpoint: options.endpoint, apiKey: options.apiKey, caFile: options.caFile });
  const views = new ReservationViews();
  const watches = new Set<OutcomeWatch>();
  const streams = new Set<ServerResponse>();
  const deadlineMs = options.outcomeDeadlineMs ?? 60_000;
  /** The bookings this server sent: every update heard so far, and who follows them (SSE streams). */
  const bookings = new Map<
    string,
    { updates: BookingUpdate[]; followers: Set<(update: BookingUpdate, index: number) => void>; unsubscribe: () => void }
  >();

  /**
   * The tentative pattern: subscribe, send, answer at once; the outcome is recorded when it arrives.
   * Resolves with the command's immediate answer.
   */
  async function sendCommand(
    id: string,
    command: CommandKind,
    send: (commandId: string) => Promise<CommandAnswer>,
  ): Promise<CommandAnswer> {
    const commandId = ulid();
    const watch = await api.watchOutcome(id, commandId);
    watches.add(watch);
    const answer = await send(commandId).catch((error: unknown): CommandAnswer => ({
      accepted: false,
      errorType: 'NetworkError',
      message: String(error),
      violations: [],
    }));
    if (!answer.accepted) {
      watch.unsubscribe();
      watches.delete(watch);
      return answer;
    }
    // Recorded before the outcome is looked at, so "processing" always comes first, however fast the store is.
    views.record(id, { state: 'processing', command, commandId, reason: null, reservation: null });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), deadlineMs)));
    void Promise.race([watch.outcome, deadline])
      .then(
        async (outcome) => {
          if (outcome === 'deadline')
            return settleFromQuery(id, command, commandId, `No outcome arrived within ${Math.round(deadlineMs / 1000)} s.`);
          views.record(id, {
            state: stateOfOutcome(outcome, command),
            command,
            commandId,
            reason: outcome.reason,
            reservation: outcome.reservation,
          });
        },
        (error: unknown) => settleFromQuery(id, command, commandId, `The subscription failed (${(error as Error).message}).`),
      )
      .finally(() => {
        clearTimeout(timer);
        watch.unsubscribe();
        watches.delete(watch);
      });
    return answer;
  }

  /** No message came: the query side tells whether the command took effect. */
  async function settleFromQuery(id: string, command: CommandKind, commandId: string, why: string): Promise<void> {
    const reservation = await api.getReservation(id).catch(() => null);
    const done = reservation && (command === 'create' ? reservation.status === 'CONFIRMED' : reservation.status === 'CANCELLED');
    if (done) views.record(id, { state: command === 'create' ? 'confirmed' : 'cancelled', command, commandId, reason: null, reservation });
    else
      views.record(id, {
        state: 'no-answer',
        command,
        commandId,
        reason: `${why} Reload the page later to see the stored state.`,
        reservation,
      });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    if (request.method === 'GET' && parts.length === 0) return sendHtml(response, 200, requestFormPage(defaultFormValues()));
    if (parts[0] === 'bookings') return handleBooking(request, url, parts, response);
    if (parts[0] !== 'reservations') return sendHtml(response, 404, messagePage('Not found', `Nothing at ${url.pathname}.`));
    if (request.method === 'POST' && parts.length === 1) return createReservation(await readForm(request), response);
    const id = parts[1] ?? '';
    if (!ULID.test(id)) return sendHtml(response, 404, messagePage('Not found', `${id} is not a reservation id.`));
    if (request.method === 'GET' && parts.length === 2) return showReservation(id, response);
    if (request.method === 'GET' && parts.length === 3 && parts[2] === 'events') return followReservation(id, request, url, response);
    if (request.method === 'POST' && parts.length === 3 && parts[2] === 'cancel')
      return cancelReservation(id, await readForm(request), response);
    return sendHtml(response, 404, messagePage('Not found', `Nothing at ${request.method} ${url.pathname}.`));
  }

  async function handleBooking(request: IncomingMessage, url: URL, parts: string[], response: ServerResponse): Promise<void> {
    if (request.method === 'GET' && parts.length === 1)
      return sendHtml(response, 200, bookingFormPage({ ...defaultFormValues(), guestId: '', roomId: '', cardToken: 'tok_visa' }));
    if (request.method === 'POST' && parts.length === 1) return bookStay(await readForm(request), response);
    const id = parts[1] ?? '';
    const booking = ULID.test(id) ? bookings.get(id) : undefined;
    if (!booking) return sendHtml(response, 404, messagePage('Not found', `No booking ${id} was sent from this server.`));
    if (request.method === 'GET' && parts.length === 2) return sendHtml(response, 200, bookingPage(id, booking.updates));
    if (request.method === 'GET' && parts.length === 3 && parts[2] === 'events') {
      const after = Math.max(Number(url.searchParams.get('after') ?? 0) || 0, Number(request.headers['last-event-id'] ?? 0) || 0);
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write('retry: 2000\n\n');
      streams.add(response);
      const send = (update: BookingUpdate, index: number) => {
        const section = bookingSection(id, booking.updates.slice(0, index + 1));
        response.write(
          `id: ${index + 1}\nevent: state\ndata: ${JSON.stringify({ seq: index + 1, state: update.status, reason: update.reason, ...section })}\n\n`,
        );
      };
      booking.updates.forEach((update, index) => {
        if (index + 1 > after) send(update, index);
      });
      booking.followers.add(send);
      const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
      response.on('close', () => {
        clearInterval(heartbeat);
        booking.followers.delete(send);
        streams.delete(response);
      });
      return;
    }
    return sendHtml(response, 404, messagePage('Not found', `Nothing at ${request.method} ${url.pathname}.`));
  }

  /** The tentative pattern for a process: subscribe to its updates first, send bookStay, show each step as it comes. */
  async function bookStay(form: URLSearchParams, response: ServerResponse): Promise<void> {
    const values: BookingFormValues = {
      guestId: form.get('guestId')?.trim() ?? '',
      roomId: form.get('roomId')?.trim() ?? '',
      dateStart: form.get('dateStart')?.trim() ?? '',
      dateEnd: form.get('dateEnd')?.trim() ?? '',
      cardToken: form.get('cardToken')?.trim() ?? '',
    };
    const id = ulid();
    const booking: { updates: BookingUpdate[]; followers: Set<(update: BookingUpdate, index: number) => void>; unsubscribe: () => void } = {
      updates: [],
      followers: new Set(),
      unsubscribe: () => undefined,
    };
    bookings.set(id, booking);
    const watch = await api.watchBooking(id, (update) => {
      booking.updates.push(update);
      for (const follower of booking.followers) follower(update, booking.updates.length - 1);
      if (update.status === 'CONFIRMED' || update.status === 'FAILED') booking.unsubscribe();
    });
    booking.unsubscribe = watch.unsubscribe;
    const answer = await api.bookStay({ id, commandId: ulid(), ...values });
    if (!answer.accepted) {
      watch.unsubscribe();
      bookings.delete(id);
      return sendHtml(response, 422, bookingFormPage(values, answer));
    }
    redirect(response, `/bookings/${id}`);
  }

  async function createReservation(form: URLSearchParams, response: ServerResponse): Promise<void> {
    const values: FormValues = {
      userId: form.get('userId')?.trim() ?? '',
      roomId: form.get('roomId')?.trim() ?? '',
      dateStart: form.get('dateStart')?.trim() ?? '',
      dateEnd: form.get('dateEnd')?.trim() ?? '',
    };
    const id = ulid();
    views.open(id, values);
    const answer = await sendCommand(id, 'create', (commandId) => api.createReservation({ id, commandId, ...values })).catch(
      (error: unknown) => {
        views.forget(id);
        throw error;
      },
    );
    if (!answer.accepted) {
      views.forget(id);
      return sendHtml(response, 422, requestFormPage(values, answer));
    }
    redirect(response, `/reservations/${id}`);
  }

  async function cancelReservation(id: string, form: URLSearchParams, response: ServerResponse): Promise<void> {
    const view = await viewOf(id);
    if (!view) return sendHtml(response, 404, messagePage('Not found', `No reservation ${id}.`));
    const reason = form.get('reason')?.trim() || null;
    const answer = await sendCommand(id, 'cancel', (commandId) => api.cancelReservation({ id, commandId, reason }));
    if (!answer.accepted) return sendHtml(response, 422, reservationPage(view, answer));
    redirect(response, `/reservations/${id}`);
  }

  async function showReservation(id: string, response: ServerResponse): Promise<void> {
    const view = await viewOf(id);
    if (!view) return sendHtml(response, 404, messagePage('Not found', `No reservation ${id}.`));
    sendHtml(response, 200, reservationPage(view));
  }

  /** A reservation this server has not shown yet (another server, a restart): read it from the query side. */
  async function viewOf(id: string): Promise<ReservationView | undefined> {
    const known = views.get(id);
    if (known) return known;
    const reservation = await api.getReservation(id);
    if (!reservation) return undefined;
    views.open(id, detailsOf(reservation));
    views.record(id, {
      state: reservation.status === 'CANCELLED' ? 'cancelled' : 'confirmed',
      command: null,
      commandId: null,
      reason: null,
      reservation,
    });
    return views.get(id);
  }

  async function followReservation(id: string, request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> {
    const view = await viewOf(id);
    if (!view) return sendHtml(response, 404, messagePage('Not found', `No reservation ${id}.`));
    const after = Math.max(Number(url.searchParams.get('after') ?? 0) || 0, Number(request.headers['last-event-id'] ?? 0) || 0);
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write('retry: 2000\n\n');
    streams.add(response);
    const send = (change: StateChange, current: ReservationView) => {
      const upTo: ReservationView = { ...current, changes: current.changes.slice(0, change.seq) };
      const section = reservationSection(upTo);
      const data = {
        seq: change.seq,
        state: change.state,
        command: change.command,
        commandId: change.commandId,
        reason: change.reason,
        ...section,
      };
      response.write(`id: ${change.seq}\nevent: state\ndata: ${JSON.stringify(data)}\n\n`);
    };
    for (const change of view.changes) if (change.seq > after) send(change, view);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    const stop = views.follow(id, send);
    response.on('close', () => {
      clearInterval(heartbeat);
      stop();
      streams.delete(response);
    });
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) sendHtml(response, 502, messagePage('The core could not be reached', (error as Error).message));
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    async close() {
      for (const watch of watches) watch.unsubscribe();
      for (const booking of bookings.values()) booking.unsubscribe();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Tomorrow to three nights later (UTC): a stay the core accepts as it is. */
function defaultFormValues(): FormValues {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return { userId: 'user-1', roomId: 'room-101', dateStart: day(1), dateEnd: day(4) };
}

function sendHtml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(body);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { location });
  response.end();
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > 64 * 1024) throw new Error('The form is larger than 64 KB.');
  }
  return new URLSearchParams(body);
}
