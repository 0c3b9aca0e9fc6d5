import type { BadDensity } from "./best-candidate.ts";
import type { ParzenMemo } from "./kernel-memo.ts";
import { ParzenEstimator, type ParzenParameter, type ParzenSettings } from "./parzen-estimator.ts";

/**
 * A block's columns for the trials in `trialIds` where its first parameter is set, gathered
 * from the per-parameter columns by trial position (ascending, as the records).
 */
export function gatherColumns(blockColumns: readonly Float64Array[], trialIds: Int32Array): { columns: Float64Array[]; ids: Int32Array } {
  const firstColumn = blockColumns[0] as Float64Array;
  let kept = 0;
  for (let k = 0; k < trialIds.length; k++) if (!Number.isNaN(firstColumn[trialIds[k] as number] as number)) kept++;
  let ids = trialIds;
  if (kept !== trialIds.length) {
    ids = new Int32Array(kept);
    let j = 0;
    for (let k = 0; k < trialIds.length; k++) if (!Number.isNaN(firstColumn[trialIds[k] as number] as number)) ids[j++] = trialIds[k] as number;
  }
  const columns: Float64Array[] = new Array(blockColumns.length);
  for (let p = 0; p < blockColumns.length; p++) {
    const source = blockColumns[p] as Float64Array;
    const column = new Float64Array(kept);
    for (let k = 0; k < kept; k++) column[k] = source[ids[k] as number] as number;
    columns[p] = column;
  }
  return { columns, ids };
}

/**
 * The bad group's density as `bestCandidate` reads it: the bounds from kept state where the
 * searcher has them (bad-group-bounds.ts, multivariate-bounds.ts), the estimator (built the
 * old way, on first need) for the rest.
 */
export class BadGroupDensity implements BadDensity {
  private built: ParzenEstimator | undefined;
  // Set only where the bounds have them (bestCandidate tests for presence); declared, never assigned undefined.
  declare readonly logPdfLower?: NonNullable<BadDensity["logPdfLower"]>;
  declare readonly logPdfBoundsMiddle?: NonNullable<BadDensity["logPdfBoundsMiddle"]>;
  declare readonly logPdfBoundsOrDominated?: NonNullable<BadDensity["logPdfBoundsOrDominated"]>;

  constructor(
    private readonly fast: Pick<BadDensity, "logPdfBounds" | "logPdfLower" | "logPdfBoundsMiddle" | "logPdfBoundsOrDominated"> | null,
    private readonly blockColumns: readonly Float64Array[],
    private readonly aboveIds: Int32Array,
    private readonly parameters: readonly ParzenParameter[],
    private readonly settings: ParzenSettings,
    private readonly memo: Omit<ParzenMemo, "ids">,
  ) {
    // A cheap lower bound per candidate (multivariate bounds: the prior's score) lets bestCandidate bound only the candidates that can still win.
    if (fast?.logPdfLower !== undefined) this.logPdfLower = fast.logPdfLower.bind(fast);
    if (fast?.logPdfBoundsMiddle !== undefined) this.logPdfBoundsMiddle = fast.logPdfBoundsMiddle.bind(fast);
    if (fast?.logPdfBoundsOrDominated !== undefined) this.logPdfBoundsOrDominated = fast.logPdfBoundsOrDominated.bind(fast);
  }

  logPdfBounds(samples: readonly Float64Array[], tight?: boolean): { value: Float64Array; bound: Float64Array } | null {
    return this.fast !== null ? this.fast.logPdfBounds(samples, tight) : this.estimator().logPdfBounds(samples, tight);
  }

  logPdf(samples: readonly Float64Array[]): Float64Array {
    return this.estimator().logPdf(samples);
  }

  private estimator(): ParzenEstimator {
    if (this.built !== undefined) return this.built;
    const { columns, ids } = gatherColumns(this.blockColumns, this.aboveIds);
    return (this.built = new ParzenEstimator(columns, this.parameters, this.settings, { ...this.memo, ids }));
  }
}

