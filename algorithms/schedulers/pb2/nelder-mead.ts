/**
 * Nelder-Mead maximisation of `f` from `start` (standard coefficients), with
 * every point passed through `project` first (bounds). Deterministic; stops
 * after `maxEvaluations` calls of f. Used where Ray calls scipy's L-BFGS-B with
 * numeric gradients: PB2's GP fit and its acquisition.
 */
export function nelderMeadMax(
  f: (x: Float64Array) => number,
  start: Float64Array,
  options: { step: number; maxEvaluations: number; project?: (x: Float64Array) => void; tolerance?: number },
): { x: Float64Array; value: number } {
  const dim = start.length;
  const project = options.project ?? (() => {});
  const tolerance = options.tolerance ?? 1e-7;
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    project(x);
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : -Infinity;
  };
  const simplex: Array<{ x: Float64Array; v: number }> = [];
  const first = Float64Array.from(start);
  simplex.push({ x: first, v: evaluate(first) });
  for (let k = 0; k < dim; k++) {
    const x = Float64Array.from(start);
    x[k] = (x[k] as number) + options.step;
    simplex.push({ x, v: evaluate(x) });
  }
  const centroid = new Float64Array(dim);
  const along = (from: Float64Array, to: Float64Array, t: number): Float64Array => {
    const out = new Float64Array(dim);
    for (let k = 0; k < dim; k++) out[k] = (from[k] as number) + t * ((to[k] as number) - (from[k] as number));
    return out;
  };
  while (evaluations < options.maxEvaluations) {
    simplex.sort((a, b) => b.v - a.v);
    const best = simplex[0] as { x: Float64Array; v: number };
    const worst = simplex[dim] as { x: Float64Array; v: number };
    if (Math.abs(best.v - worst.v) <= tolerance * (Math.abs(best.v) + tolerance)) break;
    centroid.fill(0);
    for (let i = 0; i < dim; i++) for (let k = 0; k < dim; k++) centroid[k] = (centroid[k] as number) + ((simplex[i] as { x: Float64Array }).x[k] as number) / dim;
    const reflected = along(centroid, worst.x, -1);
    const vr = evaluate(reflected);
    const secondWorst = (simplex[dim - 1] as { v: number }).v;
    if (vr > best.v) {
      const expanded = along(centroid, worst.x, -2);
      const ve = evaluate(expanded);
      simplex[dim] = ve > vr ? { x: expanded, v: ve } : { x: reflected, v: vr };
    } else if (vr > secondWorst) {
      simplex[dim] = { x: reflected, v: vr };
    } else {
      const contracted = vr > worst.v ? along(centroid, reflected, 0.5) : along(centroid, worst.x, 0.5);
      const vc = evaluate(contracted);
      if (vc > Math.max(vr, worst.v)) {
        simplex[dim] = { x: contracted, v: vc };
      } else {
        for (let i = 1; i <= dim; i++) {
          const point = simplex[i] as { x: Float64Array; v: number };
          const shrunk = along(best.x, point.x, 0.5);
          simplex[i] = { x: shrunk, v: evaluate(shrunk) };
        }
      }
    }
  }
  simplex.sort((a, b) => b.v - a.v);
  const top = simplex[0] as { x: Float64Array; v: number };
  return { x: top.x, value: top.v };
}
