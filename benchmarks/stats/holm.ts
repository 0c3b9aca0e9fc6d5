/**
 * Holm's step-down correction (Holm 1979) of a family of p-values: the i-th
 * smallest p is multiplied by (m - i), running maxima keep the order, capped at 1.
 * A hypothesis is rejected at level alpha when its adjusted p is <= alpha; this is
 * statsmodels' `multipletests(method="holm")` adjusted p-value.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
