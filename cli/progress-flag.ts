import { OptionError } from "../core/errors/index.ts";

/**
 * What `--progress`, `--no-progress` and `--quiet` ask for, the same for every command that
 * shows progress: left out, progress shows on a terminal only ("auto"); `--quiet` turns it off
 * along with the command's notes on stderr (errors and warnings still show).
 */
export function progressSetting(flags: { progress?: boolean; quiet?: boolean }): boolean | "auto" {
  if (flags.quiet === true && flags.progress === true) throw new OptionError("--quiet", "cannot be combined with --progress");
  if (flags.quiet === true) return false;
  return flags.progress ?? "auto";
}
