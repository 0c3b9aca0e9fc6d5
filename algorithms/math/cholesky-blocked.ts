/**
 * The Cholesky factor and the inverse from it, on flat row-major Float64Arrays, computed
 * several rows (or columns) at a time so that the dot products do not wait on one another,
 * while every entry's sum still runs over the same terms in the same order as the one-at-a-time
 * loops (JAMA's Cholesky-Banachiewicz, as ml-matrix has it): the floats are the same to the
 * bit (issue 14, round 4; test/algorithms/math/cholesky-blocked.test.ts compares them with the
 * plain loops). Only the lower triangles are read and written, so buffers can be reused
 * without clearing.
 */

/**
 * Writes the lower Cholesky factor of the symmetric matrix whose lower triangle is in `a`
 * into the lower triangle of `l` (diagonal included); false when it is not positive definite.
 */
export function choleskyInto(a: Float64Array, n: number, l: Float64Array): boolean {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const r0 = j * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    // Entries k < j of four rows at once: row k is complete, and each row's sum runs i = 0..k-1.
    for (let k = 0; k < j; k++) {
      const rowK = k * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < k; i++) {
        const lk = l[rowK + i] as number;
        s0 += lk * (l[r0 + i] as number);
        s1 += lk * (l[r1 + i] as number);
        s2 += lk * (l[r2 + i] as number);
        s3 += lk * (l[r3 + i] as number);
      }
      const diagonal = l[rowK + k] as number;
      s0 = ((a[r0 + k] as number) - s0) / diagonal;
      l[r0 + k] = s0;
      d0 = d0 + s0 * s0;
      s1 = ((a[r1 + k] as number) - s1) / diagonal;
      l[r1 + k] = s1;
      d1 = d1 + s1 * s1;
      s2 = ((a[r2 + k] as number) - s2) / diagonal;
      l[r2 + k] = s2;
      d2 = d2 + s2 * s2;
      s3 = ((a[r3 + k] as number) - s3) / diagonal;
      l[r3 + k] = s3;
      d3 = d3 + s3 * s3;
    }
    // The entries inside the block of four, row by row (each needs the rows above it).
    if (!finishRow(a, n, l, j, j, d0)) return false;
    if (!finishRow(a, n, l, j + 1, j, d1)) return false;
    if (!finishRow(a, n, l, j + 2, j, d2)) return false;
    if (!finishRow(a, n, l, j + 3, j, d3)) return false;
  }
  for (; j < n; j++) if (!finishRow(a, n, l, j, 0, 0)) return false;
  return true;
}

/** Row j's entries k = from..j-1 and its diagonal, continuing the sum of squares d. */
function finishRow(a: Float64Array, n: number, l: Float64Array, j: number, from: number, d: number): boolean {
  const rowJ = j * n;
  for (let k = from; k < j; k++) {
    const rowK = k * n;
    let s = 0;
    for (let i = 0; i < k; i++) s += (l[rowK + i] as number) * (l[rowJ + i] as number);
    s = ((a[rowJ + k] as number) - s) / (l[rowK + k] as number);
    l[rowJ + k] = s;
    d = d + s * s;
  }
  d = (a[rowJ + j] as number) - d;
  if (!(d > 0)) return false;
  l[rowJ + j] = Math.sqrt(d);
  return true;
}

/**
 * The lower triangle of K^{-1} = L^{-T} L^{-1} into `out` (entry (i, j), j <= i, at i * n + j),
 * using `lInvColumns` (n x n) as scratch: column c of L^{-1} at c * n, rows c..n-1.
 */
