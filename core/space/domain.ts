import type { AnyDomain } from "./any-domain.ts";

/**
 * Base of every leaf of a search space. `T` is a phantom: it exists only in types so that
 * `Infer<typeof space>` can give the config type. Subclasses hold plain readonly fields and
 * no behaviour; sampling, validation and encoding live in functions that switch on `type`.
 */
export abstract class Domain<T> {
  /** Phantom value type; never set at runtime. */
  declare readonly __valueType: T;
  abstract readonly type: "float" | "int" | "normal" | "categorical" | "grid" | "function";
  /** The builder that made it ("uniform", "qrandint", ...); used in error messages. */
  abstract readonly name: string;
}

export function isDomain(value: unknown): value is AnyDomain {
  return value instanceof Domain;
}
