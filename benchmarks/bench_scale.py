"""Speed and scale of eventstudy against a per-event statsmodels loop (and estk).

Run: ``python benchmarks/bench_scale.py`` (add ``--quick`` for a smaller run).

A synthetic panel of daily returns (3,000 assets × 5,000 sessions, one market
factor plus Fama–French-like factors, fixed seed) and N random events
(1,000 / 10,000 / 100,000). Each configuration runs in a fresh subprocess so
that its peak memory (``ru_maxrss``) is its own. Timed: ``EventStudy(...,
returns=panel).fit()`` + ``car((-1, 1))`` + ``test((-1, 1))`` (the full test
battery), market model (250-day estimation window ending at -11, event window
(-10, +10)) and FF3. Baselines measured in the same run: a plain per-event
statsmodels OLS loop (fit, AR, CAR and its t, on a subset, reported per event)
and, when installed, the PyPI package ``event-study-toolkit`` on 1,000 events.

Results are printed as a table and written to ``benchmarks/results/bench_scale.csv``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
N_ASSETS, N_DAYS = 3000, 5000
EST, EVT = (-250, -11), (-10, 10)


def make_panel(n_assets: int = N_ASSETS, n_days: int = N_DAYS, seed: int = 0):
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2000-01-03", periods=n_days)
    factors = pd.DataFrame(
        {
            "mkt_rf": rng.normal(0.0003, 0.01, n_days),
            "smb": rng.normal(0, 0.005, n_days),
            "hml": rng.normal(0, 0.005, n_days),
            "rf": np.full(n_days, 0.0001),
        },
        index=dates,
    )
    loadings = rng.normal([1.0, 0.3, 0.1], [0.3, 0.3, 0.3], size=(n_assets, 3))
    noise = rng.normal(0, 0.02, (n_days, n_assets)).astype(np.float64)
    values = (
        factors["rf"].to_numpy()[:, None]
        + factors[["mkt_rf", "smb", "hml"]].to_numpy() @ loadings.T
    )
    values += noise
    returns = pd.DataFrame(values, index=dates, columns=[f"A{i:04d}" for i in range(n_assets)])
    returns["MKT"] = factors["mkt_rf"] + factors["rf"]
    return returns, factors


def make_events(returns: pd.DataFrame, n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    assets = returns.columns[:-1]
    pos = rng.integers(-EST[0] + 5, len(returns) - EVT[1] - 1, size=n)
    return pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "ticker": assets[rng.integers(0, len(assets), size=n)],
            "date": returns.index[pos],
            "time": "bmo",
        }
    )


# ---------------------------------------------------------------- workers
def run_eventstudy(n: int, model: str) -> dict:
    import eventstudy as es

    returns, factors = make_panel()
    events = make_events(returns, n)
    spec = es.MarketModel("MKT") if model == "market" else es.FamaFrench3()
    t0 = time.perf_counter()
    res = es.EventStudy(
        events,
        model=spec,
        returns=returns,
        factors=factors if model == "ff3" else None,
        calendar=None,
        estimation_window=EST,
        event_window=EVT,
    ).fit()
    t_fit = time.perf_counter() - t0
    car = res.car((-1, 1))
    t_car = time.perf_counter() - t0
    tests = res.test((-1, 1)) if hasattr(res, "test") else None
    t_all = time.perf_counter() - t0
    return {
        "tool": "eventstudy",
        "model": model,
        "events": n,
        "seconds": t_all,
        "fit_s": t_fit,
        "car_s": t_car - t_fit,
        "tests_s": t_all - t_car,
        "n_tests": 0 if tests is None else len(tests),
        "check": float(car["car"].mean()),
    }


def run_statsmodels_loop(n: int, model: str) -> dict:
    """The straightforward approach: one statsmodels OLS per event, then the same battery.

    Per event: fit, predict the event window with its prediction-error
    variance (``get_prediction``), AR, CAR and its variance from the
    parameter covariance; the per-event arrays are then stacked and handed to
    the same vectorised test battery, so the ratio measures the per-event work.
    """
    import statsmodels.api as sm

    from eventstudy.inference import EventPanel, run_tests

    returns, factors = make_panel()
    events = make_events(returns, n)
    index = {d: i for i, d in enumerate(returns.index)}
    values = returns.to_numpy()
    cols = {c: j for j, c in enumerate(returns.columns)}
    fac = factors.to_numpy()
    t0 = time.perf_counter()
    ars, ar_vars, resids, sigmas, cars, car_vars = [], [], [], [], [], []
    w = slice(-EVT[0] - 1, -EVT[0] + 2)
    for ev in events.itertuples():
        p = index[ev.date]
        est = slice(p + EST[0], p + EST[1] + 1)
        evt = slice(p + EVT[0], p + EVT[1] + 1)
        y = values[est, cols[ev.ticker]]
        ye = values[evt, cols[ev.ticker]]
        if model == "market":
            X = sm.add_constant(values[est, cols["MKT"]])
            Xe = sm.add_constant(values[evt, cols["MKT"]])
        else:
            y, ye = y - fac[est, 3], ye - fac[evt, 3]
            X = sm.add_constant(fac[est, :3])
            Xe = sm.add_constant(fac[evt, :3])
        fit = sm.OLS(y, X).fit()
        pred = fit.get_prediction(Xe)
        ar = ye - pred.predicted_mean
        s = Xe[w].sum(axis=0)
        ars.append(ar)
        ar_vars.append(pred.se_obs**2)
        resids.append(fit.resid)
        sigmas.append(np.sqrt(fit.scale))
        cars.append(ar[w].sum())
        car_vars.append(fit.scale * 3 + s @ fit.cov_params() @ s)
    panel = EventPanel(
        event_ar=np.array(ars),
        event_ar_var=np.array(ar_vars),
        rel_days=np.arange(EVT[0], EVT[1] + 1),
        est_ar=np.array(resids),
        sigma=np.array(sigmas),
        n_obs=np.full(n, EST[1] - EST[0] + 1),
        k=X.shape[1],
        event_dates=events["date"].to_numpy(dtype="datetime64[ns]"),
    )
    run_tests(panel, (-1, 1))
    seconds = time.perf_counter() - t0
    return {"tool": "statsmodels loop", "model": model, "events": n, "seconds": seconds}


def run_estk(n: int, model: str) -> dict:
    """event-study-toolkit 1.0.0 (its calendar ends 2023-07-10: dates are shifted to fit)."""
    from event_study_toolkit import eventstudy as estk

    returns, factors = make_panel(n_assets=300, n_days=1500)
    returns.index = pd.bdate_range("2017-01-03", periods=len(returns))
    factors.index = returns.index
    events = make_events(returns, n)
    long = returns.drop(columns="MKT").stack().rename("ret_dlst_adj").reset_index()
    long.columns = ["date", "permno", "ret_dlst_adj"]
    long["permno"] = long["permno"].str[1:].astype(int)  # estk needs integer ids
    long["vwretd"] = long["date"].map(returns["MKT"])
    ev = pd.DataFrame(
        {"permno": events["ticker"].str[1:].astype(int), "EVT_DATE": events["date"], "grp": 1}
    )
    t0 = time.perf_counter()
    study = estk.eventstudy(250, 10, -10, 10, long, ev, unique_id="permno", groups=["grp"])
    study.getFullSampleTestStatistic("market")
    return {
        "tool": "event-study-toolkit",
        "model": model,
        "events": n,
        "seconds": time.perf_counter() - t0,
    }


WORKERS = {"eventstudy": run_eventstudy, "statsmodels": run_statsmodels_loop, "estk": run_estk}


def worker(name: str, n: int, model: str) -> None:
    out = WORKERS[name](n, model)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(
    name: str, n: int, model: str, timeout: float = 3600, python: str | None = None
) -> dict | None:
    cmd = [python or sys.executable, __file__, "--worker", name, str(n), model]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        print(f"  {name} {model} {n}: failed ({last})", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 events only")
    parser.add_argument(
        "--estk-python",
        help="interpreter of an environment where event-study-toolkit is installed "
        "(pip install event-study-toolkit scikit-learn); default: this one",
    )
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), args.worker[2])
        return
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    rows = []
    for model in ("market", "ff3"):
        for n in sizes:
            print(f"eventstudy {model} {n:,} events ...", file=sys.stderr)
            rows.append(measure("eventstudy", n, model))
        print(f"statsmodels loop {model} (500 events) ...", file=sys.stderr)
        rows.append(measure("statsmodels", 500, model))
    probe = [args.estk_python or sys.executable, "-c", "import event_study_toolkit"]
    if subprocess.run(probe, capture_output=True).returncode == 0:
        print("event-study-toolkit market 1,000 events ...", file=sys.stderr)
        rows.append(measure("estk", 1_000, "market", python=args.estk_python))
    else:
        print("event-study-toolkit not installed: skipped (see --estk-python)", file=sys.stderr)
    table = pd.DataFrame([r for r in rows if r])
    table["per_event_ms"] = 1000 * table["seconds"] / table["events"]
    table["events_per_s"] = table["events"] / table["seconds"]
    for model in ("market", "ff3"):
        base = table.query("tool == 'statsmodels loop' and model == @model")["per_event_ms"]
        if len(base):
            mask = table["model"] == model
            table.loc[mask, "speedup_vs_loop"] = base.iloc[0] / table.loc[mask, "per_event_ms"]
    cols = [
        "tool",
        "model",
        "events",
        "seconds",
        "per_event_ms",
        "events_per_s",
        "peak_mb",
        "speedup_vs_loop",
        "fit_s",
        "car_s",
        "tests_s",
        "n_tests",
    ]
    table = table[[c for c in cols if c in table.columns]]
    (HERE / "results").mkdir(exist_ok=True)
    table.to_csv(HERE / "results" / "bench_scale.csv", index=False)
    with pd.option_context("display.width", 200, "display.float_format", "{:,.3f}".format):
        print(table.to_string(index=False))
    print(f"\nwritten: {HERE / 'results' / 'bench_scale.csv'}")


if __name__ == "__main__":
    main()
