/** Thrown for a bad command-line value; the CLI prints its message as one line and exits 2. */
export class FlagError extends Error {
  constructor(
    readonly flag: string,
    problem: string,
  ) {
    super(`${flag} ${problem}`);
  }
}

export function parseInteger(flag: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new FlagError(flag, `must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

export function parseNumber(flag: string, raw: string, min: number): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < min) {
    throw new FlagError(flag, `must be a number >= ${min}, got "${raw}"`);
  }
  return value;
}

export function parseName<T extends string>(flag: string, raw: string, known: readonly T[]): T {
  if (!(known as readonly string[]).includes(raw)) {
    throw new FlagError(flag, `got unknown name "${raw}"; known: ${known.join(", ")}`);
  }
  return raw as T;
}
