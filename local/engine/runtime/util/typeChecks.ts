/**
 * `isNull`, `isNullOrEmpty`, `defaultIfNull`, `typeOf`... are documented for VTL only
 * ("Utility helpers in $util": https://docs.aws.amazon.com/appsync/latest/devguide/utility-helpers-in-util.html);
 * APPSYNC_JS's "Built-in utilities" page and `@aws-appsync/utils`' typings do not list them, so
 * code calling them would fail on AWS. `createUtil` adds them only when asked (`vtlHelpers`).
 */
import { isPlainObject } from './dynamodb.ts';

/** The VTL-only type and default helpers. */
export interface VtlTypeHelpers {
  isNull(value: unknown): boolean;
  isNullOrEmpty(value: unknown): boolean;
  isNullOrBlank(value: unknown): boolean;
  defaultIfNull<T>(value: T, defaultValue: T): T;
  defaultIfNullOrEmpty(value: unknown, defaultValue: string): unknown;
  defaultIfNullOrBlank(value: unknown, defaultValue: string): unknown;
  isString(value: unknown): boolean;
  isNumber(value: unknown): boolean;
  isBoolean(value: unknown): boolean;
  isList(value: unknown): boolean;
  isMap(value: unknown): boolean;
  typeOf(value: unknown): 'Null' | 'Number' | 'String' | 'Map' | 'List' | 'Boolean' | 'Object';
}

const isNull = (value: unknown): boolean => value === null || value === undefined;
// VTL: "Returns true if the supplied data is null or an empty string."
const isNullOrEmpty = (value: unknown): boolean => isNull(value) || value === '';
// VTL: "... null or a blank string", blank meaning whitespace only.
const isNullOrBlank = (value: unknown): boolean => isNull(value) || (typeof value === 'string' && value.trim() === '');

/**
 * Create the VTL-only helpers.
 *
 * @example createVtlTypeHelpers().typeOf([1]) // "List"
 */
export function createVtlTypeHelpers(): VtlTypeHelpers {
  return {
    isNull,
    isNullOrEmpty,
    isNullOrBlank,
    defaultIfNull: (value, defaultValue) => (isNull(value) ? defaultValue : value),
    defaultIfNullOrEmpty: (value, defaultValue) => (isNullOrEmpty(value) ? defaultValue : value),
    defaultIfNullOrBlank: (value, defaultValue) => (isNullOrBlank(value) ? defaultValue : value),
    isString: (value) => typeof value === 'string',
    isNumber: (value) => typeof value === 'number',
    isBoolean: (value) => typeof value === 'boolean',
    isList: (value) => Array.isArray(value),
    isMap: (value) => isPlainObject(value),
    typeOf: (value) => {
      if (isNull(value)) return 'Null';
      if (typeof value === 'number') return 'Number';
      if (typeof value === 'string') return 'String';
      if (typeof value === 'boolean') return 'Boolean';
      if (Array.isArray(value)) return 'List';
      if (isPlainObject(value)) return 'Map';
      return 'Object';
    },
  };
}
