import { checkCode, type CodeError } from '../../../local/engine/index.ts';

/** 1-based line and column of the first occurrence of `needle` in `source`. */
export function locationOf(source: string, needle: string): { line: number; column: number } {
  const at = source.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in the source`);
  const before = source.slice(0, at).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** A resolver module around one handler body, as esbuild emits it. */
export function moduleWith(requestBody: string, header = "import { util } from '@aws-appsync/utils';"): string {
  return `${header}\nfunction request(ctx) {\n${requestBody}\n}\nfunction response(ctx) {\n  return ctx.result;\n}\nexport {\n  request,\n  response\n};\n`;
}

/** The only code error of `source`, failing when there are none or several. */
export function onlyError(source: string): CodeError {
  const errors = checkCode(source);
  if (errors.length !== 1) throw new Error(`expected one code error, got ${errors.length}: ${JSON.stringify(errors, null, 2)}`);
  return errors[0] as CodeError;
}
