/** The states that run branches: Parallel (every branch at once) and inline Map (one iteration per item). */
import { STATES_ERRORS, StatesError } from './errors.ts';
import { applyFilterPath, applyPayloadTemplate, StateRuntimeError } from './payload.ts';
import { ExecutionStopped, isAbort, linkedController, type Frame, type StateVisit } from './executionModel.ts';
import type { ExecutionRunner } from './interpreter.ts';

/** Runs every branch at once with the same input; the first failure stops the others and fails the state. */
export async function runParallelState(runner: ExecutionRunner, visit: StateVisit, input: unknown): Promise<unknown[]> {
  const { state, frame } = visit;
  runner.history.add(frame.cursor, 'ParallelStateStarted');
  const controller = linkedController(frame.signal);
  const started = frame.cursor.last;
  try {
    const results = await Promise.all(
      (state.Branches ?? []).map((branch) =>
        runner
          .runBranch(branch, input, {
            states: branch.States,
            language: branch.QueryLanguage ?? visit.language,
            variables: frame.variables.child(),
            cursor: { last: started },
            signal: controller.signal,
          })
          .catch((error: unknown) => {
            controller.abort(new ExecutionStopped('ABORTED', undefined, 'a sibling branch failed'));
            throw error;
          }),
      ),
    );
    runner.history.add(frame.cursor, 'ParallelStateSucceeded');
    return results;
  } catch (error) {
    if (frame.signal.aborted) throw error;
    runner.history.add(frame.cursor, 'ParallelStateFailed');
    throw error;
  }
}

/** Inline Map: one iteration per item, at most MaxConcurrency at once; results in item order. */
export async function runMapState(runner: ExecutionRunner, visit: StateVisit, effectiveInput: unknown): Promise<unknown[]> {
  const { state, frame } = visit;
  const processor = (state.ItemProcessor ?? state.Iterator)!;
  if (state.ItemReader !== undefined || state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED') {
    throw new StatesError(
      STATES_ERRORS.ItemReaderFailed,
      `Map state ${visit.name} is a Distributed Map (ItemReader or ProcessorConfig.Mode DISTRIBUTED), which the local runtime does not run: use an inline Map.`,
    );
  }
  let items: unknown;
  if (visit.language === 'JSONata') items = state.Items === undefined ? visit.rawInput : await runner.jsonata(state.Items, visit, 'Items');
  else
    items =
      state.ItemsPath === undefined
        ? effectiveInput
        : applyFilterPath(state.ItemsPath, effectiveInput, runner.pathScope(visit), 'ItemsPath');
  if (!Array.isArray(items)) {
    const field = visit.language === 'JSONata' ? 'Items' : 'ItemsPath';
    throw new StateRuntimeError(
      visit.language === 'JSONata' ? STATES_ERRORS.QueryEvaluationError : STATES_ERRORS.Runtime,
      `The ${field} field must resolve to a JSON array, got ${JSON.stringify(items)}.`,
      field,
    );
  }
  const maxConcurrency = (await runner.numberField(visit, effectiveInput, 'MaxConcurrency')) ?? 0;
  const toleratedCount = await runner.numberField(visit, effectiveInput, 'ToleratedFailureCount');
  const toleratedPercentage = await runner.numberField(visit, effectiveInput, 'ToleratedFailurePercentage');
  const tolerant = toleratedCount !== undefined || toleratedPercentage !== undefined;
  runner.history.add(frame.cursor, 'MapStateStarted', { length: items.length });
  const started = frame.cursor.last;
  const controller = linkedController(frame.signal);
  const results: unknown[] = new Array(items.length);
  let failures = 0;
  let firstFailure: unknown;
  let nextIndex = 0;
  const selector = state.ItemSelector ?? (visit.language === 'JSONPath' ? state.Parameters : undefined);

  const runOne = async (index: number): Promise<void> => {
    const item = items[index];
    const iterationFrame: Frame = {
      states: processor.States,
      language: processor.QueryLanguage ?? visit.language,
      variables: frame.variables.child(),
      cursor: { last: started },
      signal: controller.signal,
      mapItem: { Index: index, Value: item },
    };
    const itemVisit: StateVisit = { ...visit, frame: iterationFrame };
    let iterationInput: unknown = item;
    if (selector !== undefined) {
      iterationInput =
        visit.language === 'JSONata'
          ? await runner.jsonata(selector, itemVisit, 'ItemSelector')
          : applyPayloadTemplate(selector, effectiveInput, runner.pathScope(itemVisit));
    }
    runner.history.add(iterationFrame.cursor, 'MapIterationStarted', { name: visit.name, index });
    try {
      results[index] = await runner.runBranch(processor, iterationInput, iterationFrame);
      runner.history.add(iterationFrame.cursor, 'MapIterationSucceeded', { name: visit.name, index });
    } catch (error) {
      if (isAbort(error)) throw error;
      runner.history.add(iterationFrame.cursor, 'MapIterationFailed', { name: visit.name, index });
      failures += 1;
      const exceeded =
        !tolerant ||
        (toleratedCount !== undefined && failures > toleratedCount) ||
        (toleratedPercentage !== undefined && (failures / Math.max(1, items.length)) * 100 > toleratedPercentage);
      if (!exceeded) {
        results[index] = error instanceof StatesError ? error.output : { Error: STATES_ERRORS.Runtime, Cause: String(error) };
        return;
      }
      firstFailure ??= tolerant
        ? new StatesError(STATES_ERRORS.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded')
        : error;
      controller.abort(new ExecutionStopped('ABORTED', undefined, 'an iteration failed'));
      throw firstFailure;
    }
  };
  const worker = async (): Promise<void> => {
    while (nextIndex < items.length && !controller.signal.aborted) {
      const index = nextIndex;
      nextIndex += 1;
      await runOne(index);
    }
  };
  const workers = Math.max(1, maxConcurrency === 0 ? items.length : Math.min(maxConcurrency, items.length));
  try {
    await Promise.all(Array.from({ length: workers }, () => worker()));
    if (firstFailure) throw firstFailure;
    runner.history.add(frame.cursor, 'MapStateSucceeded');
    return results;
  } catch (error) {
    if (frame.signal.aborted) throw error;
    runner.history.add(frame.cursor, 'MapStateFailed');
    throw firstFailure ?? error;
  }
}
