/**
 * Benchmark: the local Step Functions interpreter. One order-shaped workflow (select fields, decide with
 * a Choice, price 10 lines in an inline Map, sum them, build the answer) written twice, in JSONPath
 * (Parameters, intrinsics, ResultPath) and in JSONata (Arguments/Output, variables); each execution
 * runs to its end through `LocalStepFunctions` (history recorded as for any execution) and is timed
 * against the same transformation written as a plain JavaScript function (the floor).
 *
 *   npm run bench -- stepFunctions     # prints the table, writes bench/results/stepFunctions.json
 *
 * Each round runs a batch of executions per side, sides rotated round by round; ratios are per round.
 */
import { LocalStepFunctions } from '../local/index.ts';
import { fixed, ratioText, ratiosOf, sideBySide, summarize, type BenchResult } from './measure.ts';

const ROUNDS = 9;
const BATCH = 60;

const INPUT = {
  order: {
    id: 'o-1',
    customer: { id: 'c-9', tier: 'gold' },
    lines: Array.from({ length: 10 }, (_, i) => ({ sku: `sku-${i}`, quantity: 1 + (i % 3), price: 10 + i })),
  },
};

const JSONPATH = {
  StartAt: 'Select',
  States: {
    Select: {
      Type: 'Pass',
      Parameters: { 'id.$': '$.order.id', 'tier.$': '$.order.customer.tier', 'lines.$': '$.order.lines' },
      Next: 'Tier',
    },
    Tier: { Type: 'Choice', Choices: [{ Variable: '$.tier', StringEquals: 'gold', Next: 'Gold' }], Default: 'Standard' },
    Gold: { Type: 'Pass', Result: 10, ResultPath: '$.discount', Next: 'Price' },
    Standard: { Type: 'Pass', Result: 0, ResultPath: '$.discount', Next: 'Price' },
    Price: {
      Type: 'Map',
      ItemsPath: '$.lines',
      ItemSelector: { 'line.$': '$$.Map.Item.Value' },
      ItemProcessor: {
        StartAt: 'Line',
        States: {
          Line: {
            Type: 'Pass',
            Parameters: { 'sku.$': '$.line.sku', 'total.$': 'States.MathAdd($.line.price, $.line.quantity)' },
            End: true,
          },
        },
      },
      ResultPath: '$.priced',
      Next: 'Answer',
    },
    Answer: {
      Type: 'Pass',
      Parameters: { 'id.$': '$.id', 'discount.$': '$.discount', 'skus.$': '$.priced[*].sku', 'count.$': 'States.ArrayLength($.priced)' },
      End: true,
    },
  },
};

const JSONATA = {
  QueryLanguage: 'JSONata',
  StartAt: 'Select',
  States: {
    Select: {
      Type: 'Pass',
      Output: '{% {"id": $states.input.order.id, "tier": $states.input.order.customer.tier, "lines": $states.input.order.lines} %}',
      Next: 'Tier',
    },
    Tier: {
      Type: 'Choice',
      Choices: [{ Condition: "{% $states.input.tier = 'gold' %}", Assign: { discount: 10 }, Next: 'Price' }],
      Default: 'Standard',
    },
    Standard: { Type: 'Pass', Assign: { discount: 0 }, Next: 'Price' },
    Price: {
      Type: 'Map',
      Items: '{% $states.input.lines %}',
      ItemProcessor: {
        StartAt: 'Line',
        States: {
          Line: {
            Type: 'Pass',
            Output: '{% {"sku": $states.input.sku, "total": $states.input.price + $states.input.quantity} %}',
            End: true,
          },
        },
      },
      Output: '{% {"id": $states.input.id, "priced": $states.result} %}',
      Next: 'Answer',
    },
    Answer: {
      Type: 'Pass',
      Output:
        '{% {"id": $states.input.id, "discount": $discount, "skus": $states.input.priced.sku, "count": $count($states.input.priced)} %}',
      End: true,
    },
  },
};

