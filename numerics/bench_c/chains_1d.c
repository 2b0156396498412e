/* C reference for the benchmark of numerics.chains_1d (see numerics/bench.py).
 *
 * The same computation as the project's kernel, written as one would in C: independent
 * chains x' = x - a f(x) + b s(x) xi with f, s polynomials (Horner, coefficient arrays,
 * lowest degree first), xoshiro256++ streams and the 256-layer ziggurat of numpy
 * (tables and seeded states passed in from numerics.rng, so every chain draws the same
 * numbers as in the numba kernel), OpenMP over chains, dynamic schedule (as the
 * project's kernel: on a loaded machine a static split waits for the slowest thread).
 *
 * Three variants:
 *   chains_scalar: one chain at a time per thread (the textbook loop);
 *   chains_lanes:  LANES chains in lockstep per thread, separate loops, vectorised
 *                  ziggurat with gathers (the project kernel's first lockstep layout);
 *   chains_fused:  the project kernel's algorithm transcribed: 64 lanes, one fused lane
 *                  loop (xoshiro, ziggurat fast path, Horner, update), scalar table
 *                  look-ups, slow path by lane bitmask, block-local histograms.
 * Compile with -ffp-contract=off so that results are bit-identical to the numba kernel
 * (which never fuses multiply-adds); the benchmark checks that they are.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#define LANES 16

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t xoshiro(uint64_t *s) {
    uint64_t result = rotl(s[0] + s[3], 23) + s[0];
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static inline double uniform(uint64_t *s) {
    return (double)(xoshiro(s) >> 11) * (1.0 / 9007199254740992.0);
}

typedef struct {
    const uint64_t *ki;
    const double *wi, *fi;
    double r, inv_r;
} zig_t;

/* The ziggurat from a first 64-bit output r that missed its rectangle. */
static double normal_slow(uint64_t *s, uint64_t r, const zig_t *z) {
    for (;;) {
        int idx = (int)(r & 0xFF);
        r >>= 8;
        int negative = (int)(r & 1);
        uint64_t rabs = (r >> 1) & 0x000FFFFFFFFFFFFFULL;
        double x = (double)rabs * z->wi[idx];
        if (negative) x = -x;
        if (rabs < z->ki[idx]) return x;
        if (idx == 0) {
            for (;;) {
                double xx = -z->inv_r * log1p(-uniform(s));
                double yy = -log1p(-uniform(s));
                if (yy + yy > xx * xx)
                    return ((rabs >> 8) & 1) ? -(z->r + xx) : z->r + xx;
            }
        } else if ((z->fi[idx - 1] - z->fi[idx]) * uniform(s) + z->fi[idx] < exp(-0.5 * x * x)) {
            return x;
        }
        r = xoshiro(s);
    }
}

static inline double normal(uint64_t *s, const zig_t *z) {
    uint64_t r = xoshiro(s);
    int idx = (int)(r & 0xFF);
    uint64_t q = r >> 8;
    uint64_t rabs = (q >> 1) & 0x000FFFFFFFFFFFFFULL;
    double x = (double)rabs * z->wi[idx];
    if (rabs < z->ki[idx]) return (q & 1) ? -x : x;
    return normal_slow(s, r, z);
}

static inline double horner(const double *c, int n, double x) {
    double acc = c[n - 1];
    for (int k = n - 2; k >= 0; k--) acc = acc * x + c[k];
    return acc;
}

static inline void accumulate(double x, double *mom, int n_moments, int32_t *hist,
                              double lo, double hi, double inv_width, int n_bins) {
    double p = 1.0;
    for (int k = 0; k < n_moments; k++) {
        p *= x;
        mom[k] += p;
    }
    if (lo <= x && x < hi) {
        int j = (int)((x - lo) * inv_width);
        if (j < n_bins) hist[j] += 1;
    }
}

