/** Plain-text table with right-aligned numbers, for terminal output. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, alignNumbers = true): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (alignNumbers && /^-?[\d.,]+(e[-+]?\d+)?%?$|^-$/.test(c) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n";
}

export function fmt(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "-";
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(digits)).toString();
}

/** `value` with `decimals` fixed decimals; "-" for a missing or non-finite value (the scripts' tables). */
export function fixed(value: number | null | undefined, decimals: number): string {
  return value !== null && value !== undefined && Number.isFinite(value) ? value.toFixed(decimals) : "-";
}

/** A regret: three decimals from 0.01 up (and 0), else one significant digit in exponent form (1.2e-4). */
export function regretText(value: number): string {
  return Math.abs(value) >= 0.01 || value === 0 ? value.toFixed(3) : value.toExponential(1);
}
