/**
 * DynamoDB filter and condition expressions from AppSync's filter objects
 * (`{ title: { contains: 'Hello' }, and: [...], or: [...], not: {...} }`), for
 * `util.transform.toDynamoDBFilterExpression` / `toDynamoDBConditionExpression` and the
 * `condition`/`filter` options of `@aws-appsync/utils/dynamodb`.
 *
 * AWS's pages show a single example, `contains(#title, :title_contains)`, an illustration that is
 * not even valid JSON. The exact text here (parentheses around every comparison, no space after a
 * function's comma, `:and_0_` style value names, `null` for a filter it cannot render) follows
 * outputs recorded from AppSync's EvaluateCode API by localstack/appsync-utils
 * (`__tests__/transform.test.js`), so an expression built locally is byte-identical to AWS's.
 */
import { isPlainObject, toDynamoDB, type AttributeValue } from './dynamodb.ts';

/** A rendered expression with its placeholders, the shape AppSync's requests take. */
export interface DynamoDBExpression {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, AttributeValue>;
}

/** Thrown inside the renderer for a filter AppSync refuses; the public functions answer `null`. */
class UnrenderableFilter extends Error {}

const COMPARISON_SYMBOLS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** The friendly type names of `attributeType` and DynamoDB's codes for them. */
const ATTRIBUTE_TYPE_CODES: Record<string, string> = {
  _null: 'NULL',
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
};

const SIZE_OPERATOR = 'size';

class ExpressionRenderer {
  readonly expressionNames: Record<string, string> = {};
  readonly expressionValues: Record<string, AttributeValue> = {};

  /** Top-level members are joined by AND without parentheses; groups wrap themselves when they join several. */
  renderObject(filter: Record<string, unknown>, valuePrefix: string): string {
    const parts: string[] = [];
    for (const [key, operand] of Object.entries(filter)) {
      if (key === 'and' || key === 'or') parts.push(this.renderGroup(key, operand, valuePrefix));
      else if (key === 'not') parts.push(this.renderNot(operand, valuePrefix));
      else parts.push(this.renderField(key, operand, valuePrefix));
    }
    return parts.join(' AND ');
  }

  private renderGroup(joiner: 'and' | 'or', members: unknown, valuePrefix: string): string {
    if (!Array.isArray(members)) throw new UnrenderableFilter(`${joiner} needs a list`);
    const rendered = members.map((member, index) => {
      if (!isPlainObject(member)) throw new UnrenderableFilter(`${joiner} member ${index} is not an object`);
      return this.renderObject(member, `${valuePrefix}${joiner}_${index}_`);
    });
    const joined = rendered.join(` ${joiner.toUpperCase()} `);
    return rendered.length > 1 ? `(${joined})` : joined;
  }

  private renderNot(negated: unknown, valuePrefix: string): string {
    if (!isPlainObject(negated)) throw new UnrenderableFilter('not needs an object');
    return `(NOT ${this.renderObject(negated, `${valuePrefix}not_`)})`;
  }

  private renderField(fieldName: string, operators: unknown, valuePrefix: string): string {
    if (!isPlainObject(operators)) throw new UnrenderableFilter(`${fieldName} needs operators`);
    // The name is used verbatim, dots included, as AppSync does.
    const namePlaceholder = `#${fieldName}`;
    this.expressionNames[namePlaceholder] = fieldName;
    return wrapConjunction(this.renderOperators(namePlaceholder, `${valuePrefix}${fieldName}`, operators));
  }

  private renderOperators(operand: string, valueName: string, operators: Record<string, unknown>): string[] {
    const parts: string[] = [];
    for (const [operator, value] of Object.entries(operators)) {
      parts.push(this.renderOperator(operand, valueName, operator, value));
    }
    return parts;
  }