/* One chain, all its steps; returns 1 if it left |x| <= escape, else 0. */
static int one_chain(int c, int n_steps, int burn_in, const double *x0, const double *f,
                     int nf, const double *s, int ns, double a, double b, double escape,
                     uint64_t *states, const zig_t *z, double lo, double hi,
                     double inv_width, int n_bins, int n_moments, double *moments,
                     int32_t *hist, double *final) {
    uint64_t st[4];
    memcpy(st, states + 4 * (size_t)c, sizeof st);
    double *mom = moments + (size_t)c * n_moments;
    int32_t *h = hist + (size_t)c * n_bins;
    double x = x0[c];
    int bad = 0;
    for (int t = 0; t < n_steps; t++) {
        x = x - a * horner(f, nf, x) + b * horner(s, ns, x) * normal(st, z);
        if (!(fabs(x) <= escape)) {
            bad = 1;
            break;
        }
        if (t >= burn_in) accumulate(x, mom, n_moments, h, lo, hi, inv_width, n_bins);
    }
    final[c] = x;
    for (int k = 0; k < n_moments; k++) mom[k] /= (n_steps - burn_in);
    memcpy(states + 4 * (size_t)c, st, sizeof st);
    return bad;
}

/* Returns the number of chains that left |x| <= escape (0 on success). */
int chains_scalar(int n_threads, int n_chains, int n_steps, int burn_in, const double *x0,
                  const double *f, int nf, const double *s, int ns, double a, double b,
                  double escape, uint64_t *states, const uint64_t *ki, const double *wi,
                  const double *fi, double zr, double lo, double hi, int n_bins,
                  int n_moments, double *moments, int32_t *hist, double *final) {
    zig_t z = {ki, wi, fi, zr, 1.0 / zr};
    double inv_width = n_bins / (hi - lo);
    int bad = 0;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 64) reduction(+ : bad)
    for (int c = 0; c < n_chains; c++)
        bad += one_chain(c, n_steps, burn_in, x0, f, nf, s, ns, a, b, escape, states, &z, lo,
                         hi, inv_width, n_bins, n_moments, moments, hist, final);
    return bad;
}