/** The same transformation in plain JavaScript: the floor an interpreter is measured against. */
function direct(input: typeof INPUT): unknown {
  const { order } = input;
  const discount = order.customer.tier === 'gold' ? 10 : 0;
  const priced = order.lines.map((line) => ({ sku: line.sku, total: line.price + line.quantity }));
  return { id: order.id, discount, skus: priced.map((line) => line.sku), count: priced.length };
}

export async function run(): Promise<BenchResult> {
  const sfn = new LocalStepFunctions();
  const jsonPathArn = sfn.createStateMachine({ name: 'bench-jsonpath', definition: JSONPATH }).stateMachineArn;
  const jsonataArn = sfn.createStateMachine({ name: 'bench-jsonata', definition: JSONATA }).stateMachineArn;
  const input = JSON.stringify(INPUT);
  const expected = JSON.stringify(direct(INPUT));
  let counter = 0;
  const execute = async (stateMachineArn: string) => {
    const { executionArn } = sfn.startExecution({ stateMachineArn, name: `e-${(counter += 1)}`, input });
    const outcome = await sfn.waitFor(executionArn);
    if (JSON.stringify(outcome.output) !== expected)
      throw new Error(`${stateMachineArn} answered ${JSON.stringify(outcome)}, not ${expected}`);
  };
  const batch = async (fn: () => Promise<unknown> | unknown) => {
    const start = performance.now();
    for (let i = 0; i < BATCH; i += 1) await fn();
    return ((performance.now() - start) * 1000) / BATCH;
  };
  await batch(() => execute(jsonPathArn));
  await batch(() => execute(jsonataArn));
  const perRound = await sideBySide(ROUNDS, {
    jsonPath: () => batch(() => execute(jsonPathArn)),
    jsonata: () => batch(() => execute(jsonataArn)),
    direct: () => batch(() => direct(JSON.parse(input) as typeof INPUT)),
  });
  const events = sfn.historyOf(`arn:aws:states:us-east-1:123456789012:execution:bench-jsonpath:e-1`).length;
  await sfn.close();
  const jsonPath = summarize(perRound.jsonPath);
  const jsonata = summarize(perRound.jsonata);
  const floor = summarize(perRound.direct);
  const ms = (s: ReturnType<typeof summarize>) => `${fixed(s.median / 1000)} (${fixed(s.min / 1000)}–${fixed(s.max / 1000)})`;
  return {
    name: 'stepFunctions',
    title: 'Step Functions interpreter: one 6-state workflow with a 10-item Map, per execution',
    tables: [
      {
        title: `Per execution (${BATCH} per batch), median (min–max) over ${ROUNDS} rounds; ratios per round`,
        rows: [
          {
            side: 'JSONPath machine',
            'ms per execution': ms(jsonPath),
            'executions per second': fixed(1e6 / jsonPath.median, 0),
            'ratio to JSONPath': '1×',
          },
          {
            side: 'JSONata machine',
            'ms per execution': ms(jsonata),
            'executions per second': fixed(1e6 / jsonata.median, 0),
            'ratio to JSONPath': ratioText(summarize(ratiosOf(perRound.jsonata, perRound.jsonPath))),
          },
          {
            side: 'plain JavaScript (floor)',
            'ms per execution': ms(floor),
            'executions per second': fixed(1e6 / floor.median, 0),
            'ratio to JSONPath': ratioText(summarize(ratiosOf(perRound.direct, perRound.jsonPath))),
          },
        ],
      },
    ],
    targets: [],
    notes: [
      `Each execution records its full history (${events} events for the JSONPath machine, ExecutionStarted … ExecutionSucceeded) and runs its 10 Map iterations concurrently.`,
    ],
    data: { rounds: ROUNDS, batch: BATCH, jsonPathUs: jsonPath, jsonataUs: jsonata, directUs: floor },
  };
}
