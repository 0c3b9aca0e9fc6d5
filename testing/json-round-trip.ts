import { isDeepStrictEqual } from "node:util";

/** Why `value` does not come back equal through JSON (undefined, a Map, NaN, a class instance...), or undefined when it does. */
export function jsonRoundTripProblem(value: unknown): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    return `cannot be written as JSON: ${(e as Error).message}`;
  }
  if (text === undefined) return "is not JSON (undefined or a function)";
  const back: unknown = JSON.parse(text);
  if (isDeepStrictEqual(back, value)) return undefined;
  return `does not survive a JSON round trip: ${text.slice(0, 200)}`;
}
