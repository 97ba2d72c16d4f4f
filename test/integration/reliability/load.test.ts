/**
 * The load run, scaled down for `npm test`: 400 commands at concurrency 16
 * through the shared driver (`npm run test:load` runs 10 000 at 32). Nothing
 * may be lost: every accepted command has exactly one terminal message and the
 * store agrees with it (a stored event for SAVED, a tombstone or recorded
 * answer for TIMED_OUT, nothing for REJECTED); no refused command gets a
 * message or stores anything; every stream stays consistent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalStack } from '../../helpers/localStack.ts';
import { formatLoadReport, runLoad, type LoadReport } from '../../load/loadDriver.ts';

const TIMEOUT_SECONDS = 2;
const local = useLocalStack({ environment: { COMMAND_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) } });

describe('400 commands at concurrency 16', () => {
  let report: LoadReport;
  beforeAll(async () => {
    report = await runLoad({ stack: local.stack, commands: 400, concurrency: 16, commandTimeoutSeconds: TIMEOUT_SECONDS, seed: 11 });
    console.info(`load figures:\n${formatLoadReport(report)}`);
  }, 120_000);

  it('answers every command at once: accepted, or refused naming a rule; none fails', () => {
    expect(report.accepted + report.refusedByRule).toBe(400);
    expect(report.failedTypes).toEqual({});
    // The mix makes conflicts on purpose: both kinds of answer occur.
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.refusedByRule).toBeGreaterThan(0);
  });

  it('loses nothing: every accepted command gets exactly one terminal message, and no refused one gets any', () => {
    expect({
      lost: report.lost,
      duplicates: report.duplicates,
      messagesForUnaccepted: report.messagesForUnaccepted,
      examples: report.examples,
    }).toEqual({
      lost: 0,
      duplicates: 0,
      messagesForUnaccepted: 0,
      examples: [],
    });
    expect(report.saved + report.rejected + report.timedOut).toBe(report.accepted);
  });

  it('stores what it told: each SAVED event at its version, each TIMED_OUT tombstone, nothing for REJECTED or refused commands; streams gapless, claims matching', () => {
    expect(report.storeMismatches).toBe(0);
    expect(report.storeProblems).toEqual([]);
    expect(report.storedEvents).toBeGreaterThanOrEqual(report.saved);
  });
});