  private renderOperator(operand: string, valueName: string, operator: string, value: unknown): string {
    const placeholder = `:${valueName}_${operator}`;
    const symbol = COMPARISON_SYMBOLS[operator];
    if (symbol !== undefined) return `(${operand} ${symbol} ${this.bind(placeholder, value)})`;
    switch (operator) {
      case 'contains':
        return `(contains(${operand},${this.bind(placeholder, value)}))`;
      case 'notContains':
        return `(NOT contains(${operand},${this.bind(placeholder, value)}))`;
      case 'beginsWith':
        return `(begins_with(${operand},${this.bind(placeholder, value)}))`;
      case 'between': {
        // Bounds past the second are ignored, as AppSync does.
        if (!Array.isArray(value) || value.length < 2) throw new UnrenderableFilter('between needs two bounds');
        const start = this.bind(`${placeholder}_start`, value[0]);
        const end = this.bind(`${placeholder}_end`, value[1]);
        return `(${operand} BETWEEN ${start} AND ${end})`;
      }
      case 'in': {
        if (!Array.isArray(value)) throw new UnrenderableFilter('in needs a list');
        // AppSync renders an empty list as "(null)", an expression DynamoDB then refuses.
        if (value.length === 0) return '(null)';
        const placeholders = value.map((member, index) => this.bind(`${placeholder}_${index}`, member));
        return `(${operand} IN (${placeholders.join(', ')}))`;
      }
      case 'attributeExists':
        if (typeof value !== 'boolean') throw new UnrenderableFilter('attributeExists needs a boolean');
        return value ? `(attribute_exists(${operand}))` : `(attribute_not_exists(${operand}))`;
      case 'attributeType': {
        const typeCode = typeof value === 'string' ? ATTRIBUTE_TYPE_CODES[value] : undefined;
        if (typeCode === undefined) throw new UnrenderableFilter(`unknown attributeType ${String(value)}`);
        return `(attribute_type(${operand},${this.bind(placeholder, typeCode)}))`;
      }
      case SIZE_OPERATOR: {
        if (!isPlainObject(value)) throw new UnrenderableFilter('size needs operators');
        // size inside size names the value again but does not nest the call.
        const sizeOperand = operand.startsWith('size(') ? operand : `size(${operand})`;
        return wrapConjunction(this.renderOperators(sizeOperand, `${valueName}_size`, value));
      }
      default:
        throw new UnrenderableFilter(`unknown operator ${operator}`);
    }
  }

  private bind(placeholder: string, value: unknown): string {
    this.expressionValues[placeholder] = toDynamoDB(value);
    return placeholder;
  }
}

/** Several conditions on one field: each in parentheses, joined by AND, the whole wrapped. */
function wrapConjunction(parts: string[]): string {
  if (parts.length > 1) return `(${parts.join(' AND ')})`;
  return parts[0] ?? '';
}

/**
 * The values APPSYNC_JS code hands to a utility reach AppSync as JSON: `undefined` members vanish.
 * Doing the same here keeps `{ eq: undefined }` meaning what it means on AWS.
 */
function asJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/**
 * Render a filter object to `{ expression, expressionNames, expressionValues }`, or `null` when
 * AppSync would refuse it (not an object, unknown operator, malformed `between`/`in`/`and`...).
 *
 * @example
 * buildDynamoDBExpression({ title: { contains: 'Hello World' } });
 * // { expression: '(contains(#title,:title_contains))', expressionNames: { '#title': 'title' },
 * //   expressionValues: { ':title_contains': { S: 'Hello World' } } }
 */
export function buildDynamoDBExpression(filter: unknown): DynamoDBExpression | null {
  const filterAsJson = asJson(filter);
  if (!isPlainObject(filterAsJson)) return null;
  const renderer = new ExpressionRenderer();
  try {
    const expression = renderer.renderObject(filterAsJson, '');
    return { expression, expressionNames: renderer.expressionNames, expressionValues: renderer.expressionValues };
  } catch (error) {
    if (error instanceof UnrenderableFilter) return null;
    throw error;
  }
}
