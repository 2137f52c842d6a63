"""Mitigation: from raw upset rates to rates of consequential events.

Closed forms of ``shared/reference/radiation.md`` section 4 (SEC-DED with and
without scrubbing after Saleh, Serrano & Patel 1990; TMR after Shooman 2002;
configuration-memory TMR after Carmichael et al. 2004), written to stay accurate
when ``lambda * T`` is tiny (binomial tails, not differences of nearly equal
numbers). Notation: ``lam`` upsets per bit per hour, ``n`` bits per codeword,
``words`` codewords, ``period_h`` the scrub period, ``mu`` a scrub or repair rate.
This module knows no engine.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = [
    "birthday_expected_upsets",
    "birthday_median_upsets",
    "describe_code",
    "markov_mttf",
    "mbu_due_rate",
    "secded_due_in_passes",
    "secded_due_rate_periodic",
    "secded_due_rate_random",
    "secded_noscrub_mttf",
    "secded_noscrub_weibull_scale",
    "secded_word_failure",
    "symbol_mbu_due_rate",
    "tmr_config_failure_per_scrub",
    "tmr_mttf",
    "tmr_mttf_repair",
    "tmr_reliability",
]


def secded_word_failure(lam: float, t: float, n: int = 72) -> float:
    """P(a word holds >= 2 flipped bits after time ``t``): ``1 - (1-p)^n - n p (1-p)^(n-1)``.

    Examples
    --------
    >>> f"{secded_word_failure(1e-6, 1.0):.4g}"
    '2.556e-09'
    """
    p = -math.expm1(-lam * t)
    return float(stats.binom.sf(1, n, p))


def secded_due_rate_periodic(words: float, n: int, lam: float, period_h: float) -> float:
    """Uncorrectable errors per hour with deterministic scrubbing every ``period_h``:
    ``words * P_w / T`` (each interval starts from a clean memory)."""
    if lam <= 0:
        return 0.0
    return words * secded_word_failure(lam, period_h, n) / period_h


def secded_due_rate_random(words: float, n: int, lam: float, mu: float) -> float:
    """Uncorrectable errors per hour with exponential scrubbing at rate ``mu``:
    ``words / word_MTTF`` with the exact 3-state chain's
    ``word_MTTF = (mu + (2n - 1) lam) / (n (n - 1) lam^2)``."""
    if lam <= 0:
        return 0.0
    return words * n * (n - 1) * lam**2 / (mu + (2 * n - 1) * lam)


def secded_due_in_passes(
    words: float,
    n: int,
    lam_in: float,
    lam_out: float,
    *,
    pass_h: float,
    period_h: float,
    scrub_h: float,
    kind: str = "periodic",
    passes: int = 0,
    points: int = 8192,
) -> tuple[float, float]:
    """SEC-DED uncorrectable errors per hour when upsets come at ``lam_in`` per bit-hour
    during a pass of ``pass_h`` each ``period_h`` (the SAA; with ``passes``, that many
    consecutive passes a day, then none until the next day) and ``lam_out`` between:
    (in passes, outside them). The count a word sees between two scrubs is Poisson with
    the rate's integral over the interval, which depends on where the interval falls
    on the passes: averaged over a uniform phase (and, for ``kind = "random"``, over
    exponential interval lengths of mean ``scrub_h``). A double error is charged to the
    passes by the share of its pairs of upsets with one in them at least (the
    small-count limit), and the random scrub's rate is the exact constant-rate chain
    times the ratio the passes make. With equal rates it is the orbit-mean formula.

    >>> lam = 1e-6 / 24
    >>> base = secded_due_rate_periodic(2**27, 72, lam, 24.0)
    >>> i, o = secded_due_in_passes(2**27, 72, lam, lam, pass_h=0.1, period_h=1.6, scrub_h=24.0)
    >>> round((i + o) / base, 6)
    1.0
    """
    cycle = 24.0 if passes > 0 else period_h
    runs = max(passes, 1)
    # at least 20 phases across the shorter of a scrub and a pass
    fine = math.ceil(20 * cycle / max(min(scrub_h, pass_h if pass_h > 0 else scrub_h), 1e-9))
    points = min(max(points, fine), 16384 if kind == "random" else 65536)
    phase = (np.arange(points) + 0.5) / points * cycle
    if kind == "random":  # interval lengths at the quantiles of the exponential law
        q = (np.arange(64) + 0.5) / 64
        length = -scrub_h * np.log1p(-q)
    else:
        length = np.array([scrub_h])
    start = phase[:, None]
    end = start + length[None, :]

    def passed(x: np.ndarray) -> np.ndarray:  # hours in passes in [0, x)
        y = np.mod(x, cycle)
        within = sum(np.clip(y - j * period_h, 0.0, pass_h) for j in range(runs))
        return np.floor(x / cycle) * runs * pass_h + within

    t_in = passed(end) - passed(start)
    a_in, a_out = lam_in * t_in, lam_out * (length[None, :] - t_in)
    p = -np.expm1(-(a_in + a_out))
    p_word = stats.binom.sf(1, n, p)
    total = a_in + a_out
    # pairs of upsets with one in a pass at least, over all pairs
    share_in = float((a_in * (a_in + a_out)).sum() / max((total * total).sum(), 1e-300))
    if kind == "random":
        f = runs * pass_h / cycle
        lam_mean = lam_in * f + lam_out * (1.0 - f)
        flat = stats.binom.sf(1, n, -np.expm1(-lam_mean * length)).mean()
        ratio = float(p_word.mean() / flat) if flat > 0 else 1.0
        rate = secded_due_rate_random(words, n, lam_mean, 1.0 / scrub_h) * ratio
    else:
        rate = words * float(p_word.mean()) / scrub_h
    return rate * share_in, rate * (1.0 - share_in)


def secded_noscrub_weibull_scale(words: float, n: int, lam: float) -> float:
    """Weibull scale (shape 2) of the time to the first uncorrectable word without
    scrubbing: ``R(t) = R_w(t)^words ~ exp(-words C(n,2) (lam t)^2)``."""
    return 1.0 / (lam * math.sqrt(words * n * (n - 1) / 2.0))


def secded_noscrub_mttf(words: float, n: int, lam: float) -> float:
    """Mean time to the first uncorrectable word: ``lam^-1 sqrt(pi / (2 M n (n-1)))``."""
    return secded_noscrub_weibull_scale(words, n, lam) * math.sqrt(math.pi) / 2.0


def birthday_expected_upsets(words: int) -> float:
    """Exact expected number of single-bit upsets until two share a word:
    ``1 + sum_k M! / ((M-k)! M^k)``.

    Examples
    --------
    >>> round(birthday_expected_upsets(2**20), 2)
    1284.06
    """
    m = int(words)
    k = np.arange(1, m + 1, dtype=float)
    # log of prod_{i<k} (1 - i/M): terms die out after a few sqrt(M)
    log_terms = np.cumsum(np.log1p(-(k - 1) / m))
    return 1.0 + float(np.exp(log_terms).sum())


def birthday_median_upsets(words: int) -> int:
    """Median number of upsets until two share a word (smallest k with P(K <= k) >= 1/2)."""
    m = int(words)
    k = np.arange(1, m + 1, dtype=float)
    log_survive = np.cumsum(np.log1p(-(k - 1) / m))  # P(K > k) = prod_{i<k} (1 - i/M)
    below = log_survive <= math.log(0.5)
    return int(k[np.argmax(below)]) if below.any() else m + 1


def mbu_due_rate(bits: float, lam: float, fraction: float, span: int, interleave: int) -> float:
    """Uncorrectable errors per hour from multi-bit upsets that SEC-DED cannot fix.

    A share ``fraction`` of upset events flips ``span`` adjacent cells; with
    interleaving distance ``interleave`` they land in ``ceil(span / interleave)``
    bits of one word, which defeats SEC-DED when that is 2 or more (at any scrub rate).
    """
    if fraction <= 0 or span < 2 or math.ceil(span / interleave) < 2:
        return 0.0
    return bits * lam * fraction


def symbol_mbu_due_rate(bits: float, lam: float, fraction: float, span: int, symbol: int) -> float:
    """Uncorrectable errors per hour from multi-bit upsets under a symbol code that
    corrects any error inside one ``symbol``-bit symbol (chipkill, SSC-DSD).

    A burst of ``span`` adjacent cells starting uniformly within a symbol crosses into
    the next one with probability ``(span - 1) / symbol`` (1 once it is longer).

    >>> symbol_mbu_due_rate(1.0, 1.0, 0.5, 2, 4)
    0.125
    """
    if fraction <= 0 or span < 2:
        return 0.0
    return bits * lam * fraction * min(1.0, (span - 1) / symbol)


def describe_code(mem) -> str:
    """One line on a memory's error-correcting code and scrubbing (a
    :class:`reliability.campaign.Memory`)."""
    if mem.ecc == "chipkill":
        code = f"chipkill, {mem.word_bits // mem.symbol_bits} symbols of {mem.symbol_bits} bits"
    else:
        code = f"SEC-DED on {mem.word_bits}-bit words, interleave {mem.interleave}"
        if mem.miscorrect:
            code += f", {mem.miscorrect:g} of 3+ bit bursts miscorrected"
    return code + (f"; scrubbed every {mem.scrub_h:g} h" if mem.scrub_h else "; not scrubbed")


def tmr_reliability(lam: float, t):
    """Reliability of 2-of-3 voting without repair: ``3 R^2 - 2 R^3``, ``R = exp(-lam t)``."""
    r = np.exp(-lam * np.asarray(t, dtype=float))
    return 3 * r**2 - 2 * r**3


def tmr_mttf(lam: float) -> float:
    """MTTF of TMR without repair: ``5 / (6 lam)``."""
    return 5.0 / (6.0 * lam)


def tmr_mttf_repair(lam: float, mu: float) -> float:
    """MTTF of TMR with repair of a failed module at rate ``mu``: ``(5 lam + mu) / (6 lam^2)``."""
    return (5.0 * lam + mu) / (6.0 * lam**2)


def tmr_config_failure_per_scrub(bits: float, lam: float, period_h: float) -> float:
    """Failures per scrub interval of ``bits`` triplicated bits:
    ``N [3 p^2 (1 - p) + p^3]`` with ``p = 1 - exp(-lam T)``."""
    p = -math.expm1(-lam * period_h)
    return bits * float(stats.binom.sf(1, 3, p))


def markov_mttf(generator: np.ndarray, start: int = 0) -> float:
    """Mean time to absorption of a continuous-time Markov chain.

    ``generator`` is the transient part ``Q_TT`` of the generator (rows sum to minus
    the exit rate into the absorbing state); solves ``-Q_TT m = 1``.
    """
    q = np.asarray(generator, dtype=float)
    return float(np.linalg.solve(-q, np.ones(q.shape[0]))[start])
