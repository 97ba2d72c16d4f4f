/** NoEcho parameter values kept out of every log line and start error the stack prints. */
import type { LocalStackOptions } from './localStack.ts';
import type { CloudAssemblyModel } from './template/cloudAssembly.ts';
import { noEchoMasker } from './template/parameters.ts';

/** The options with every log callback masking NoEcho parameter values, so no log line prints one. */
export function withNoEchoMasked(options: LocalStackOptions, assembly: CloudAssemblyModel): LocalStackOptions {
  const mask = noEchoMaskerOf(assembly);
  const { onEvent, onDelivery, onPipeBatch } = options;
  return {
    ...options,
    onEvent: onEvent && ((line) => onEvent(mask(line))),
    onDelivery: onDelivery && ((log) => onDelivery(log.error === undefined ? log : { ...log, error: mask(log.error) })),
    onPipeBatch:
      onPipeBatch &&
      ((log) => onPipeBatch(log.error === undefined ? log : { ...log, error: { ...log.error, message: mask(log.error.message) } })),
  };
}

export function noEchoMaskerOf(assembly: CloudAssemblyModel): (text: string) => string {
  return noEchoMasker(assembly.stacks.flatMap((stack) => stack.parameters.secrets()));
}

/** A start failure's message with NoEcho values masked: the CLI prints it. */
export function maskedError(error: unknown, assembly: CloudAssemblyModel): unknown {
  if (error instanceof Error) error.message = noEchoMaskerOf(assembly)(error.message);
  return error;
}
