/**
 * Typed reads of request values that already passed spec validation. Validation guarantees the
 * types; these helpers only narrow `unknown` for the compiler and fail loudly if that ever breaks.
 */
import { MockError } from '../core/errors.js';

type Values = Readonly<Record<string, unknown>>;

/** A string parameter, or undefined when absent. */
export function optionalString(values: Values, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new MockError('INVALID_PARAMETER', `${name}: expected a single value`);
  return value;
}

/** A required string parameter (path parameters). */
export function requiredString(values: Values, name: string): string {
  const value = optionalString(values, name);
  if (value === undefined) throw new MockError('INVALID_PARAMETER', `${name} is required`);
  return value;
}

/** An integer parameter, or undefined when absent. */
export function optionalInteger(values: Values, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new MockError('INVALID_PARAMETER', `${name}: expected an integer`);
  if (!Number.isSafeInteger(value)) throw new MockError('INVALID_PARAMETER', `${name}: ${value} is out of range`);
  return value;
}

/**
 * A uuid value in canonical lowercase. UUIDs are case-insensitive (Pleo's Java backend parses
 * them so); the store keys on the lowercase form every response uses.
 */
export function canonicalUuid(value: string): string {
  return value.toLowerCase();
}

/** A repeated (array) parameter; empty when absent. */
export function stringArray(values: Values, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.map((entry) => {
    if (typeof entry !== 'string') throw new MockError('INVALID_PARAMETER', `${name}: expected string values`);
    return entry;
  });
}

/** Narrows a validated value to one of an enum's members. */
export function oneOf<T extends string>(allowed: readonly T[], value: string, name: string): T {
  // indexOf rather than find: no closure per call (this runs for every item of a batch).
  const found = allowed[(allowed as readonly string[]).indexOf(value)];
  if (found === undefined) throw new MockError('INVALID_PARAMETER', `${name}: '${value}' is not one of ${allowed.join(', ')}`);
  return found;
}
