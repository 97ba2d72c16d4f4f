/**
 * Pipeline step (NONE data source), bundled per aggregate, of the `direct`
 * command pipeline only (pipelines.ts): decides the command exactly as
 * decideCommand does (the same request, imported), then stages its event for
 * the store's own steps that follow in the same pipeline (appendEvent,
 * readAnswers, recordAnswer): the event, the unique constraints the aggregate
 * says it claims or releases, and the snapshot it carries. A command already
 * in the stream is answered SAVED again (a repeat), staging nothing, so it is
 * answered the same and stored once.
 *
 * One event per command: the store's steps append one event, and every
 * decider here decides one. A decider that decides more is refused at once
 * (DirectDeliveryOneEvent) rather than stored in part.
 */
import { util, type Context, type NONERequest } from '@aws-appsync/utils';
import { aggregate } from '@aggregate';
import { request as decide } from './decideCommand';
import type { DirectCommandStash } from './stash';
import { constraintsToWrite } from './uniqueConstraints';

export function request(ctx: Context<unknown, DirectCommandStash>): NONERequest {
  const decided = decide(ctx);
  const pending = ctx.stash.pendingEvents ?? [];
  if (pending.length > 1) {
    util.error(
      `A ${aggregate.streamType} command decided ${pending.length} events; direct delivery appends one per command. Deliver this aggregate by 'bus'.`,
      'DirectDeliveryOneEvent',
    );
  }
  const [first] = pending;
  if (first) {
    const { snapshot, ...event } = first;
    ctx.stash.append = { event, constraints: constraintsToWrite(aggregate, event), ...(snapshot ? { snapshot } : {}) };
    return decided;
  }
  // Nothing decided: a refusal a task token waits for (answerTaskAtCommand), or a command already stored.
  const stored = (ctx.stash.loaded?.events ?? []).find((event) => event.commandId === ctx.stash.command.commandId);
  if (stored && !ctx.stash.refusal) {
    ctx.stash.answer = { status: 'SAVED', version: stored.version, reason: null, repeat: true, recorded: true };
  }
  return decided;
}

export function response(ctx: Context<unknown, DirectCommandStash>) {
  return ctx.result;
}
