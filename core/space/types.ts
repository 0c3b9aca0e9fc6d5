import type { Domain } from "./domain.ts";

/**
 * A nested plain object whose leaves are Domains or constants (JSON-like values).
 * Only `validateSpace` knows the exact rules; the type stays loose so literal spaces keep
 * their precise types for `Infer`.
 */
export type Space = { readonly [key: string]: unknown };

/** A resolved configuration: the space with every Domain replaced by a value. */
export type Config = Record<string, unknown>;

/** The config type of a space: Domain<T> -> T, nested objects mapped, constants as themselves. */
export type Infer<S> =
  S extends Domain<infer T>
    ? T
    : S extends readonly unknown[]
      ? S
      : S extends object
        ? { -readonly [K in keyof S]: Infer<S[K]> }
        : S;
