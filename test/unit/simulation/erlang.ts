/** Known answers of queueing theory for the validation tests. */

/** Erlang C: the probability that an arrival waits, with c servers and offered load a = λ/μ (< c). */
export function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = (term * a) / c;
  const tail = last * (c / (c - a));
  return tail / (sum + tail);
}

/** Mean waiting time in queue of M/M/c (Erlang C), in the unit of 1/μ. */
export function mmcMeanWait(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}
