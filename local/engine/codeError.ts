/**
 * Code errors in the shape of AppSync's `CodeError` (EvaluateCode API, CreateResolver/CreateFunction
 * validation): `errorType` is `PARSER_ERROR` or `LINT_ERROR`, `location.line` and `location.column`
 * are 1-based, `span` is the length of the offending source text.
 */
export interface CodeErrorLocation {
  line: number;
  column: number;
  span: number;
}

export type CodeErrorType = 'PARSER_ERROR' | 'LINT_ERROR';

export interface CodeError {
  errorType: CodeErrorType;
  value: string;
  location: CodeErrorLocation;
}

/**
 * Thrown by `loadCode` when AWS would refuse the code. `message` lists each error as
 * `file:line:column: value`, the way editors and compilers print them.
 */
export class CodeLoadError extends Error {
  readonly code = 'CodeLoadError';

  /**
   * @param where how to show an error's position; defaults to `file:line:column` of the code
   *   itself (for bundled TypeScript the loader passes the position in the original source).
   */
  constructor(
    readonly file: string,
    readonly codeErrors: CodeError[],
    where: (error: CodeError) => string = (e) => `${file}:${e.location.line}:${e.location.column}`,
  ) {
    super(
      `${file}: APPSYNC_JS code refused (${codeErrors.length} error${codeErrors.length === 1 ? '' : 's'}):\n` +
        codeErrors.map((e) => `  ${where(e)}: ${e.errorType} ${e.value}`).join('\n'),
    );
    this.name = 'CodeLoadError';
  }
}
