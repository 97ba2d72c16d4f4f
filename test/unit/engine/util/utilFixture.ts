import { newEvaluationState, type EvaluationState } from '../../../../local/engine/runtime/evaluation.ts';
import { createUtil, type CreateUtilOptions, type Util } from '../../../../local/engine/runtime/util/index.ts';

/** A fresh evaluation and the `util` that reads it, as the engine wires them. */
export function makeUtil(options: CreateUtilOptions = {}, state: Partial<EvaluationState> = {}) {
  const evaluation: EvaluationState = { ...newEvaluationState(), ...state };
  const util: Util = createUtil(() => evaluation, options);
  return { util, state: evaluation };
}

/** What `run` threw; fails the test when it did not throw. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (thrown) {
    return thrown;
  }
  throw new Error('expected a throw');
}
