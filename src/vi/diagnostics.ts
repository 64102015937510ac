// Diagnostics of inferred latents, on plain arrays: how many units are in use, and whether
// posterior means separate known classes (the hidden-topic corpus's tables).

/** Variance across rows of each column. rows: N arrays of length U -> U variances. */
export function unitVariances(rows: readonly Float32Array[]): number[] {
  const units = rows[0].length;
  const mean = new Float64Array(units);
  const square = new Float64Array(units);
  for (const row of rows) {
    for (let unit = 0; unit < units; unit++) {
      mean[unit] += row[unit];
      square[unit] += row[unit] * row[unit];
    }
  }
  return Array.from(mean, (total, unit) => {
    const average = total / rows.length;
    return Math.max(0, square[unit] / rows.length - average * average);
  });
}

function squaredDistance(a: Float64Array | Float32Array, b: Float64Array): number {
  let total = 0;
  for (let i = 0; i < b.length; i++) total += (a[i] - b[i]) ** 2;
  return total;
}

/**
 * Leave-one-out nearest-centroid accuracy: each row is assigned the label whose centroid
 * (computed without that row) is nearest; the share assigned its own label.
 */
export function nearestCentroidAccuracy(rows: readonly Float32Array[],
  labels: ArrayLike<number>): number {
  const units = rows[0].length;
  const sums = new Map<number, Float64Array>();
  const counts = new Map<number, number>();
  rows.forEach((row, index) => {
    const label = labels[index];
    const total = sums.get(label) ?? new Float64Array(units);
    row.forEach((value, unit) => { total[unit] += value; });
    sums.set(label, total);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  });

  let correct = 0;
  rows.forEach((row, index) => {
    let best = -1;
    let bestDistance = Infinity;
    for (const [label, total] of sums) {
      const own = label === labels[index];
      const count = (counts.get(label) ?? 0) - (own ? 1 : 0);
      if (count === 0) continue;
      const centroid = total.map((value, unit) => (value - (own ? row[unit] : 0)) / count);
      const distance = squaredDistance(row, centroid);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = label;
      }
    }
    if (best === labels[index]) correct += 1;
  });
  return correct / rows.length;
}
