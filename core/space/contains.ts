import type { AnyDomain } from "./any-domain.ts";
import { isDomain } from "./domain.ts";
import { deepEqual } from "./_internals/deep-equal.ts";
import { isPlainObject, isSubSpace } from "./_internals/walk.ts";

const MULTIPLE_TOLERANCE = 1e-9;

function isMultiple(value: number, q: number): boolean {
  const k = value / q;
  return Math.abs(k - Math.round(k)) <= MULTIPLE_TOLERANCE * Math.max(1, Math.abs(k));
}

/** Whether `value` is a value the domain can produce (sampleFrom accepts anything). */
export function domainContains(domain: AnyDomain, value: unknown): boolean {
  switch (domain.type) {
    case "float":
      return (
        typeof value === "number" &&
        value >= domain.min &&
        (domain.q === null ? value < domain.high : value <= domain.max) &&
        (domain.q === null || isMultiple(value, domain.q))
      );
    case "int":
      return (
        Number.isInteger(value) &&
        (value as number) >= domain.min &&
        (value as number) <= domain.max &&
        ((value as number) - domain.min) % domain.q === 0
      );
    case "normal":
      return typeof value === "number" && Number.isFinite(value) && (domain.q === null || isMultiple(value, domain.q));
    case "categorical":
      return domain.options.some((option) => optionMatches(option, value));
    case "grid":
      return domain.values.some((v) => deepEqual(v, value));
    case "function":
      return true;
  }
}

/** Whether a resolved value could have come from this choice option (constant or sub-space). */
export function optionMatches(option: unknown, value: unknown): boolean {
  return isSubSpace(option) ? subSpaceMatches(option, value) : deepEqual(option, value);
}

function subSpaceMatches(space: Record<string, unknown>, value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(space);
  if (keys.length !== Object.keys(value).length) return false;
  return keys.every((key) => {
    if (!Object.hasOwn(value, key)) return false;
    const node = space[key];
    if (isDomain(node)) return domainContains(node, value[key]);
    if (isSubSpace(node)) return subSpaceMatches(node, value[key]);
    return deepEqual(node, value[key]);
  });
}
