import { basename, extname } from "node:path";
import { pathToFileURL } from "node:url";
import { CALLBACK_HOOKS, type TuneCallback } from "../../core/callbacks/index.ts";
import { didYouMean, OptionProblemsError, showValue, type FieldProblem } from "../../core/space/plain/index.ts";
import type { FileCallback } from "./resolve.ts";

const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);
const HOOKS: readonly string[] = CALLBACK_HOOKS;

/**
 * Imports the callbacks an experiment file names (`callbacks: [./log.ts, { module, export }]`)
 * into the driver process: callbacks see every trial, so they run where the loop runs, not in
 * a trial's worker. An export may be a callback object, a class (constructed with no
 * arguments) or a function returning a callback. Every bad entry is reported at once, one
 * line each, as an OptionProblemsError (exit 2): a module that fails to import, a missing
 * export, an export that is not a callback, a hook that is not a function and an `on...`
 * key that is no hook (a misspelt hook would otherwise never be called).
 */
export async function loadFileCallbacks(callbacks: readonly FileCallback[]): Promise<TuneCallback[]> {
  const problems: FieldProblem[] = [];
  const loaded: TuneCallback[] = [];
  for (const [i, spec] of callbacks.entries()) {
    const callback = await loadOne(spec, `callbacks[${i}]`, problems);
    if (callback) loaded.push(callback);
  }
  if (problems.length > 0) throw new OptionProblemsError(problems);
  return loaded;
}

async function loadOne(spec: FileCallback, path: string, problems: FieldProblem[]): Promise<TuneCallback | undefined> {
  const exportName = spec.export ?? "default";
  let module: Record<string, unknown>;
  try {
    module = await importModule(spec.module);
  } catch (error) {
    problems.push({ path: `${path}.module`, problem: `${spec.module} cannot be imported: ${firstLine(error)}` });
    return undefined;
  }
  // A .ts file outside a "type": "module" package loads as CommonJS: its ES default export is module.exports.default.
  const interop = module["default"] as Record<string, unknown> | undefined;
  if (exportName === "default" && typeof interop === "object" && interop !== null && interop["__esModule"] === true) module = { ...module, default: interop["default"] };
  if (!(exportName in module) || module[exportName] === undefined) {
    const names = Object.keys(module).filter((k) => k !== "__esModule" && k !== "module.exports" && module[k] !== undefined);
    problems.push({ path: `${path}.export`, problem: `${spec.module} has no export "${exportName}"${didYouMean(exportName, names)}; it exports: ${names.join(", ") || "nothing"}` });
    return undefined;
  }
  const where = `export "${exportName}" of ${basename(spec.module)}`;
  const exported: unknown = module[exportName];
  let value: unknown = exported;
  try {
    if (isClass(exported)) value = new (exported as new () => unknown)();
    else if (typeof exported === "function") value = (exported as () => unknown)();
  } catch (error) {
    problems.push({ path, problem: `${where} threw when it was ${isClass(exported) ? "constructed" : "called"}: ${firstLine(error)}` });
    return undefined;
  }
  const problem = callbackProblem(value);
  if (problem !== undefined) {
    problems.push({ path, problem: `${where} is not a callback: ${problem}` });
    return undefined;
  }
  return named(value as TuneCallback, `${exportName === "default" ? basename(spec.module, extname(spec.module)) : exportName}`);
}

/** TypeScript through tsx's scoped loader (the compiled CLI has no global TS loader); JavaScript by plain import. */
async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  if (TYPESCRIPT.has(extname(file))) {
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(url)) as Record<string, unknown>;
}

/** Why `value` is not a TuneCallback, or undefined when it is one. */
export function callbackProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `needs an object with hooks (${HOOKS.join(", ")}), a class of such objects or a function returning one; got ${showValue(value)}`;
  }
  const keys = keysOf(value);
  for (const key of keys) {
    if (!key.startsWith("on") || HOOKS.includes(key)) continue;
    return `${key} is not a hook${didYouMean(key, HOOKS)}; hooks: ${HOOKS.join(", ")}`;
  }
  const record = value as Record<string, unknown>;
  for (const hook of HOOKS) {
    if (record[hook] !== undefined && typeof record[hook] !== "function") return `${hook} must be a function, got ${showValue(record[hook])}`;
  }
  if (!HOOKS.some((hook) => typeof record[hook] === "function")) return `it has none of the hooks ${HOOKS.join(", ")}`;
  if (record["name"] !== undefined && typeof record["name"] !== "string") return `name must be a string, got ${showValue(record["name"])}`;
  return undefined;
}

/** Own keys and the methods of its classes (a class instance's hooks live on its prototype). */
function keysOf(value: object): string[] {
  const keys = new Set<string>(Object.keys(value));
  for (let proto = Object.getPrototypeOf(value); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) if (key !== "constructor") keys.add(key);
  }
  return [...keys];
}

function isClass(value: unknown): boolean {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/**
 * A callback with no name of its own (an object literal) is reported under its export's
 * name when it throws; the hooks still run on the user's object, as `this`.
 */
function named(callback: TuneCallback, fallback: string): TuneCallback {
  if (typeof callback.name === "string" && callback.name !== "") return callback;
  const ctor = (callback as object).constructor;
  if (ctor && ctor !== Object && ctor.name) return callback;
  const wrapper: Record<string, unknown> = { name: fallback };
  const record = callback as unknown as Record<string, unknown>;
  for (const hook of HOOKS) {
    const fn = record[hook];
    if (typeof fn === "function") wrapper[hook] = (...args: unknown[]) => (fn as (...a: unknown[]) => unknown).apply(callback, args);
  }
  return wrapper as TuneCallback;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return text.split("\n")[0] ?? text;
}