export function choleskyInverseLowerInto(l: Float64Array, n: number, lInvColumns: Float64Array, out: Float64Array): void {
  // Columns of L^{-1} by forward solves; column c starts at row c (the skipped terms would
  // subtract exact zeros from +0). Four columns at a time share the loads of row i of L.
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    for (let cc = c; cc < c + 4; cc++) solveColumn(l, n, lInvColumns, cc, c + 4);
    const k0 = c * n;
    const k1 = k0 + n;
    const k2 = k1 + n;
    const k3 = k2 + n;
    // Rows i and i + 1 together: both run j = c + 3..i-1 jointly (sharing the loads of the
    // four columns); row i + 1's last term (j = i) needs row i's result and enters after it.
    let i = c + 4;
    for (; i + 2 <= n; i += 2) {
      const row = i * n;
      const row1 = row + n;
      // Column c + q's sum runs j = c + q..: the first three terms enter one column at a time.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      const x00 = lInvColumns[k0 + c] as number;
      const x01 = lInvColumns[k0 + c + 1] as number;
      const x11 = lInvColumns[k1 + c + 1] as number;
      const x02 = lInvColumns[k0 + c + 2] as number;
      const x12 = lInvColumns[k1 + c + 2] as number;
      const x22 = lInvColumns[k2 + c + 2] as number;
      const l0 = l[row + c] as number;
      s0 -= l0 * x00;
      const l1 = l[row + c + 1] as number;
      s0 -= l1 * x01;
      s1 -= l1 * x11;
      const l2 = l[row + c + 2] as number;
      s0 -= l2 * x02;
      s1 -= l2 * x12;
      s2 -= l2 * x22;
      const m0 = l[row1 + c] as number;
      t0 -= m0 * x00;
      const m1 = l[row1 + c + 1] as number;
      t0 -= m1 * x01;
      t1 -= m1 * x11;
      const m2 = l[row1 + c + 2] as number;
      t0 -= m2 * x02;
      t1 -= m2 * x12;
      t2 -= m2 * x22;
      for (let j = c + 3; j < i; j++) {
        const lij = l[row + j] as number;
        const mij = l[row1 + j] as number;
        const y0 = lInvColumns[k0 + j] as number;
        const y1 = lInvColumns[k1 + j] as number;
        const y2 = lInvColumns[k2 + j] as number;
        const y3 = lInvColumns[k3 + j] as number;
        s0 -= lij * y0;
        s1 -= lij * y1;
        s2 -= lij * y2;
        s3 -= lij * y3;
        t0 -= mij * y0;
        t1 -= mij * y1;
        t2 -= mij * y2;
        t3 -= mij * y3;
      }
      const diagonal = l[row + i] as number;
      const z0 = s0 / diagonal;
      const z1 = s1 / diagonal;
      const z2 = s2 / diagonal;
      const z3 = s3 / diagonal;
      lInvColumns[k0 + i] = z0;
      lInvColumns[k1 + i] = z1;
      lInvColumns[k2 + i] = z2;
      lInvColumns[k3 + i] = z3;
      const mi = l[row1 + i] as number;
      t0 -= mi * z0;
      t1 -= mi * z1;
      t2 -= mi * z2;
      t3 -= mi * z3;
      const diagonal1 = l[row1 + i + 1] as number;
      lInvColumns[k0 + i + 1] = t0 / diagonal1;
      lInvColumns[k1 + i + 1] = t1 / diagonal1;
      lInvColumns[k2 + i + 1] = t2 / diagonal1;
      lInvColumns[k3 + i + 1] = t3 / diagonal1;
    }
    for (; i < n; i++) {
      const row = i * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const l0 = l[row + c] as number;
      s0 -= l0 * (lInvColumns[k0 + c] as number);
      const l1 = l[row + c + 1] as number;
      s0 -= l1 * (lInvColumns[k0 + c + 1] as number);
      s1 -= l1 * (lInvColumns[k1 + c + 1] as number);
      const l2 = l[row + c + 2] as number;
      s0 -= l2 * (lInvColumns[k0 + c + 2] as number);
      s1 -= l2 * (lInvColumns[k1 + c + 2] as number);
      s2 -= l2 * (lInvColumns[k2 + c + 2] as number);
      for (let j = c + 3; j < i; j++) {
        const lij = l[row + j] as number;
        s0 -= lij * (lInvColumns[k0 + j] as number);
        s1 -= lij * (lInvColumns[k1 + j] as number);
        s2 -= lij * (lInvColumns[k2 + j] as number);
        s3 -= lij * (lInvColumns[k3 + j] as number);
      }
      const diagonal = l[row + i] as number;
      lInvColumns[k0 + i] = s0 / diagonal;
      lInvColumns[k1 + i] = s1 / diagonal;
      lInvColumns[k2 + i] = s2 / diagonal;
      lInvColumns[k3 + i] = s3 / diagonal;
    }
  }
  for (; c < n; c++) solveColumn(l, n, lInvColumns, c, n);

  // The product, two rows i, i + 1 at a time for the columns j of whole blocks of four below
  // both: row i's sums take their r = i term first, then both rows run r = i + 1..n-1 together
  // (each sum still over r ascending, so the same floats), sharing the loads of the columns j.
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const columnI = i * n;
    const columnI1 = columnI + n;
    let j = 0;
    for (; j + 3 <= i; j += 4) {
      const c0 = j * n;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      const ai = lInvColumns[columnI + i] as number;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      s0 += ai * (lInvColumns[c0 + i] as number);
      s1 += ai * (lInvColumns[c1 + i] as number);
      s2 += ai * (lInvColumns[c2 + i] as number);
      s3 += ai * (lInvColumns[c3 + i] as number);
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let r = i + 1; r < n; r++) {
        const a = lInvColumns[columnI + r] as number;
        const b = lInvColumns[columnI1 + r] as number;
        const x0 = lInvColumns[c0 + r] as number;
        const x1 = lInvColumns[c1 + r] as number;
        const x2 = lInvColumns[c2 + r] as number;
        const x3 = lInvColumns[c3 + r] as number;
        s0 += a * x0;
        s1 += a * x1;
        s2 += a * x2;
        s3 += a * x3;
        t0 += b * x0;
        t1 += b * x1;
        t2 += b * x2;
        t3 += b * x3;
      }
      const rowOut = i * n;
      out[rowOut + j] = s0;
      out[rowOut + j + 1] = s1;
      out[rowOut + j + 2] = s2;
      out[rowOut + j + 3] = s3;
      const rowOut1 = rowOut + n;
      out[rowOut1 + j] = t0;
      out[rowOut1 + j + 1] = t1;
      out[rowOut1 + j + 2] = t2;
      out[rowOut1 + j + 3] = t3;
    }
    productRow(lInvColumns, n, out, i, j);
    productRow(lInvColumns, n, out, i + 1, j);
  }
  for (; i < n; i++) productRow(lInvColumns, n, out, i, 0);
}

