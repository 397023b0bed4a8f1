// Reading the auth functions' options: an option that is written is checked, so a value that is
// undefined (an unset environment variable), null, empty or of the wrong type is an
// InvalidOptionError, never a check quietly skipped. Leaving an option out is what picks its default.
import { InvalidOptionError } from "../errors.js";

type Options = Record<string, unknown>;

/** What a value is, by type only: an option may hold a secret, so its content is never repeated. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string") return value.trim() === "" ? "an empty string" : "a string";
  if (typeof value === "number") return String(value);
  return typeof value === "object" ? "an object" : typeof value;
}

/** An object (the options themselves, a JWKS, a key): the value, or the error naming `name`. */
export function optionsObject(fn: string, name: string, value: unknown, expected = "an object"): Options {
  if (value === undefined || value === null)
    throw new InvalidOptionError(fn, name, "required", `must be ${expected}, got ${describe(value)}.`);
  if (typeof value !== "object" || Array.isArray(value))
    throw new InvalidOptionError(fn, name, "type", `must be ${expected}, got ${describe(value)}.`);
  return value as Options;
}

/** Whether an option is written (even as undefined); one not written takes its default. */
const written = (options: Options, name: string) => name in options;

function present(fn: string, options: Options, name: string, expected: string): unknown {
  const value = options[name];
  if (value === undefined || value === null)
    throw new InvalidOptionError(fn, name, "required", `must be ${expected}, got ${describe(value)}.`);
  return value;
}

/** A non-empty string; undefined when not written and not required. */
export function stringOption(fn: string, options: Options, name: string, expected: string, required = false) {
  if (!required && !written(options, name)) return undefined;
  const value = present(fn, options, name, expected);
  if (typeof value !== "string")
    throw new InvalidOptionError(fn, name, "type", `must be ${expected}, got ${describe(value)}.`);
  if (value.trim() === "")
    throw new InvalidOptionError(fn, name, "empty", `must be ${expected}, got ${describe(value)}.`);
  return value;
}

/** A finite number within [min, max] (an integer when asked); undefined when not written. */
export function numberOption(fn: string, options: Options, name: string, min: number, max: number, integer = false) {
  if (!written(options, name)) return undefined;
  const expected = `${integer ? "an integer" : "a number"} from ${min} to ${max}`;
  const value = present(fn, options, name, expected);
  if (typeof value !== "number")
    throw new InvalidOptionError(fn, name, "type", `must be ${expected}, got ${describe(value)}.`);
  if (!(value >= min && value <= max) || (integer && !Number.isInteger(value)))
    throw new InvalidOptionError(fn, name, "range", `must be ${expected}, got ${describe(value)}.`);
  return value;
}

/** A boolean; undefined when not written. */
export function booleanOption(fn: string, options: Options, name: string) {
  if (!written(options, name)) return undefined;
  const value = present(fn, options, name, "true or false");
  if (typeof value !== "boolean")
    throw new InvalidOptionError(fn, name, "type", `must be true or false, got ${describe(value)}.`);
  return value;
}

/** A function; undefined when not written. */
export function functionOption(fn: string, options: Options, name: string, expected: string) {
  if (!written(options, name)) return undefined;
  const value = present(fn, options, name, expected);
  if (typeof value !== "function")
    throw new InvalidOptionError(fn, name, "type", `must be ${expected}, got ${describe(value)}.`);
  return value;
}
