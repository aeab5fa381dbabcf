"""Size and power on simulated market-model returns (seeded, Brown & Warner style).

With i.i.d. normal errors and no abnormal return, each test rejects at the 5%
level in about 5% of the replications: the count must lie in the central
99.9% binomial band. With a day-0 shock of about one residual standard
deviation the tests reject in most replications. With cross-correlated
errors on a common date only the tests built for it keep their size.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from eventstudy.inference import TESTS, compute_tests, simulate_panel

ALPHA = 0.05
N_BOOT = 199
VARIANTS = {  # convention options also checked for size
    "bmp[sigma]": ("bmp", {"bmp_standardize": "sigma"}),
    "kolari_pynnonen[sigma]": ("kolari_pynnonen", {"bmp_standardize": "sigma"}),
    "corrado[T-1]": ("corrado", {"rank_scale": "T-1"}),
    "grank[T-1]": ("grank", {"rank_scale": "T-1"}),
}
# sign_pvalue="normal" returns details["pvalue_normal"] (checked in test_inference_byhand)
NORMAL_SIGN = ("sign", "generalized_sign")


def band(reps: int) -> tuple[int, int]:
    lo, hi = stats.binom.interval(0.999, reps, ALPHA)
    return int(lo), int(hi)


def rejections(reps: int, window, *, names=None, variants=True, **sim) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rep in range(reps):
        panel = simulate_panel(rng=np.random.default_rng([rep, 20251030]), **sim)
        results = compute_tests(panel, window, names, **({"n_boot": N_BOOT} if not names else {}))
        out = {name: res.pvalue for name, res in results.items()}
        if variants:
            for label, (name, opts) in VARIANTS.items():
                out[label] = TESTS[name](panel, window, **opts).pvalue
            for name in NORMAL_SIGN:
                out[f"{name}[normal]"] = results[name].details["pvalue_normal"]
        for name, p in out.items():
            assert np.isfinite(p), (name, rep)
            counts[name] = counts.get(name, 0) + int(p < ALPHA)
    return counts


@pytest.fixture(scope="module")
def null_counts():
    return rejections(300, (-1, 1), n_events=30, n_est=120)


@pytest.mark.parametrize("name", [*TESTS, *VARIANTS, *(f"{n}[normal]" for n in NORMAL_SIGN)])
def test_size_under_the_null(null_counts, name):
    lo, hi = band(300)
    assert lo <= null_counts[name] <= hi, f"{name}: {null_counts[name]}/300 rejections"


@pytest.fixture(scope="module")
def shock_counts():
    return rejections(60, (0, 0), n_events=30, n_est=120, shock=0.02, variants=False)


@pytest.mark.parametrize(
    "name", ["csect_t", "patell", "bmp", "kolari_pynnonen", "skewness_t", "crude_dependence"]
)
def test_parametric_power_with_a_day0_shock(shock_counts, name):
    assert shock_counts[name] / 60 >= 0.8, f"{name}: {shock_counts[name]}/60"


@pytest.mark.parametrize(
    "name", ["sign", "generalized_sign", "corrado", "grank", "wilcoxon", "bootstrap"]
)
def test_nonparametric_power_with_a_day0_shock(shock_counts, name):
    assert shock_counts[name] / 60 >= 0.6, f"{name}: {shock_counts[name]}/60"


@pytest.fixture(scope="module")
def clustered_counts():
    names = ["csect_t", "bmp", "kolari_pynnonen", "crude_dependence", "corrado"]
    return rejections(150, (0, 0), names=names, variants=False, n_events=30, n_est=120, rho=0.3)


@pytest.mark.parametrize("name", ["kolari_pynnonen", "crude_dependence", "corrado"])
def test_size_with_events_on_one_date(clustered_counts, name):
    lo, hi = band(150)
    assert lo <= clustered_counts[name] <= hi, f"{name}: {clustered_counts[name]}/150"


@pytest.mark.parametrize("name", ["csect_t", "bmp"])
def test_cross_correlation_breaks_the_unadjusted_tests(clustered_counts, name):
    assert clustered_counts[name] / 150 > 0.2


def test_size_with_missing_estimation_returns():
    names = ["patell", "bmp", "generalized_sign", "corrado", "grank", "crude_dependence"]
    counts = rejections(
        150, (0, 0), names=names, variants=False, n_events=30, n_est=120, missing=0.25
    )
    lo, hi = band(150)
    for name in names:
        assert lo <= counts[name] <= hi, f"{name}: {counts[name]}/150"
