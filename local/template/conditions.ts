/**
 * A template's `Conditions` section, evaluated as CloudFormation does at create time
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html):
 * `Fn::Equals` (two values), `Fn::Not` (one condition), `Fn::And` and `Fn::Or` (2 to 10 conditions),
 * and `{ "Condition": "Name" }` naming another condition. Each condition is evaluated once; a
 * condition that depends on itself is refused.
 *
 * @example
 * const conditions = new TemplateConditions({ IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } }, (value) => resolver.resolve(value));
 * conditions.holds('IsProd', 'Queue.Condition'); // true when the Env parameter is 'prod'
 */
export class TemplateConditions {
  private readonly evaluated = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly definitions: Record<string, unknown>,
    /** Resolves the intrinsics inside a compared value (`Ref` to parameters and pseudo parameters). */
    private readonly resolve: (value: unknown, path: string) => unknown,
  ) {}

  /** Whether the named condition is true; `path` names where it is used, for errors. */
  holds(name: string, path: string): boolean {
    const known = this.evaluated.get(name);
    if (known !== undefined) return known;
    if (!Object.hasOwn(this.definitions, name)) {
      throw new Error(`Template value at ${path} uses condition ${name}, which the template's Conditions section does not define.`);
    }
    if (this.evaluating.has(name)) {
      throw new Error(`Template format error: condition ${name} depends on itself (through ${[...this.evaluating].join(' → ')}).`);
    }
    this.evaluating.add(name);
    const value = this.evaluate(this.definitions[name], `Conditions.${name}`);
    this.evaluating.delete(name);
    this.evaluated.set(name, value);
    return value;
  }

  private evaluate(expression: unknown, path: string): boolean {
    const entries = expression !== null && typeof expression === 'object' && !Array.isArray(expression) ? Object.entries(expression) : [];
    if (entries.length !== 1) {
      throw new Error(
        `Template format error: ${path} must be one condition function (Fn::Equals, Fn::Not, Fn::And, Fn::Or) or { "Condition": name }.`,
      );
    }
    const [key, argument] = entries[0]!;
    switch (key) {
      case 'Condition':
        return this.holds(String(argument), path);
      case 'Fn::Equals': {
        const operands = this.operands(argument, key, path, 2, 2);
        return sameValue(this.resolve(operands[0], `${path}.Fn::Equals[0]`), this.resolve(operands[1], `${path}.Fn::Equals[1]`));
      }
      case 'Fn::Not':
        return !this.evaluate(this.operands(argument, key, path, 1, 1)[0], `${path}.Fn::Not[0]`);
      case 'Fn::And':
        return this.operands(argument, key, path, 2, 10).every((operand, index) => this.evaluate(operand, `${path}.Fn::And[${index}]`));
      case 'Fn::Or':
        return this.operands(argument, key, path, 2, 10).some((operand, index) => this.evaluate(operand, `${path}.Fn::Or[${index}]`));
      default:
        throw new Error(
          `Template format error: ${path} uses ${key}, which is not a condition function (Fn::Equals, Fn::Not, Fn::And, Fn::Or).`,
        );
    }
  }

  private operands(argument: unknown, key: string, path: string, min: number, max: number): unknown[] {
    if (!Array.isArray(argument) || argument.length < min || argument.length > max) {
      const count = min === max ? `${min}` : `${min} to ${max}`;
      throw new Error(`Template format error: ${key} at ${path} takes a list of ${count} element(s).`);
    }
    return argument;
  }
}

/** Fn::Equals compares values as CloudFormation holds them: scalars as their text (a Number parameter is a string), lists member by member. */
function sameValue(left: unknown, right: unknown): boolean {
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => sameValue(item, right[index]))
    );
  }
  if (left !== null && typeof left === 'object') return JSON.stringify(left) === JSON.stringify(right);
  return String(left) === String(right);
}
