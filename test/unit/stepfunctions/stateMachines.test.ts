/**
 * The interpreter against AWS's documented examples, table-driven over both query languages: each case
 * gives the same workflow in JSONPath and in JSONata (where the example exists in both) and the output
 * or error AWS documents for it. Sources are named per case (Step Functions developer guide pages).
 */
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, ManualClock, type QueryLanguage } from '../../../local/stepfunctions/index.ts';

interface Case {
  name: string;
  /** The developer-guide page (or public recording) the case and its expected result come from. */
  source: string;
  definitions: Partial<Record<QueryLanguage, object>>;
  input: unknown;
  expected: { output: unknown } | { error: string; cause?: string | RegExp };
  variables?: Record<string, unknown>;
}

function machine(states: object, startAt = Object.keys(states)[0]!, language?: QueryLanguage): object {
  return { ...(language ? { QueryLanguage: language } : {}), StartAt: startAt, States: states };
}

const jsonata = (states: object, startAt?: string) => machine(states, startAt, 'JSONata');

const CASES: Case[] = [
  {
    name: 'ResultPath places the result into the input',
    source: 'input-output-resultpath.html, "Use ResultPath to include the result with the input"',
    definitions: {
      JSONPath: machine({ A: { Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: '$.taskresult', End: true } }),
      JSONata: jsonata({
        A: { Type: 'Pass', Output: '{% $merge([$states.input, {"taskresult": "Hello, AWS Step Functions!"}]) %}', End: true },
      }),
    },
    input: { comment: 'This is a test of the input and output of a Task state.', details: 'Default example', who: 'AWS Step Functions' },
    expected: {
      output: {
        comment: 'This is a test of the input and output of a Task state.',
        details: 'Default example',
        who: 'AWS Step Functions',
        taskresult: 'Hello, AWS Step Functions!',
      },
    },
  },
  {
    name: 'ResultPath null discards the result and keeps the input',
    source: 'input-output-resultpath.html, "Use ResultPath to discard the result and keep the original input"',
    definitions: { JSONPath: machine({ A: { Type: 'Pass', Result: 'ignored', ResultPath: null, End: true } }) },
    input: { comment: 'keep me' },
    expected: { output: { comment: 'keep me' } },
  },
  {
    name: 'Parameters select and rename fields with .$ paths and keep static values',
    source: 'input-output-inputpath-params.html, "Parameters"',
    definitions: {
      JSONPath: machine({
        A: {
          Type: 'Pass',
          Parameters: {
            comment: 'Selecting what I care about.',
            MyDetails: { 'size.$': '$.product.details.size', 'exists.$': '$.product.availability', StaticValue: 'foo' },
          },
          End: true,
        },
      }),
      JSONata: jsonata({
        A: {
          Type: 'Pass',
          Output: {
            comment: 'Selecting what I care about.',
            MyDetails: {
              size: '{% $states.input.product.details.size %}',
              exists: '{% $states.input.product.availability %}',
              StaticValue: 'foo',
            },
          },
          End: true,
        },
      }),
    },
    input: {
      comment: 'Example for Parameters.',
      product: { details: { color: 'blue', size: 'small', material: 'cotton' }, availability: 'in stock', sku: '2317', cost: '$23' },
    },
    expected: { output: { comment: 'Selecting what I care about.', MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' } } },
  },
  {
    name: 'InputPath selects part of the input and OutputPath part of the output',
    source: 'input-output-inputpath-params.html "InputPath" and input-output-outputpath.html',
    definitions: {
      JSONPath: machine({ A: { Type: 'Pass', InputPath: '$.dataset2', ResultPath: '$.copy', OutputPath: '$.copy.a', End: true } }),
    },
    input: { comment: 'Example for InputPath.', dataset1: { val1: 1, val2: 2, val3: 3 }, dataset2: { a: 'a', b: 'b', c: 'c' } },
    expected: { output: 'a' },
  },
  {
    name: 'a path filter gives the matching items (Jayway JsonPath)',
    source: 'amazon-states-language-paths.html, reference paths and JsonPath filters',
    definitions: { JSONPath: machine({ A: { Type: 'Pass', Parameters: { 'big.$': '$.items[?(@.n > 1)].n' }, End: true } }) },
    input: { items: [{ n: 1 }, { n: 2 }, { n: 3 }] },
    expected: { output: { big: [2, 3] } },
  },
  {
    name: 'the JSONata documentation example: Arguments with $states.input and a variable, and a literal that is no expression',
    source: 'transforming-data.html, "Converting from JSONPath to JSONata"',
    definitions: {
      JSONPath: machine({
        Init: { Type: 'Pass', Assign: { customerName: 'María' }, Next: 'A' },
        A: {
          Type: 'Pass',
          Parameters: { static: 'Hello', 'title.$': '$.title', 'name.$': '$customerName', 'not-evaluated': '$customerName' },
          End: true,
        },
      }),
      JSONata: jsonata({
        Init: { Type: 'Pass', Assign: { customerName: 'María' }, Next: 'A' },
        A: {
          Type: 'Pass',
          Output: { static: 'Hello', title: '{% $states.input.title %}', name: '{% $customerName %}', 'not-evaluated': '$customerName' },
          End: true,
        },
      }),
    },
    input: { title: 'Doctor' },
    expected: { output: { static: 'Hello', title: 'Doctor', name: 'María', 'not-evaluated': '$customerName' } },
  },
  {
    name: 'Assign sees the variables as they were before the state; the next state sees the new ones',
    source: 'workflow-variables.html, "Evaluation of Assign and Output"',
    definitions: {
      JSONPath: machine({
        A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { x: 2, 'old.$': '$x' }, Next: 'C' },
        C: { Type: 'Pass', Parameters: { 'x.$': '$x', 'old.$': '$old' }, End: true },
      }),
      JSONata: jsonata({
        A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { x: 2, old: '{% $x %}' }, Output: '{% {"during": $x} %}', Next: 'C' },
        C: { Type: 'Pass', Output: '{% {"x": $x, "old": $old} %}', End: true },
      }),
    },
    input: {},
    expected: { output: { x: 2, old: 1 } },
  },
  {
    name: 'States.Format builds a string from literals and paths',
    source: 'intrinsic-functions.html, States.Format',
    definitions: {
      JSONPath: machine({
        A: {
          Type: 'Pass',
          Parameters: { 'greeting.$': "States.Format('Hello, my name is {}.', $.name)", 'again.$': 'States.Format($.template, $.name)' },
          End: true,
        },
      }),
      JSONata: jsonata({
        A: {
          Type: 'Pass',
          Output: {
            greeting: "{% 'Hello, my name is ' & $states.input.name & '.' %}",
            again: "{% $replace($states.input.template, '{}', $states.input.name) %}",
          },
          End: true,
        },
      }),
    },
    input: { name: 'Arnav', template: 'Hello, my name is {}.' },
    expected: { output: { greeting: 'Hello, my name is Arnav.', again: 'Hello, my name is Arnav.' } },
  },
  {
    name: 'States.StringToJson and States.JsonToString (JSONata: $parse and $string)',
    source: 'intrinsic-functions.html, States.StringToJson / States.JsonToString',
    definitions: {
      JSONPath: machine({
        A: {
          Type: 'Pass',
          Parameters: { 'parsed.$': 'States.StringToJson($.escapedJsonString)', 'text.$': 'States.JsonToString($.unescapedJson)' },
          End: true,
        },
      }),
      JSONata: jsonata({
        A: {
          Type: 'Pass',
          Output: { parsed: '{% $parse($states.input.escapedJsonString) %}', text: '{% $string($states.input.unescapedJson) %}' },
          End: true,
        },
      }),
    },
    input: { escapedJsonString: '{"foo": "bar"}', unescapedJson: { foo: 'bar' } },
    expected: { output: { parsed: { foo: 'bar' }, text: '{"foo":"bar"}' } },
  },
  {
    name: 'array intrinsics: Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique',
    source: 'intrinsic-functions.html, "Intrinsics for arrays" (and the JSONata functions $partition, $range)',
    definitions: {
      JSONPath: machine({
        A: {
          Type: 'Pass',
          Parameters: {
            'BuildId.$': 'States.Array($.Id)',
            'partitioned.$': 'States.ArrayPartition($.inputArray, 4)',
            'contains.$': 'States.ArrayContains($.inputArray, $.lookingFor)',
            'range.$': 'States.ArrayRange(1, 9, 2)',
            'item.$': 'States.ArrayGetItem($.inputArray, $.index)',
            'length.$': 'States.ArrayLength($.inputArray)',
            'unique.$': 'States.ArrayUnique($.withDuplicates)',
          },
          End: true,
        },
      }),
      JSONata: jsonata({
        A: {
          Type: 'Pass',
          Output: {
            BuildId: '{% [$states.input.Id] %}',
            partitioned: '{% $partition($states.input.inputArray, 4) %}',
            contains: '{% $states.input.lookingFor in $states.input.inputArray %}',
            range: '{% $range(1, 9, 2) %}',
            item: '{% $states.input.inputArray[$states.input.index] %}',
            length: '{% $count($states.input.inputArray) %}',
            unique: '{% $distinct($states.input.withDuplicates) %}',
          },
          End: true,
        },
      }),
    },
    input: { Id: 123456, inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5, index: 5, withDuplicates: [1, 2, 3, 3, 3, 3, 3, 3, 4] },
    expected: {
      output: {
        BuildId: [123456],
        partitioned: [[1, 2, 3, 4], [5, 6, 7, 8], [9]],
        contains: true,
        range: [1, 3, 5, 7, 9],
        item: 6,
        length: 9,
        unique: [1, 2, 3, 4],
      },
    },
  },
  {
    name: 'encoding, hash, JSON merge, math and string intrinsics',
    source:
      'intrinsic-functions.html, Base64Encode/Decode, Hash, JsonMerge, MathAdd, StringSplit (JSONata: $base64encode, $hash, $merge, $split)',
    definitions: {
      JSONPath: machine({
        A: {
          Type: 'Pass',
          Parameters: {
            'base64.$': 'States.Base64Encode($.input)',
            'decoded.$': 'States.Base64Decode($.base64)',
            'hash.$': 'States.Hash($.Data, $.Algorithm)',
            'merged.$': 'States.JsonMerge($.json1, $.json2, false)',
            'sum.$': 'States.MathAdd($.value1, $.step)',
            'split.$': 'States.StringSplit($.inputString, $.splitter)',
          },
          End: true,
        },
      }),
      JSONata: jsonata({
        A: {
          Type: 'Pass',
          Output: {
            base64: '{% $base64encode($states.input.input) %}',
            decoded: '{% $base64decode($states.input.base64) %}',
            hash: '{% $hash($states.input.Data, $states.input.Algorithm) %}',
            merged: '{% $merge([$states.input.json1, $states.input.json2]) %}',
            sum: '{% $states.input.value1 + $states.input.step %}',
            split: '{% $split($states.input.inputString, $states.input.splitter) %}',
          },
          End: true,
        },
      }),
    },
    input: {
      input: 'Data to encode',
      base64: 'RGF0YSB0byBlbmNvZGU=',
      Data: 'input data',
      Algorithm: 'SHA-1',
      json1: { a: { a1: 1, a2: 2 }, b: 2 },
      json2: { a: { a3: 1, a4: 2 }, c: 3 },
      value1: 111,
      step: -1,
      inputString: '1,2,3,4,5',
      splitter: ',',
    },
    expected: {
      output: {
        base64: 'RGF0YSB0byBlbmNvZGU=',
        decoded: 'Data to encode',
        hash: 'aaff4a450a104cd177d28d18d74485e8cae074b7',
        merged: { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
        sum: 110,
        split: ['1', '2', '3', '4', '5'],
      },
    },
  },
  {
    name: 'States.StringSplit splits on each delimiter character',
    source: 'intrinsic-functions.html, States.StringSplit second example',
    definitions: {
      JSONPath: machine({ A: { Type: 'Pass', Parameters: { 'split.$': 'States.StringSplit($.inputString, $.splitter)' }, End: true } }),
    },
    input: { inputString: 'This.is+a,test=string', splitter: '.+,=' },
    expected: { output: { split: ['This', 'is', 'a', 'test', 'string'] } },
  },
  {
    name: 'an intrinsic used wrongly is States.IntrinsicFailure',
    source: 'concepts-error-handling.html, States.IntrinsicFailure',
    definitions: { JSONPath: machine({ A: { Type: 'Pass', Parameters: { 'x.$': 'States.ArrayGetItem($.items, 7)' }, End: true } }) },
    input: { items: [1] },
    expected: {
      error: 'States.IntrinsicFailure',
      cause: /^An error occurred while executing the state 'A' \(entered at the event id #2\)\. Invalid arguments in States\.ArrayGetItem/,
    },
  },
  {
    name: 'a .$ path that reaches nothing is States.Runtime, worded as AWS records it',
    source:
      "public execution history (StartJobRun): \"The JSONPath '$.JobName' specified for the field 'JobName.$' could not be found in the input '{}'\"",
    definitions: { JSONPath: machine({ 'Glue StartJobRun': { Type: 'Pass', Parameters: { 'JobName.$': '$.JobName' }, End: true } }) },
    input: {},
    expected: {
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'Glue StartJobRun' (entered at the event id #2). The JSONPath '$.JobName' specified for the field 'JobName.$' could not be found in the input '{}'",
    },
  },
  {
    name: 'a JSONata expression that returns nothing is States.QueryEvaluationError',
    source: 'transforming-data.html, "Error handling" (States.QueryEvaluationError)',
    definitions: { JSONata: jsonata({ Transform: { Type: 'Pass', Output: '{% $states.input.missing %}', End: true } }) },
    input: {},
    expected: {
      error: 'States.QueryEvaluationError',
      cause:
        "An error occurred while executing the state 'Transform' (entered at the event id #2). The JSONata expression '$states.input.missing' specified for the field 'Output' returned nothing (undefined).",
    },
  },
  {
    name: '$eval is not available in Step Functions’ JSONata ($parse is)',
    source: 'transforming-data.html, "Supported JSONata version" ($eval is not available)',
    definitions: { JSONata: jsonata({ E: { Type: 'Pass', Output: '{% $eval("1 + 1") %}', End: true } }) },
    input: {},
    expected: { error: 'States.QueryEvaluationError', cause: /\$eval is not available in Step Functions: use \$parse/ },
  },
  {
    name: 'Choice picks the first matching rule; And, Not and numeric comparisons',
    source: 'state-choice.html, "Choice state example"',
    definitions: {
      JSONPath: machine({
        Choose: {
          Type: 'Choice',
          Choices: [
            { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
            {
              And: [
                { Variable: '$.value', NumericGreaterThanEquals: 20 },
                { Variable: '$.value', NumericLessThan: 30 },
              ],
              Next: 'ValueInTwenties',
            },
          ],
          Default: 'DefaultState',
        },
        Public: { Type: 'Pass', Result: 'public', End: true },
        ValueInTwenties: { Type: 'Pass', Result: 'twenties', End: true },
        DefaultState: { Type: 'Pass', Result: 'default', End: true },
      }),
      JSONata: jsonata({
        Choose: {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.type != 'Private' %}", Next: 'Public' },
            { Condition: '{% $states.input.value >= 20 and $states.input.value < 30 %}', Next: 'ValueInTwenties' },
          ],
          Default: 'DefaultState',
        },
        Public: { Type: 'Pass', Output: 'public', End: true },
        ValueInTwenties: { Type: 'Pass', Output: 'twenties', End: true },
        DefaultState: { Type: 'Pass', Output: 'default', End: true },
      }),
    },
    input: { type: 'Private', value: 22 },
    expected: { output: 'twenties' },
  },
  {
    name: 'Choice with no match and no Default is States.NoChoiceMatched',
    source: 'state-choice.html, "States.NoChoiceMatched"',
    definitions: {
      JSONPath: machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.x', StringEquals: 'yes', Next: 'Y' }] }, Y: { Type: 'Succeed' } }),
      JSONata: jsonata({
        C: { Type: 'Choice', Choices: [{ Condition: "{% $states.input.x = 'yes' %}", Next: 'Y' }] },
        Y: { Type: 'Succeed' },
      }),
    },
    input: { x: 'no' },
    expected: { error: 'States.NoChoiceMatched' },
  },
  {
    name: 'Choice IsPresent, StringMatches and TimestampLessThanPath',
    source: 'state-choice.html, "Choice Rules" operators',
    definitions: {
      JSONPath: machine({
        C: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.missing', IsPresent: false },
                { Variable: '$.file', StringMatches: 'log-*.txt' },
                { Variable: '$.start', TimestampLessThanPath: '$.end' },
              ],
              Next: 'Y',
            },
          ],
          Default: 'N',
        },
        Y: { Type: 'Pass', Result: 'matched', End: true },
        N: { Type: 'Pass', Result: 'not matched', End: true },
      }),
    },
    input: { file: 'log-2026.txt', start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' },
    expected: { output: 'matched' },
  },
  {
    name: 'inline Map runs the processor per item with ItemsPath and ItemSelector and the Map context',
    source: 'state-map-inline.html, "Inline Map state example" (ItemSelector with $$.Map.Item.Value)',
    definitions: {
      JSONPath: machine({
        M: {
          Type: 'Map',
          ItemsPath: '$.detail.shipped',
          ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'courier.$': '$.detail.delivery-partner' },
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Validate',
            States: {
              Validate: {
                Type: 'Pass',
                Parameters: { 'prod.$': '$.parcel.prod', 'index.$': '$.index', 'courier.$': '$.courier' },
                End: true,
              },
            },
          },
          ResultPath: '$.detail.shipped',
          End: true,
        },
      }),
      JSONata: jsonata({
        M: {
          Type: 'Map',
          Items: '{% $states.input.detail.shipped %}',
          ItemSelector: {
            parcel: '{% $states.context.Map.Item.Value %}',
            index: '{% $states.context.Map.Item.Index %}',
            courier: '{% $states.input.detail."delivery-partner" %}',
          },
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Validate',
            States: {
              Validate: {
                Type: 'Pass',
                Output: {
                  prod: '{% $states.input.parcel.prod %}',
                  index: '{% $states.input.index %}',
                  courier: '{% $states.input.courier %}',
                },
                End: true,
              },
            },
          },
          Output: '{% {"detail": {"delivery-partner": $states.input.detail."delivery-partner", "shipped": $states.result}} %}',
          End: true,
        },
      }),
    },
    input: {
      detail: {
        'delivery-partner': 'UQS',
        shipped: [
          { prod: 'R31', 'dest-code': 9511 },
          { prod: 'S39', 'dest-code': 9511 },
        ],
      },
    },
    expected: {
      output: {
        detail: {
          'delivery-partner': 'UQS',
          shipped: [
            { prod: 'R31', index: 0, courier: 'UQS' },
            { prod: 'S39', index: 1, courier: 'UQS' },
          ],
        },
      },
    },
  },
  {
    name: 'Map fails with its iteration error unless ToleratedFailureCount allows it',
    source: 'state-map-distributed.html, "Setting failure thresholds" (States.ExceedToleratedFailureThreshold)',
    definitions: {
      JSONPath: machine({
        M: {
          Type: 'Map',
          ToleratedFailureCount: 1,
          ItemProcessor: {
            StartAt: 'C',
            States: {
              C: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 1, Next: 'Bad' }], Default: 'Ok' },
              Bad: { Type: 'Fail', Error: 'TooBig', Cause: 'item > 1' },
              Ok: { Type: 'Succeed' },
            },
          },
          End: true,
        },
      }),
      JSONata: jsonata({
        M: {
          Type: 'Map',
          ToleratedFailureCount: 1,
          ItemProcessor: {
            StartAt: 'C',
            States: {
              C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input > 1 %}', Next: 'Bad' }], Default: 'Ok' },
              Bad: { Type: 'Fail', Error: 'TooBig', Cause: 'item > 1' },
              Ok: { Type: 'Succeed' },
            },
          },
          End: true,
        },
      }),
    },
    input: [1, 2, 3],
    expected: { error: 'States.ExceedToleratedFailureThreshold' },
  },
  {
    name: 'Parallel gives one result per branch, in branch order',
    source: 'state-parallel.html, "Parallel State Example"',
    definitions: {
      JSONPath: machine({
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Add',
              States: { Add: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($[0], $[1])' }, OutputPath: '$.sum', End: true } },
            },
            {
              StartAt: 'Sub',
              States: {
                Sub: { Type: 'Pass', Parameters: { 'difference.$': 'States.MathAdd($[0], -3)' }, OutputPath: '$.difference', End: true },
              },
            },
          ],
          End: true,
        },
      }),
      JSONata: jsonata({
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Add', States: { Add: { Type: 'Pass', Output: '{% $states.input[0] + $states.input[1] %}', End: true } } },
            { StartAt: 'Sub', States: { Sub: { Type: 'Pass', Output: '{% $states.input[0] - 3 %}', End: true } } },
          ],
          End: true,
        },
      }),
    },
    input: [3, 2],
    expected: { output: [5, 0] },
  },
  {
    name: 'a failing branch fails the Parallel state with the branch error, which its Catch handles',
    source: 'state-parallel.html, "Parallel State Error Handling"',
    definitions: {
      JSONPath: machine({
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Ok', States: { Ok: { Type: 'Wait', Seconds: 10, End: true } } },
            { StartAt: 'Bad', States: { Bad: { Type: 'Fail', Error: 'BranchError', Cause: 'branch 2 failed' } } },
          ],
          Catch: [{ ErrorEquals: ['BranchError'], ResultPath: '$.error-info', Next: 'Recovery' }],
          End: true,
        },
        Recovery: { Type: 'Pass', End: true },
      }),
      JSONata: jsonata({
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Ok', States: { Ok: { Type: 'Wait', Seconds: 10, End: true } } },
            { StartAt: 'Bad', States: { Bad: { Type: 'Fail', Error: 'BranchError', Cause: 'branch 2 failed' } } },
          ],
          Catch: [
            {
              ErrorEquals: ['BranchError'],
              Output: '{% $merge([$states.input, {"error-info": $states.errorOutput}]) %}',
              Next: 'Recovery',
            },
          ],
          End: true,
        },
        Recovery: { Type: 'Pass', End: true },
      }),
    },
    input: { order: 1 },
    expected: { output: { order: 1, 'error-info': { Error: 'BranchError', Cause: 'branch 2 failed' } } },
  },
  {
    name: 'Catch with ResultPath keeps the input and adds the error output',
    source: 'concepts-error-handling.html, "Fallback states" (ResultPath "$.error-info")',
    definitions: {
      JSONPath: machine({
        HelloWorld: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution',
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:missing' },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error-info', Next: 'fallback' }],
          End: true,
        },
        fallback: { Type: 'Pass', End: true },
      }),
      JSONata: jsonata({
        HelloWorld: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution',
          Arguments: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:missing' },
          Catch: [
            {
              ErrorEquals: ['States.TaskFailed'],
              Output: '{% $merge([$states.input, {"error-info": $states.errorOutput}]) %}',
              Next: 'fallback',
            },
          ],
          End: true,
        },
        fallback: { Type: 'Pass', End: true },
      }),
    },
    input: { keep: true },
    expected: {
      output: {
        keep: true,
        'error-info': {
          Error: 'StepFunctions.StateMachineDoesNotExistException',
          Cause: "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:missing'",
        },
      },
    },
  },
  {
    name: 'States.ALL does not catch States.Runtime',
    source: 'concepts-error-handling.html, States.ALL ("can\'t catch the States.DataLimitExceeded terminal error or Runtime error types")',
    definitions: {
      JSONPath: machine({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: {},
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Succeed' },
      }),
    },
    input: {},
    expected: { error: 'States.Runtime', cause: /does not run the task resource arn:aws:states:::sqs:sendMessage/ },
  },
  {
    name: 'a Fail state ends the execution with its Error and Cause (JSONata: computed)',
    source: 'state-fail.html',
    definitions: {
      JSONPath: machine({ F: { Type: 'Fail', ErrorPath: '$.code', CausePath: "States.Format('Order {} failed', $.id)" } }),
      JSONata: jsonata({ F: { Type: 'Fail', Error: '{% $states.input.code %}', Cause: "{% 'Order ' & $states.input.id & ' failed' %}" } }),
    },
    input: { code: 'OrderFailed', id: '42' },
    expected: { error: 'OrderFailed', cause: 'Order 42 failed' },
  },
  {
    name: 'ResultSelector shapes the result before ResultPath',
    source: 'input-output-inputpath-params.html, "ResultSelector"',
    definitions: {
      JSONPath: machine({
        Inner: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'R',
              States: { R: { Type: 'Pass', Result: { ClusterId: 'AKIAI44QH8DHBEXAMPLE', Status: { State: 'READY' } }, End: true } },
            },
          ],
          ResultSelector: { 'ClusterId.$': '$[0].ClusterId', 'ResourceType.$': '$[0].Status.State' },
          ResultPath: '$.EMROutput',
          End: true,
        },
      }),
    },
    input: { cluster: 'c' },
    expected: { output: { cluster: 'c', EMROutput: { ClusterId: 'AKIAI44QH8DHBEXAMPLE', ResourceType: 'READY' } } },
  },
  {
    name: 'a ResultPath through a non-object is States.ResultPathMatchFailure',
    source: 'concepts-error-handling.html, States.ResultPathMatchFailure',
    definitions: { JSONPath: machine({ A: { Type: 'Pass', Result: 1, ResultPath: '$.a.b', End: true } }) },
    input: { a: 'text' },
    expected: { error: 'States.ResultPathMatchFailure' },
  },
];