/* LANES chains per thread in lockstep, states transposed; the same numbers per chain. */
int chains_lanes(int n_threads, int n_chains, int n_steps, int burn_in, const double *x0,
                 const double *f, int nf, const double *s, int ns, double a, double b,
                 double escape, uint64_t *states, const uint64_t *ki, const double *wi,
                 const double *fi, double zr, double lo, double hi, int n_bins,
                 int n_moments, double *moments, int32_t *hist, double *final) {
    zig_t z = {ki, wi, fi, zr, 1.0 / zr};
    double inv_width = n_bins / (hi - lo);
    int n_blocks = (n_chains + LANES - 1) / LANES;
    int bad = 0;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1) reduction(+ : bad)
    for (int blk = 0; blk < n_blocks; blk++) {
        int c0 = blk * LANES;
        int m = n_chains - c0 < LANES ? n_chains - c0 : LANES;
        if (m < LANES) { /* remainder: chain by chain */
            for (int c = c0; c < n_chains; c++)
                bad += one_chain(c, n_steps, burn_in, x0, f, nf, s, ns, a, b, escape, states,
                                 &z, lo, hi, inv_width, n_bins, n_moments, moments, hist,
                                 final);
            continue;
        }
        uint64_t s0[LANES], s1[LANES], s2[LANES], s3[LANES], raw[LANES];
        double x[LANES], zz[LANES], fx[LANES], sx[LANES], acc[16][LANES];
        for (int l = 0; l < LANES; l++) {
            s0[l] = states[4 * (size_t)(c0 + l)];
            s1[l] = states[4 * (size_t)(c0 + l) + 1];
            s2[l] = states[4 * (size_t)(c0 + l) + 2];
            s3[l] = states[4 * (size_t)(c0 + l) + 3];
            x[l] = x0[c0 + l];
        }
        memset(acc, 0, sizeof acc);
        int stopped = 0;
        for (int t = 0; t < n_steps && !stopped; t++) {
            int misses = 0;
            for (int l = 0; l < LANES; l++) {
                uint64_t r = rotl(s0[l] + s3[l], 23) + s0[l];
                uint64_t tt = s1[l] << 17;
                s2[l] ^= s0[l];
                s3[l] ^= s1[l];
                s1[l] ^= s2[l];
                s0[l] ^= s3[l];
                s2[l] ^= tt;
                s3[l] = rotl(s3[l], 45);
                raw[l] = r;
                int idx = (int)(r & 0xFF);
                uint64_t q = r >> 8;
                uint64_t rabs = (q >> 1) & 0x000FFFFFFFFFFFFFULL;
                double v = (double)rabs * wi[idx];
                zz[l] = (q & 1) ? -v : v;
                misses += rabs >= ki[idx];
            }
            if (misses) {
                for (int l = 0; l < LANES; l++) {
                    uint64_t r = raw[l];
                    if (((r >> 9) & 0x000FFFFFFFFFFFFFULL) >= ki[r & 0xFF]) {
                        uint64_t st[4] = {s0[l], s1[l], s2[l], s3[l]};
                        zz[l] = normal_slow(st, r, &z);
                        s0[l] = st[0]; s1[l] = st[1]; s2[l] = st[2]; s3[l] = st[3];
                    }
                }
            }
            for (int l = 0; l < LANES; l++) fx[l] = f[nf - 1];
            for (int k = nf - 2; k >= 0; k--)
                for (int l = 0; l < LANES; l++) fx[l] = fx[l] * x[l] + f[k];
            for (int l = 0; l < LANES; l++) sx[l] = s[ns - 1];
            for (int k = ns - 2; k >= 0; k--)
                for (int l = 0; l < LANES; l++) sx[l] = sx[l] * x[l] + s[k];
            int escaped = 0;
            for (int l = 0; l < LANES; l++) {
                x[l] = x[l] - a * fx[l] + b * sx[l] * zz[l];
                escaped += !(fabs(x[l]) <= escape);
            }
            if (escaped) { /* the benchmark's workload never escapes; count and stop */
                bad += escaped;
                stopped = 1;
                break;
            }
            if (t >= burn_in) {
                double p[LANES];
                for (int l = 0; l < LANES; l++) {
                    p[l] = x[l];
                    acc[0][l] += p[l];
                }
                for (int k = 1; k < n_moments; k++)
                    for (int l = 0; l < LANES; l++) {
                        p[l] *= x[l];
                        acc[k][l] += p[l];
                    }
                for (int l = 0; l < LANES; l++) {
                    double xl = x[l];
                    if (lo <= xl && xl < hi) {
                        int j = (int)((xl - lo) * inv_width);
                        if (j < n_bins) hist[(size_t)(c0 + l) * n_bins + j] += 1;
                    }
                }
            }
        }
        for (int l = 0; l < LANES; l++) {
            final[c0 + l] = x[l];
            for (int k = 0; k < n_moments; k++)
                moments[(size_t)(c0 + l) * n_moments + k] = acc[k][l] / (n_steps - burn_in);
            states[4 * (size_t)(c0 + l)] = s0[l];
            states[4 * (size_t)(c0 + l) + 1] = s1[l];
            states[4 * (size_t)(c0 + l) + 2] = s2[l];
            states[4 * (size_t)(c0 + l) + 3] = s3[l];
        }
    }
    return bad;
}


/* --- chains_fused: the numba kernel's algorithm in C (drift <= cubic, constant noise) --- */
#define FL 64

/* An empty asm statement keeps GCC from vectorising the look-up loop (gathers are slow). */
#define NO_VECTORIZE() __asm__ volatile("")

