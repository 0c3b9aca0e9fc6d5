/**
 * When a trial under a preemption notice should checkpoint.
 *
 * A notice gives a deadline D (the node goes at D). A trial can only checkpoint at a step
 * boundary, and the save takes C seconds. Saving at the first boundary after the notice (what
 * the simulator did before) throws away every step that still fits after it, so a long notice
 * (AWS, 120 s) lost more than a short one (GCP/Azure, 30 s). A trainer that uses its notice
 * well keeps training and saves at the LAST boundary b from which another step would not
 * also leave time to save: b + nextStep + C >= D (a save must end before D). That is the one save worth making (a
 * later boundary cannot save in time; an earlier one saves less), and it does not depend on
 * when the notice arrived, only on the deadline, so a longer notice never saves less.
 *
 * On a real cluster the trainer knows its step time from the steps it has run; the
 * simulator knows the next step's time exactly (it asks the objective, see
 * SimExecutor.peekNextStepSeconds), so the save lands on the best boundary there is.
 * After that save the trial keeps stepping until the node goes (as a Ray actor does:
 * nothing stops it), and what it does after the save is lost with the node.
 */
export function noticeSaveDue(boundary: number, nextStepSeconds: number | undefined, checkpointSeconds: number, deadline: number): "now" | "later" | "never" {
  // No save started here can finish before the node goes (one ending at the very moment it goes is lost with it).
  if (boundary + checkpointSeconds >= deadline) return "never";
  // Unknown next step (the objective would fail): save while it surely can.
  if (nextStepSeconds === undefined) return "now";
  return boundary + nextStepSeconds + checkpointSeconds >= deadline ? "now" : "later";
}
