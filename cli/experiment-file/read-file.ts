import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseDocument } from "yaml";
import { OptionError } from "../../core/errors/index.ts";

export interface ExperimentSource {
  /** Absolute path of the file. */
  readonly file: string;
  /** The parsed document: plain objects, arrays and scalars. */
  readonly plain: unknown;
}

/**
 * Reads and parses an experiment file. YAML 1.2 is a superset of JSON, so one parser reads
 * both and gives a line:column for a syntax error in either. The YAML 1.2 core schema keeps
 * `yes`/`no`/`on` as strings; duplicate keys are an error. Either failure is an OptionError
 * whose field is the file name: `exp.yaml:3:7: ...`.
 */
export function readExperimentFile(path: string): ExperimentSource {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : `cannot be read (${code ?? String(error)})`;
    throw new OptionError(path, why);
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = document.errors[0];
  if (first !== undefined) {
    const position = first.linePos?.[0];
    const where = position ? `${path}:${position.line}:${position.col}` : path;
    // yaml's messages can span lines (a code frame); the first line says what is wrong.
    const what = (first.message.split("\n")[0] ?? first.code).replace(/ at line \d+, column \d+:?$/, "");
    throw new OptionError(where, `syntax error: ${what}`);
  }
  return { file, plain: document.toJS({ maxAliasCount: 100 }) };
}