int chains_fused(int n_threads, int n_chains, int n_steps, int burn_in, const double *x0,
                 const double *f4, const double *s1, double a, double b, double escape,
                 uint64_t *states, const uint64_t *ki, const double *wi, const double *fi,
                 double zr, double lo, double hi, int n_bins, int n_moments, double *moments,
                 int64_t *hist, double *final) {
    zig_t z = {ki, wi, fi, zr, 1.0 / zr};
    double inv_width = n_bins / (hi - lo);
    double kf[256];
    for (int i = 0; i < 256; i++) kf[i] = (double)ki[i];
    int n_blocks = (n_chains + FL - 1) / FL;
    int bad = 0;
    const double f0 = f4[0], f1 = f4[1], f2 = f4[2], f3 = f4[3], g0 = b * s1[0];
    const double nbd = n_bins;
    const int64_t nbl = n_bins;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1) reduction(+ : bad)
    for (int blk = 0; blk < n_blocks; blk++) {
        int c0 = blk * FL;
        int m = n_chains - c0 < FL ? n_chains - c0 : FL;
        int mm = (m + 7) / 8 * 8;
        uint64_t st[4][FL], raw[FL], bin[FL], miss[FL];
        double x[FL], d[FL], tw[FL], tk[FL], acc[4][FL];
        int64_t *h = hist + (size_t)blk * 4 * (n_bins + 1);
        for (int l = 0; l < mm; l++) {
            int c = c0 + (l < m ? l : 0);
            for (int j = 0; j < 4; j++) st[j][l] = states[4 * (size_t)c + j];
            x[l] = x0[c];
            for (int k = 0; k < 4; k++) acc[k][l] = 0.0;
        }
        for (int t = 0; t < n_steps; t++) {
            for (int l = 0; l < mm; l++) {
                uint64_t s0 = st[0][l], s1_ = st[1][l], s2 = st[2][l], s3 = st[3][l];
                raw[l] = rotl(s0 + s3, 23) + s0;
                uint64_t tt = s1_ << 17;
                s2 ^= s0; s3 ^= s1_; s1_ ^= s2; s0 ^= s3; s2 ^= tt; s3 = rotl(s3, 45);
                st[0][l] = s0; st[1][l] = s1_; st[2][l] = s2; st[3][l] = s3;
            }
            for (int l = 0; l < mm; l++) {
                NO_VECTORIZE();
                int idx = (int)(raw[l] & 0xFF);
                tw[l] = wi[idx];
                tk[l] = kf[idx];
            }
            for (int l = 0; l < mm; l++) {
                uint64_t q = raw[l] >> 8;
                double rabs = (double)(int64_t)((q >> 1) & 0x000FFFFFFFFFFFFFULL);
                double v = rabs * tw[l];
                double zz = (q & 1) ? -v : v;
                miss[l] = !(rabs < tk[l]);
                double xl = x[l];
                double dl = xl - a * (((f3 * xl + f2) * xl + f1) * xl + f0);
                d[l] = dl;
                x[l] = dl + g0 * zz;
            }
            uint64_t misses = 0;
            for (int l = 0; l < mm; l++) misses |= miss[l] << l;
            while (misses) {
                int l = __builtin_ctzll(misses);
                misses &= misses - 1;
                uint64_t s4[4] = {st[0][l], st[1][l], st[2][l], st[3][l]};
                double zz = normal_slow(s4, raw[l], &z);
                st[0][l] = s4[0]; st[1][l] = s4[1]; st[2][l] = s4[2]; st[3][l] = s4[3];
                x[l] = d[l] + g0 * zz;
            }
            int escaped = 0;
            for (int l = 0; l < mm; l++) escaped += !(fabs(x[l]) <= escape);
            if (escaped) { /* the benchmark's workload never escapes; count and stop */
                bad += escaped;
                break;
            }
            if (t >= burn_in) {
                for (int l = 0; l < mm; l++) {
                    double xl = x[l], p = xl;
                    acc[0][l] += p;
                    p *= xl;
                    acc[1][l] += p;
                    p *= xl;
                    acc[2][l] += p;
                    p *= xl;
                    acc[3][l] += p;
                    double v = (xl - lo) * inv_width;
                    v = v > 0.0 ? v : 0.0;
                    v = v < nbd ? v : nbd;
                    int64_t j = (int64_t)v;
                    bin[l] = (lo <= xl) & (xl < hi) & (j < nbl) ? (uint64_t)j : (uint64_t)nbl;
                }
                for (int l = 0; l < m; l++) h[(size_t)(l % 4) * (n_bins + 1) + bin[l]] += 1;
            }
        }
        for (int l = 0; l < m; l++) {
            final[c0 + l] = x[l];
            for (int k = 0; k < n_moments && k < 4; k++)
                moments[(size_t)(c0 + l) * n_moments + k] = acc[k][l] / (n_steps - burn_in);
            for (int j = 0; j < 4; j++) states[4 * (size_t)(c0 + l) + j] = st[j][l];
        }
    }
    return bad;
}
