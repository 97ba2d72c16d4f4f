/**
 * Query text → validated document, once per distinct text. Clients send the same few operations
 * over and over, so each text is checked once (in the document-check worker) and its document or its
 * refusal kept; the cache is bounded by entries and by the text it holds, so large hostile documents
 * cannot fill memory. Concurrent requests with one new text wait for one check.
 *
 * The event loop only parses a document the worker found valid, with its exact repeats blanked
 * out (same length, same line breaks, so every location stays where the client wrote it).
 *
 * @example
 * const documents = new ValidatedDocuments(checker);
 * const document = await documents.get('{ __typename }'); // a DocumentNode, or the refusal's errors
 */
import { parse, type DocumentNode } from 'graphql';
import type { DocumentChecker } from './documentChecker.ts';
import type { Refusal } from './documentCheck.ts';
import { withRepeatsBlanked } from './repeatedSelections.ts';

/** A valid document with its number of field selections (without repeats), or the refusal. */
export type ValidatedDocument = { document: DocumentNode; fields: number } | { errors: Refusal[] };

const MAX_ENTRIES = 1_000;
/** Characters of query text kept in all: 1 000 typical operations, or a few of the largest the server accepts. */
const MAX_TEXT = 32 * 1024 * 1024;

export class ValidatedDocuments {
  private readonly known = new Map<string, ValidatedDocument>();
  private readonly inCheck = new Map<string, Promise<ValidatedDocument>>();
  private textKept = 0;

  constructor(private readonly checker: DocumentChecker) {}

  get(query: string): Promise<ValidatedDocument> {
    const known = this.known.get(query);
    if (known) return Promise.resolve(known);
    let pending = this.inCheck.get(query);
    if (!pending) {
      pending = this.check(query).finally(() => this.inCheck.delete(query));
      this.inCheck.set(query, pending);
    }
    return pending;
  }

  private async check(query: string): Promise<ValidatedDocument> {
    const check = await this.checker.checkDocument(query);
    const validated = check.ok
      ? { document: parse(check.text ?? withRepeatsBlanked(query, check.repeats)), fields: check.fields }
      : { errors: check.errors };
    this.keep(query, validated);
    return validated;
  }

  private keep(query: string, validated: ValidatedDocument): void {
    if (query.length > MAX_TEXT) return;
    while (this.known.size >= MAX_ENTRIES || (this.known.size > 0 && this.textKept + query.length > MAX_TEXT)) {
      const oldest = this.known.keys().next().value!;
      this.known.delete(oldest);
      this.textKept -= oldest.length;
    }
    this.known.set(query, validated);
    this.textKept += query.length;
  }
}
