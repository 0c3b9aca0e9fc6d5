/**
 * Blocks until `ctrl[0]` leaves 0 (the surrogate worker's answer) or `timeoutMs` pass.
 *
 * Atomics.wait returning "ok" only says that someone notified the location, not that the
 * value changed: the worker stores its status and then notifies, two separate steps. When
 * the worker answers call k before the caller reaches its wait (which then returns
 * "not-equal"), call k's notify can land after the caller has reset the status and gone to
 * sleep on call k+1, waking it with the status still 0. On two loaded cores this happened
 * in about 1 LCBench cell of 60 (status 0, wait "ok"); each such call failed a trial. So the
 * status is checked after every wake, and the wait resumes for the time that is left.
 */
export function waitForAnswer(ctrl: Int32Array, timeoutMs: number): "answered" | "timed-out" {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (Atomics.load(ctrl, 0) !== 0) return "answered";
    const left = deadline - performance.now();
    if (left <= 0) return "timed-out";
    Atomics.wait(ctrl, 0, 0, left);
  }
}