/** Entries (i, j) for j = from..i of L^{-T} L^{-1}, each the sum over r = i..n-1 in order. */
function productRow(lInvColumns: Float64Array, n: number, out: Float64Array, i: number, from: number): void {
  const columnI = i * n;
  const rowOut = i * n;
  // Four entries at a time: independent sums, so they do not wait on one another.
  let j = from;
  for (; j + 3 <= i; j += 4) {
    const c0 = j * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let r = i; r < n; r++) {
      const a = lInvColumns[columnI + r] as number;
      s0 += a * (lInvColumns[c0 + r] as number);
      s1 += a * (lInvColumns[c1 + r] as number);
      s2 += a * (lInvColumns[c2 + r] as number);
      s3 += a * (lInvColumns[c3 + r] as number);
    }
    out[rowOut + j] = s0;
    out[rowOut + j + 1] = s1;
    out[rowOut + j + 2] = s2;
    out[rowOut + j + 3] = s3;
  }
  for (; j <= i; j++) {
    const columnJ = j * n;
    let s = 0;
    for (let r = i; r < n; r++) s += (lInvColumns[columnI + r] as number) * (lInvColumns[columnJ + r] as number);
    out[rowOut + j] = s;
  }
}

/** Rows c..to-1 of column c of L^{-1}, one at a time. */
function solveColumn(l: Float64Array, n: number, lInvColumns: Float64Array, c: number, to: number): void {
  const column = c * n;
  for (let i = c; i < to; i++) {
    let s = i === c ? 1 : 0;
    const row = i * n;
    for (let j = c; j < i; j++) s -= (l[row + j] as number) * (lInvColumns[column + j] as number);
    lInvColumns[column + i] = s / (l[row + i] as number);
  }
}
