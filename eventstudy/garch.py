r"""Market model with GARCH errors: one ``arch`` fit per event.

For event :math:`i` the estimation window is fitted by maximum likelihood as

.. math::

    R_{it} = \alpha_i + \beta_i R_{mt} + \varepsilon_{it}, \qquad
    \varepsilon_{it} = \sigma_{it} z_{it}, \qquad
    \sigma_{it}^2 = \omega_i + \sum_{j=1}^{p} a_{ij}\,\varepsilon_{i,t-j}^2
                    + \sum_{j=1}^{q} b_{ij}\,\sigma_{i,t-j}^2

with :math:`z_{it}` standard normal or standardized Student t
(Bollerslev 1986; Bollerslev 1987 for the t). The abnormal return of an
event day is :math:`AR_{it} = R_{it} - \hat\alpha_i - \hat\beta_i R_{mt}`
and its variance is the conditional-variance forecast made at the end of the
estimation window, :math:`h` sessions ahead,

.. math::

    \operatorname{var}(AR_{i,T+h}) = \hat\sigma^2_{i,T+h\mid T}, \qquad
    \operatorname{var}(CAR_i(w)) = \sum_{t\in w}\hat\sigma^2_{i,t\mid T},

the sum being exact because GARCH innovations are serially uncorrelated.
Parameter uncertainty in :math:`(\hat\alpha_i, \hat\beta_i)` is ignored (the
analogue of ``ar_variance="sigma"`` for OLS), so ``ar_variance`` has no
effect on this model. Single-event t statistics use Student's t with
:math:`m - k` degrees of freedom, :math:`k = 2` mean parameters.

Policies
--------
* The model is fitted on the *valid* estimation observations (missing
  returns, and days excluded around other events, are dropped and the
  remaining days are treated as consecutive). The forecast origin is the last
  valid estimation day, so an event day :math:`d` sessions after it uses the
  :math:`d`-step forecast; the estimation window must end before the event
  window starts.
* Returns are scaled to percent for the optimizer and scaled back, so
  ``omega`` is reported in squared decimal returns.
* An optimizer that fails to converge (``arch``'s ``ConvergenceWarning``, a
  non-zero ``convergence_flag``) or raises skips the event with the
  optimizer's message in ``results.skipped``; nothing is dropped silently.
* ``results.fits[event_id]`` is the ``arch`` ``ARCHModelResult`` (fitted on
  percent returns), so ``summary()`` works as ``arch`` users expect.

References
----------
Bollerslev, T. (1986). Generalized autoregressive conditional
heteroskedasticity. *Journal of Econometrics* 31(3), 307-327.

Bollerslev, T. (1987). A conditionally heteroskedastic time series model for
speculative prices and rates of return. *Review of Economics and Statistics*
69(3), 542-547.

Corhay, A. and Tourani Rad, A. (1996). Conditional heteroskedasticity adjusted
market model and an event study. *Quarterly Review of Economics and Finance*
36(4), 529-538.

Sheppard, K. et al. ``arch``: ARCH models in Python,
https://arch.readthedocs.io.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from .estimation import BatchFit
from .exceptions import WindowError

if TYPE_CHECKING:  # pragma: no cover
    from .design import Windows
    from .models import GarchModel

__all__ = ["fit_garch", "fit_garch_event", "garch_param_names", "PROGRESS_MIN_EVENTS"]

#: Show a progress bar when more events than this are fitted.
PROGRESS_MIN_EVENTS = 20

_SCALE = 100.0  # returns are fitted in percent


def garch_param_names(p: int, q: int, dist: str) -> tuple[str, ...]:
    """Names of the stored parameters: mean first, then variance (and ``nu``).

    ``arch[j]`` and ``garch[j]`` are ``arch``'s ``alpha[j]`` and ``beta[j]``
    (renamed so as not to clash with the market model's ``alpha``/``beta``).

    Examples
    --------
    >>> garch_param_names(1, 1, "t")
    ('alpha', 'beta', 'omega', 'arch[1]', 'garch[1]', 'nu')
    """
    names = ["alpha", "beta", "omega"]
    names += [f"arch[{j}]" for j in range(1, p + 1)]
    names += [f"garch[{j}]" for j in range(1, q + 1)]
    if dist == "t":
        names.append("nu")
    return tuple(names)


def fit_garch_event(
    y: np.ndarray,
    m: np.ndarray,
    horizons: np.ndarray,
    *,
    p: int = 1,
    q: int = 1,
    dist: str = "normal",
):
    """Fit one event's market model with GARCH(p, q) errors and forecast its variance.

    Parameters
    ----------
    y, m : ndarray, shape (m,)
        Valid estimation-window returns of the stock and of the market (decimals,
        in time order, no missing values).
    horizons : ndarray of int, shape (L,)
        Steps ahead of the last estimation observation of each event day (>= 1).
    p, q : int
        ARCH and GARCH orders (``arch``'s ``p`` and ``q``).
    dist : {"normal", "t"}

    Returns
    -------
    params : ndarray
        ``alpha, beta`` (decimal), ``omega`` (squared decimal), ARCH and GARCH
        coefficients, and ``nu`` for the t (see :func:`garch_param_names`).
    ar_var : ndarray, shape (L,)
        Conditional-variance forecast of each event day (squared decimal).
    result : arch.univariate.base.ARCHModelResult
        The fit on percent returns.
    problem : str or None
        The optimizer's message when it did not converge, else None.
    """
    from arch import arch_model
    from arch.utility.exceptions import ConvergenceWarning

    model = arch_model(
        _SCALE * y,
        x=(_SCALE * m)[:, None],
        mean="LS",
        vol="GARCH",
        p=p,
        q=q,
        dist=dist,
        rescale=False,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        result = model.fit(disp="off")
    problem = None
    if result.convergence_flag != 0 or any(
        issubclass(w.category, ConvergenceWarning) for w in caught
    ):
        message = str(getattr(result.optimization_result, "message", "")).strip()
        problem = (
            f"GARCH({p},{q}) optimizer did not converge (code {result.convergence_flag}): "
            f"{message or 'no message'}"
        )
    raw = np.asarray(result.params, dtype=float)
    params = raw.copy()
    params[0] = raw[0] / _SCALE
    params[2] = raw[2] / _SCALE**2
    horizon = int(np.max(horizons))
    forecast = result.forecast(horizon=horizon, reindex=False, x=np.zeros((1, horizon)))
    path = np.asarray(forecast.variance, dtype=float)[-1] / _SCALE**2
    return params, path[np.asarray(horizons) - 1], result, problem


def fit_garch(
    windows: Windows,
    model: GarchModel,
    estimation_window: tuple[int, int],
    event_window: tuple[int, int],
    *,
    min_obs: int,
    progress: bool | None = None,
) -> tuple[BatchFit, dict[str, np.ndarray]]:
    """Fit every event of a chunk, one ``arch`` fit per event.

    Parameters
    ----------
    windows : Windows
        Stacked windows from :func:`eventstudy.design.gather` for a
        :class:`~eventstudy.models.GarchModel` (one slope regressor, the market).
    model : GarchModel
    estimation_window, event_window : (int, int)
        Relative days of the windows; the estimation window must end before
        the event window starts.
    min_obs : int
        Events with fewer valid estimation observations are not fitted.
    progress : bool, optional
        Show a ``tqdm`` progress bar (default: when more than
        :data:`PROGRESS_MIN_EVENTS` events are fitted).

    Returns
    -------
    fit : BatchFit
        ``params`` as in :func:`garch_param_names`; ``sigma2`` the residual
        variance :math:`\\sum\\hat\\varepsilon_t^2/(m-2)` (reported as
        ``sigma``); ``df = m - 2``; ``xtx_inv`` zeros (parameter uncertainty
        ignored); ``problem`` the optimizer's message for failed fits.
    extra : dict
        ``ar_var`` (N, L), the conditional-variance forecasts that replace the
        OLS prediction-error variance, and ``garch_fit`` (N,) object array of
        ``ARCHModelResult`` (None where not fitted).
    """
    if estimation_window[1] >= event_window[0]:
        raise WindowError(
            f"a GARCH model forecasts the event-window variance from the estimation window, "
            f"so estimation_window {tuple(estimation_window)} must end before event_window "
            f"{tuple(event_window)} starts"
        )
    est_off = np.arange(estimation_window[0], estimation_window[1] + 1)
    rel_event = np.arange(event_window[0], event_window[1] + 1)
    n, length = windows.y_event.shape
    k_all = len(model.param_names)
    params = np.zeros((n, k_all))
    sigma2 = np.full(n, np.nan)
    n_obs = windows.valid_est.sum(axis=1)
    resid = np.full(windows.y_est.shape, np.nan)
    ar_var = np.full((n, length), np.nan)
    fits = np.full(n, None, dtype=object)
    problem = np.full(n, None, dtype=object)
    complete = np.isfinite(windows.y_event).all(axis=1) & np.isfinite(windows.Z_event).all(
        axis=(1, 2)
    )
    todo = np.flatnonzero((n_obs >= max(min_obs, 1)) & complete)
    problem[(n_obs < max(min_obs, 1)) | ~complete] = "not fitted (data check failed)"
    show = len(todo) > PROGRESS_MIN_EVENTS if progress is None else progress
    iterator = todo
    if show:
        from tqdm.auto import tqdm

        iterator = tqdm(todo, desc=f"GARCH({model.p},{model.q}) fits", unit="event")
    for i in iterator:
        valid = windows.valid_est[i]
        y = windows.y_est[i, valid]
        mkt = windows.Z_est[i, valid, 0]
        last = int(est_off[valid][-1])
        horizons = rel_event - last
        try:
            par, var, result, why = fit_garch_event(
                y, mkt, horizons, p=model.p, q=model.q, dist=model.dist
            )
        except (ValueError, np.linalg.LinAlgError, RuntimeError, ZeroDivisionError) as exc:
            problem[i] = f"GARCH({model.p},{model.q}) fit failed: {exc}"
            continue
        fits[i] = result
        if why is not None:
            problem[i] = why
            continue
        if not (np.all(np.isfinite(par)) and np.all(np.isfinite(var)) and np.all(var > 0)):
            problem[i] = f"GARCH({model.p},{model.q}) fit gave non-finite parameters or variances"
            continue
        params[i] = par
        e = windows.y_est[i] - par[0] - par[1] * windows.Z_est[i, :, 0]
        resid[i] = np.where(valid, e, np.nan)
        sigma2[i] = np.nansum(resid[i] ** 2) / max(int(n_obs[i]) - 2, 1)
        ar_var[i] = var
        problem[i] = None
    fit = BatchFit(
        params=params,
        sigma2=sigma2,
        df=n_obs - 2,
        n_obs=n_obs,
        xtx_inv=np.zeros((n, 2, 2)),
        resid=resid,
        problem=problem,
    )
    return fit, {"ar_var": ar_var, "garch_fit": fits}
