"""Produce ``inference_reference.json``: inputs and independently computed test statistics.

Run from the repository root::

    python tests/reference/make_inference_reference.py

The inputs are small market-model event studies fitted with statsmodels OLS
(not with eventstudy's engine), one without and one with missing returns.
Every statistic is recomputed here from its textbook formula with explicit
Python loops, pandas, scipy.stats or statsmodels, and never with
``eventstudy.inference``. The tests load the JSON file, rebuild the
``EventPanel`` from the stored inputs and compare.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

HERE = Path(__file__).resolve().parent
OUT = HERE / "inference_reference.json"

N_EVENTS, M_EST, REL_DAYS = 6, 15, list(range(-2, 3))
WINDOWS = [(-1, 1), (0, 0), (-2, 2)]
N_BOOT = 999

# (case, window, bmp_standardize, rank_scale, sign_pvalue)
SCENARIOS = [
    ("clean", (-1, 1), "prediction", "T", "exact"),
    ("clean", (-1, 1), "sigma", "T-1", "normal"),
    ("clean", (0, 0), "prediction", "T", "exact"),
    ("clean", (-2, 2), "sigma", "T", "exact"),
    ("missing", (-2, 2), "prediction", "T", "exact"),
    ("missing", (0, 0), "sigma", "T-1", "normal"),
]


# ---------------------------------------------------------------- inputs
def make_case(seed: int, with_missing: bool) -> dict:
    """Fit a market model per event with statsmodels; return the panel inputs."""
    rng = np.random.default_rng(seed)
    length = len(REL_DAYS)
    out = {k: [] for k in ("event_ar", "event_ar_var", "est_ar", "sigma", "n_obs", "cov")}
    for i in range(N_EVENTS):
        mkt = rng.normal(0.0005, 0.01, M_EST + length)
        eps = rng.standard_t(5, M_EST + length) * 0.01 * (1 + 0.3 * i)
        ret = 0.0002 * i + (0.8 + 0.1 * i) * mkt + eps
        # day-0 reaction: all positive in the clean case, mixed in the other
        ret[M_EST + 2] += 0.02 if not with_missing else 0.01 * (i % 3 - 0.5)
        if with_missing:
            for j in range(i % 3):  # 0, 1 or 2 holes in the estimation window
                ret[3 + 4 * j + i] = np.nan
            if i == 4:
                ret[M_EST + length - 1] = np.nan  # day +2 missing for event 4
        y, x = ret[:M_EST], sm.add_constant(mkt[:M_EST])
        fit = sm.OLS(y, x, missing="drop").fit()
        keep = np.isfinite(y)
        resid = np.full(M_EST, np.nan)
        resid[keep] = fit.resid
        x_ev = sm.add_constant(mkt[M_EST:], has_constant="add")
        ar = ret[M_EST:] - fit.predict(x_ev)
        cov = fit.scale * (np.eye(length) + x_ev @ fit.normalized_cov_params @ x_ev.T)
        out["event_ar"].append(ar)
        out["event_ar_var"].append(np.diag(cov))
        out["est_ar"].append(resid)
        out["sigma"].append(math.sqrt(fit.scale))
        out["n_obs"].append(int(fit.nobs))
        out["cov"].append(cov)
    car_var = {}
    for a, b in WINDOWS:
        cols = [REL_DAYS.index(d) for d in range(a, b + 1)]
        car_var[f"{a},{b}"] = [float(c[np.ix_(cols, cols)].sum()) for c in out["cov"]]
    dates = ["2024-01-02", "2024-02-01", "2024-02-01", "2024-03-04", "2024-04-01", "2024-04-01"]
    return {
        "event_ar": np.array(out["event_ar"]).tolist(),
        "event_ar_var": np.array(out["event_ar_var"]).tolist(),
        "est_ar": np.array(out["est_ar"]).tolist(),
        "sigma": out["sigma"],
        "n_obs": out["n_obs"],
        "k": 2,
        "rel_days": REL_DAYS,
        "event_dates": dates,
        "car_var": car_var,
    }


def arr(values) -> np.ndarray:
    return np.array(values, dtype=float)  # JSON null -> nan


# ------------------------------------------------------- reference formulas
def used_events(case: dict, window) -> list[int]:
    cols = [REL_DAYS.index(d) for d in range(window[0], window[1] + 1)]
    ar = arr(case["event_ar"])
    return [i for i in range(N_EVENTS) if all(math.isfinite(ar[i][c]) for c in cols)]


def cars(case: dict, window, idx) -> list[float]:
    cols = [REL_DAYS.index(d) for d in range(window[0], window[1] + 1)]
    ar = arr(case["event_ar"])
    return [sum(ar[i][c] for c in cols) for i in idx]


def scars(case, window, idx, how):
    length = window[1] - window[0] + 1
    out = []
    for i, c in zip(idx, cars(case, window, idx)):
        if how == "prediction":
            out.append(c / math.sqrt(case["car_var"][f"{window[0]},{window[1]}"][i]))
        else:
            out.append(c / (case["sigma"][i] * math.sqrt(length)))
    return out


def two_sided_normal(z):
    return 2 * stats.norm.sf(abs(z))


def ref_csect(case, window, **_):
    idx = used_events(case, window)
    res = stats.ttest_1samp(cars(case, window, idx), 0.0)
    return {"stat": res.statistic, "pvalue": res.pvalue, "df": len(idx) - 1, "n": len(idx)}


def ref_patell(case, window, **_):
    idx = used_events(case, window)
    total, factor = 0.0, 0.0
    for i, s in zip(idx, scars(case, window, idx, "prediction")):
        dof = case["n_obs"][i] - case["k"]
        total += s
        factor += dof / (dof - 2)
    z = total / math.sqrt(factor)
    return {"stat": z, "pvalue": two_sided_normal(z), "df": None, "n": len(idx)}


def ref_bmp(case, window, bmp_standardize, **_):
    idx = used_events(case, window)
    res = stats.ttest_1samp(scars(case, window, idx, bmp_standardize), 0.0)
    return {"stat": res.statistic, "pvalue": res.pvalue, "df": len(idx) - 1, "n": len(idx)}


def ref_kp(case, window, bmp_standardize, **_):
    idx = used_events(case, window)
    n = len(idx)
    t_bmp = stats.ttest_1samp(scars(case, window, idx, bmp_standardize), 0.0).statistic
    resid = pd.DataFrame(arr(case["est_ar"])[idx].T)  # columns = events
    corr = resid.corr(min_periods=3).to_numpy()
    rbar = float(np.mean([corr[i, j] for i, j in itertools.combinations(range(n), 2)]))
    t = t_bmp * math.sqrt((1 - rbar) / (1 + (n - 1) * rbar))
    return {"stat": t, "pvalue": 2 * stats.t.sf(abs(t), n - 1), "df": n - 1, "n": n, "rbar": rbar}


def ref_skewness(case, window, **_):
    idx = used_events(case, window)
    x = np.array(cars(case, window, idx))
    n = len(x)
    s = x.std(ddof=1)
    gamma = stats.skew(x, bias=True) * ((n - 1) / n) ** 1.5  # sum (x-m)^3 / (n s^3)
    ratio = x.mean() / s
    t = math.sqrt(n) * (ratio + gamma * ratio**2 / 3 + gamma / (6 * n))
    return {"stat": t, "pvalue": 2 * stats.t.sf(abs(t), n - 1), "df": n - 1, "n": n}


def ref_crude(case, window, **_):
    idx = used_events(case, window)
    est = arr(case["est_ar"])
    series = []
    for t in range(M_EST):
        vals = [est[i][t] for i in idx if math.isfinite(est[i][t])]
        if vals:
            series.append(sum(vals) / len(vals))
    m = len(series)
    mean = sum(series) / m
    sd = math.sqrt(sum((a - mean) ** 2 for a in series) / (m - 1))
    length = window[1] - window[0] + 1
    t = (sum(cars(case, window, idx)) / len(idx)) / (math.sqrt(length) * sd)
    return {"stat": t, "pvalue": 2 * stats.t.sf(abs(t), m - 1), "df": m - 1, "n": len(idx)}


def ref_sign(case, window, sign_pvalue, **_):
    x = [c for c in cars(case, window, used_events(case, window)) if c != 0]
    n, pos = len(x), sum(c > 0 for c in x)
    z = (pos - n / 2) / math.sqrt(n / 4)
    p = stats.binomtest(pos, n, 0.5).pvalue if sign_pvalue == "exact" else two_sided_normal(z)
    return {"stat": z, "pvalue": p, "df": None, "n": n}


def ref_gsign(case, window, sign_pvalue, **_):
    idx = used_events(case, window)
    est = arr(case["est_ar"])
    shares = []
    for i in idx:
        vals = [v for v in est[i] if math.isfinite(v)]
        shares.append(sum(v > 0 for v in vals) / len(vals))
    p_hat = sum(shares) / len(shares)
    n = len(idx)
    pos = sum(c > 0 for c in cars(case, window, idx))
    z = (pos - n * p_hat) / math.sqrt(n * p_hat * (1 - p_hat))
    p = stats.binomtest(pos, n, p_hat).pvalue if sign_pvalue == "exact" else two_sided_normal(z)
    return {"stat": z, "pvalue": p, "df": None, "n": n, "p_hat": p_hat}


def _rank_parts(rows: list[list[float]], rank_scale: str):
    """Scaled ranks U_it per event, daily means and S_U, with explicit loops."""
    n, width = len(rows), len(rows[0])
    u = [[math.nan] * width for _ in range(n)]
    for i, row in enumerate(rows):
        ranks = pd.Series(row).rank(method="average")  # NaN stays NaN
        t_i = sum(math.isfinite(v) for v in row)
        for t in range(width):
            if math.isfinite(row[t]):
                u[i][t] = ranks[t] / (t_i + 1) - 0.5
    ubar, weight = [], []
    for t in range(width):
        vals = [u[i][t] for i in range(n) if math.isfinite(u[i][t])]
        ubar.append(sum(vals) / len(vals) if vals else math.nan)
        weight.append(len(vals) / n)
    days = sum(w > 0 for w in weight)
    total = sum(w * b * b for w, b in zip(weight, ubar) if w > 0)
    s_u = math.sqrt(total / (days if rank_scale == "T" else days - 1))
    return ubar, s_u, days


def ref_corrado(case, window, rank_scale, **_):
    idx = used_events(case, window)
    est, ev = arr(case["est_ar"]), arr(case["event_ar"])
    rows = [list(est[i]) + list(ev[i]) for i in idx]
    ubar, s_u, _ = _rank_parts(rows, rank_scale)
    cols = [M_EST + REL_DAYS.index(d) for d in range(window[0], window[1] + 1)]
    z = sum(ubar[c] for c in cols) / (math.sqrt(len(cols)) * s_u)
    return {"stat": z, "pvalue": two_sided_normal(z), "df": None, "n": len(idx)}


def ref_grank(case, window, rank_scale, **_):
    idx = used_events(case, window)
    sc = scars(case, window, idx, "prediction")
    sd = float(np.std(sc, ddof=1))
    est = arr(case["est_ar"])
    rows = [[v / case["sigma"][i] for v in est[i]] + [s / sd] for i, s in zip(idx, sc)]
    ubar, s_u, days = _rank_parts(rows, rank_scale)
    z = ubar[-1] / s_u
    t = z * math.sqrt((days - 2) / (days - 1 - z * z))
    return {
        "stat": t,
        "pvalue": 2 * stats.t.sf(abs(t), days - 2),
        "df": days - 2,
        "n": len(idx),
        "z": z,
    }


def ref_wilcoxon(case, window, **_):
    """W+ by hand and its exact two-sided p-value by enumerating all 2^n signs."""
    x = [c for c in cars(case, window, used_events(case, window)) if c != 0]
    n = len(x)
    order = sorted(range(n), key=lambda i: abs(x[i]))
    rank = {i: r + 1 for r, i in enumerate(order)}  # no ties in continuous data
    w_plus = sum(rank[i] for i in range(n) if x[i] > 0)
    mean = n * (n + 1) / 4
    extreme = 0
    for signs in itertools.product((0, 1), repeat=n):
        w = sum(r + 1 for r, s in zip(range(n), signs) if s)
        extreme += abs(w - mean) >= abs(w_plus - mean) - 1e-12
    return {"stat": w_plus, "pvalue": extreme / 2**n, "df": None, "n": n}


def ref_bootstrap(case, window, **_):
    """Percentile CI and centred p-value from the draws of default_rng(0), in a loop."""
    x = np.array(cars(case, window, used_events(case, window)))
    n, caar = len(x), float(x.mean())
    draws = np.random.default_rng(0).integers(0, n, size=(N_BOOT, n))
    means = [sum(x[j] for j in draws[b]) / n for b in range(N_BOOT)]
    lo, hi = np.quantile(means, [0.025, 0.975])
    extreme = sum(abs(m - caar) >= abs(caar) for m in means)
    return {
        "stat": caar,
        "pvalue": (1 + extreme) / (N_BOOT + 1),
        "df": None,
        "n": n,
        "ci_low": float(lo),
        "ci_high": float(hi),
    }


REFERENCES = {
    "csect_t": ref_csect,
    "patell": ref_patell,
    "bmp": ref_bmp,
    "kolari_pynnonen": ref_kp,
    "skewness_t": ref_skewness,
    "crude_dependence": ref_crude,
    "sign": ref_sign,
    "generalized_sign": ref_gsign,
    "corrado": ref_corrado,
    "grank": ref_grank,
    "wilcoxon": ref_wilcoxon,
    "bootstrap": ref_bootstrap,
}


def build() -> dict:
    cases = {"clean": make_case(11, False), "missing": make_case(12, True)}
    scenarios = []
    for case_name, window, bmp_std, rank_scale, sign_p in SCENARIOS:
        opts = {"bmp_standardize": bmp_std, "rank_scale": rank_scale, "sign_pvalue": sign_p}
        expected = {
            name: {
                k: (None if v is None else float(v))
                for k, v in fn(cases[case_name], window, **opts).items()
            }
            for name, fn in REFERENCES.items()
        }
        scenarios.append(
            {"case": case_name, "window": list(window), "options": opts, "expected": expected}
        )
    return {"n_boot": N_BOOT, "cases": cases, "scenarios": scenarios}


def _to_json(obj):
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, dict):
        return {k: _to_json(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_to_json(v) for v in obj]
    return obj


if __name__ == "__main__":
    OUT.write_text(json.dumps(_to_json(build()), indent=1) + "\n")
    print(f"wrote {OUT}")