const LANGUAGES: QueryLanguage[] = ['JSONPath', 'JSONata'];

async function run(definition: object, input: unknown) {
  const sfn = new LocalStepFunctions({ clock: new ManualClock({ autoAdvance: true }) });
  const { stateMachineArn } = sfn.createStateMachine({ name: 'under-test', definition });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  await sfn.waitFor(executionArn);
  return {
    sfn,
    executionArn,
    described: sfn.describeExecution({ executionArn }) as { status: string; output?: string; error?: string; cause?: string },
  };
}

describe('state machines from AWS documentation, in both query languages', () => {
  for (const language of LANGUAGES) {
    describe(language, () => {
      for (const testCase of CASES.filter((candidate) => candidate.definitions[language])) {
        it(`${testCase.name} (${testCase.source})`, async () => {
          const { described } = await run(testCase.definitions[language]!, testCase.input);
          if ('output' in testCase.expected) {
            expect({ status: described.status, cause: described.cause }).toEqual({ status: 'SUCCEEDED', cause: undefined });
            expect(JSON.parse(described.output!)).toEqual(testCase.expected.output);
          } else {
            expect(described.status).toBe('FAILED');
            expect(described.error).toBe(testCase.expected.error);
            if (testCase.expected.cause instanceof RegExp) expect(described.cause).toMatch(testCase.expected.cause);
            else if (testCase.expected.cause !== undefined) expect(described.cause).toBe(testCase.expected.cause);
          }
        });
      }
    });
  }
});
