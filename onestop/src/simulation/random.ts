/**
 * A seeded pseudo-random source for the simulation: xoshiro128** (Blackman and
 * Vigna, 2018; period 2^128 − 1), seeded through splitmix32 so that nearby seeds
 * give unrelated streams. Written here rather than taken from a package because it
 * is a dozen lines and the hot loop wants it inlined; nothing reads Math.random or
 * the clock, so a seed reproduces a run exactly.
 */

/** Uniform and derived draws from one seeded stream. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      // splitmix32
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in (0, 1): never 0, so a logarithm of it is finite. */
  uniform(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(this.uniform());
  }

  /** Standard normal (Box–Muller; one of the pair is dropped to keep the stream stateless). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Triangular on [min, max] with the given mode (inverse CDF). */
  triangular(min: number, mode: number, max: number): number {
    const u = this.uniform();
    const span = max - min;
    if (span <= 0) return min;
    const f = (mode - min) / span;
    return u < f ? min + Math.sqrt(u * span * (mode - min)) : max - Math.sqrt((1 - u) * span * (max - mode));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
