import { fromCSV } from "arquero";
import { checkNumber, nonEmptyString, OptionError } from "../../core/errors/index.ts";

/** One line of an availability trace: from `time` on, `available` spot instances of `type` can exist (and cost `price` per hour). */
export interface AvailabilityPoint {
  readonly time: number;
  readonly type: string;
  readonly available: number;
  /** Spot price per node-hour from this time on; absent: the node type's own price. */
  readonly price?: number;
}

const COLUMNS = ["time", "type", "available"] as const;

/**
 * Parses a user's availability trace: CSV with a header `time,type,available` and
 * an optional `price` column (seconds since the start, node type name, instance
 * count, dollars per node-hour). Every bad cell fails with the field, line and column.
 */
export function parseAvailabilityCsv(field: string, text: string): AvailabilityPoint[] {
  if (text.trim() === "") throw new OptionError(field, "is empty; need a CSV with the header time,type,available[,price]");
  // autoType off: every cell stays a string, checked here with a message naming its line.
  const table = fromCSV(text, { autoType: false });
  const names = table.columnNames();
  for (const column of COLUMNS) {
    if (!names.includes(column)) throw new OptionError(field, `has no "${column}" column (header: ${names.join(",")}); need time,type,available[,price]`);
  }
  const unknown = names.filter((n) => !(COLUMNS as readonly string[]).includes(n) && n !== "price");
  if (unknown.length > 0) throw new OptionError(field, `has unknown column "${unknown[0]}"; columns are time,type,available[,price]`);
  const hasPrice = names.includes("price");
  // Empty cells come back as null.
  const rows = table.objects() as Array<Record<string, string | null | undefined>>;
  return checkAvailability(
    field,
    rows.map((row, i) => {
      const at = `${field} line ${i + 2}`;
      const cell = (column: string) => (row[column] ?? "").trim();
      const num = (column: string, bounds: { min: number; integer?: boolean }) => {
        const raw = cell(column);
        const value = raw === "" ? Number.NaN : Number(raw);
        if (Number.isNaN(value)) throw new OptionError(`${at} column ${column}`, `must be a number, got ${JSON.stringify(raw)}`);
        return checkNumber(`${at} column ${column}`, value, bounds);
      };
      return {
        time: num("time", { min: 0 }),
        type: nonEmptyString(`${at} column type`, cell("type")),
        available: num("available", { min: 0, integer: true }),
        ...(hasPrice && cell("price") !== "" ? { price: num("price", { min: 0 }) } : {}),
      };
    }),
  );
}

/** Checks points given as objects (the API form) and sorts them by time, stably. */
export function checkAvailability(field: string, points: readonly AvailabilityPoint[]): AvailabilityPoint[] {
  if (points.length === 0) throw new OptionError(field, "has no points; need at least one (time, type, available)");
  const checked = points.map((p, i) => {
    const at = `${field}[${i}]`;
    return {
      time: checkNumber(`${at}.time`, p.time, { min: 0 }),
      type: nonEmptyString(`${at}.type`, p.type),
      available: checkNumber(`${at}.available`, p.available, { min: 0, integer: true }),
      ...(p.price !== undefined ? { price: checkNumber(`${at}.price`, p.price, { min: 0 }) } : {}),
    };
  });
  return checked.map((p, i) => ({ p, i })).sort((a, b) => a.p.time - b.p.time || a.i - b.i).map(({ p }) => p);
}

/**
 * A trace's step functions per node type: availability and price as of any time.
 * Before a type's first point, its availability is unlimited and its price is the type's own.
 */
export class AvailabilitySchedule {
  private readonly byType = new Map<string, AvailabilityPoint[]>();

  constructor(readonly points: readonly AvailabilityPoint[]) {
    for (const p of points) {
      const list = this.byType.get(p.type) ?? [];
      list.push(p);
      this.byType.set(p.type, list);
    }
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  /** The point in force for `type` at `time` (the last at or before it). */
  private at(type: string, time: number): AvailabilityPoint | undefined {
    const list = this.byType.get(type);
    if (!list) return undefined;
    let found: AvailabilityPoint | undefined;
    for (const p of list) {
      if (p.time > time) break;
      found = p;
    }
    return found;
  }

  available(type: string, time: number): number {
    return this.at(type, time)?.available ?? Number.POSITIVE_INFINITY;
  }

  /** The spot price at `time`, or undefined where the trace gives none. */
  price(type: string, time: number): number | undefined {
    const list = this.byType.get(type);
    if (!list) return undefined;
    let found: number | undefined;
    for (const p of list) {
      if (p.time > time) break;
      if (p.price !== undefined) found = p.price;
    }
    return found;
  }

  /** Integral of the price over [from, to] in dollars (hours x price), `fallback` where the trace gives no price. */
  cost(type: string, from: number, to: number, fallback: number): number {
    if (!(to > from)) return 0;
    const list = this.byType.get(type) ?? [];
    let total = 0;
    let t = from;
    let price = this.price(type, from) ?? fallback;
    for (const p of list) {
      if (p.time <= from || p.price === undefined) continue;
      if (p.time >= to) break;
      total += ((p.time - t) / 3600) * price;
      t = p.time;
      price = p.price;
    }
    return total + ((to - t) / 3600) * price;
  }

  /** The first time after `time` at which `type` has more than `count` instances available, or undefined. */
  nextRise(type: string, time: number, count: number): number | undefined {
    for (const p of this.byType.get(type) ?? []) if (p.time > time && p.available > count) return p.time;
    return undefined;
  }
}
