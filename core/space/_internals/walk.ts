import { isDomain } from "../domain.ts";

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A choice option that is a plain object with a Domain somewhere inside it. */
export function isSubSpace(option: unknown): option is Record<string, unknown> {
  return isPlainObject(option) && Object.values(option).some((v) => isDomain(v) || isSubSpace(v));
}

export function childPath(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}

/** Path of a choice option, e.g. `model.choice[1]`; its keys continue with dots. */
export function optionPath(choicePath: string, index: number): string {
  return `${choicePath}.choice[${index}]`;
}
