import { parseDocument } from "yaml";
import { OptionError, TuneLabError } from "../core/errors/index.ts";
import { hasSavedState, readSavedState } from "../core/experiment-dir/index.ts";
import { resolveExperiment } from "./experiment-file/index.ts";
import { runCommand, type RunFlags } from "./run-command.ts";

/**
 * `tunelab resume DIR`: carries on the experiment saved in DIR, rebuilt from the experiment
 * file it saved (its text, resolved against the file's original folder, so the trainable
 * module is found where it was). An experiment started by tune() in code saved no file: only
 * its program can rebuild its options, so the message says to call tune() with resume: true.
 */
export async function resumeCommand(dir: string, flags: Pick<RunFlags, "json">): Promise<void> {
  let rebuilt: RunFlags;
  try {
    rebuilt = rebuild(dir);
  } catch (error) {
    if (!(error instanceof TuneLabError)) throw error;
    const kind = error instanceof OptionError ? "" : `${error.name}: `;
    process.stderr.write(`tunelab: ${kind}${error.message}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  await runCommand(rebuilt.resolved?.file ?? dir, { ...flags, ...rebuilt });
}

function rebuild(dir: string): RunFlags {
  if (!hasSavedState(dir)) throw new OptionError("DIR", `"${dir}" holds no saved experiment (no experiment_state.json)`);
  const { origin } = readSavedState(dir);
  if (origin.kind !== "experiment-file") {
    const what = origin.trainable === "objective" ? "simulate()" : "tune()";
    throw new OptionError(
      "DIR",
      `"${dir}" was started by ${what} in code (its ${origin.trainable} trainable and options live only in that program), so tunelab resume cannot rebuild it: call ${what} again with the same options and resume: true`,
    );
  }
  const document = parseDocument(origin.text, { uniqueKeys: true });
  if (document.errors.length > 0) throw new OptionError("DIR", `the experiment file saved in "${dir}" no longer parses: ${document.errors[0]?.message.split("\n")[0]}`);
  const resolved = resolveExperiment({ file: origin.path, plain: document.toJS({ maxAliasCount: 100 }) });
  // The directory given wins: it may have been moved since.
  return { resolved: { ...resolved, storagePath: dir }, origin, resume: true };
}
