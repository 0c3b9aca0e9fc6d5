/** How a measured value is held against the paper's. */
export type Comparison =
  | { readonly kind: "equal" }
  /** ours >= value (value defaults to the paper's number). */
  | { readonly kind: "at-least"; readonly value?: number }
  | { readonly kind: "at-most"; readonly value?: number }
  /** |ours - paper| <= tolerance. */
  | { readonly kind: "within"; readonly tolerance: number }
  /** The measurement decides (a statistical test); `rule` says how, for the table. */
  | { readonly kind: "test"; readonly rule: string };

/** One line of `tunelab check papers`: a number from a paper and how ours must relate to it. */
export interface PaperCheck<M = unknown> {
  readonly id: string;
  /** Short citation, e.g. "Li et al. 2018, Table 1". */
  readonly paper: string;
  /** What is compared, in words. */
  readonly quantity: string;
  /** The paper's number (or the paper's table written out). */
  readonly paperValue: number | string;
  readonly comparison: Comparison;
  /** Key of the shared measurement this check reads (several checks share one set of runs). */
  readonly measurement: string;
  /** Ours, from the measurement; `pass` only for comparison "test". */
  readonly ours: (measured: M) => { value: number | string; pass?: boolean };
}

/** A measurement shared by checks: runs once per `tunelab check papers`. */
export type Measurement<M = unknown> = (options: PaperCheckOptions) => M;

export interface PaperCheckOptions {
  /** Seeds for the statistical checks (PB2 vs PBT). @defaultValue 100 */
  seeds?: number;
}

export interface PaperCheckOutcome {
  readonly id: string;
  readonly paper: string;
  readonly quantity: string;
  readonly paperValue: number | string;
  readonly ours: number | string;
  readonly rule: string;
  readonly pass: boolean;
  /** Wall seconds of the measurement (charged to the first check that used it). */
  readonly seconds: number;
}

export function comparisonRule(check: PaperCheck): string {
  const c = check.comparison;
  switch (c.kind) {
    case "equal":
      return "equal";
    case "at-least":
      return `>= ${c.value ?? check.paperValue}`;
    case "at-most":
      return `<= ${c.value ?? check.paperValue}`;
    case "within":
      return `within ${c.tolerance}`;
    case "test":
      return c.rule;
  }
}

export function passes(check: PaperCheck, ours: { value: number | string; pass?: boolean }): boolean {
  const c = check.comparison;
  const paper = check.paperValue;
  if (c.kind === "test") return ours.pass === true;
  if (c.kind === "equal") return ours.value === paper;
  if (typeof ours.value !== "number" || !Number.isFinite(ours.value)) return false;
  if (c.kind === "at-least") return ours.value >= (c.value ?? (paper as number));
  if (c.kind === "at-most") return ours.value <= (c.value ?? (paper as number));
  return Math.abs(ours.value - (paper as number)) <= c.tolerance;
}
