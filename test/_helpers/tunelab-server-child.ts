// The child of tunelab-server.ts: runs each `tunelab` argument list it is sent in
// this process (cli/program.ts), one at a time, and sends back what a spawn would show.
import { tunelabInProcess } from "./tunelab-in-process.ts";

process.on("message", (message: { args: string[] }) => {
  void tunelabInProcess(message.args).then(
    (r) => process.send?.({ ...r, crashed: false }),
    (error: unknown) => process.send?.({ code: 1, stdout: "", stderr: error instanceof Error ? (error.stack ?? error.message) : String(error), crashed: true }),
  );
});
process.send?.({ ready: true });
