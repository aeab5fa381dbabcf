r"""Expected-return models.

A model is a small immutable specification: it names the data it needs and
how to build the regression of the estimation window. Every linear model is
one OLS per event on its estimation window (see :mod:`eventstudy.estimation`):

.. math::

    y_{it} = x_{it}'\beta_i + \varepsilon_{it}, \qquad
    AR_{it} = y_{it} - x_{it}'\hat\beta_i

=================  ===========================  ============================  ===
model              :math:`y`                    :math:`x`                     k
=================  ===========================  ============================  ===
ConstantMean       :math:`R_{it}`               :math:`1`                     1
MarketAdjusted     :math:`R_{it} - R_{mt}`      (none)                        0
MarketModel        :math:`R_{it}`               :math:`1, R_{mt}`             2
FactorModel        :math:`R_{it} - R_{ft}`      :math:`1, f_{1t}, ..., f_{pt}`  p+1
GarchModel         :math:`R_{it}`               :math:`1, R_{mt}` (ML)        2
=================  ===========================  ============================  ===

For ``ConstantMean`` and ``MarketAdjusted`` the residual standard deviation is
the sample standard deviation (ddof = 1) of the estimation-window abnormal
returns (Brown & Warner 1985); for the regression models it is the OLS
:math:`\hat\sigma` with :math:`m - k` degrees of freedom.

Models are chosen by object or by name: ``"mean"``, ``"market_adjusted"``,
``"market"``, ``"ff3"``, ``"carhart"``, ``"ff5"``, ``"garch"`` (see
:func:`get_model`). ``MarketModel(beta=...)`` offers the thin-trading betas of
Scholes & Williams (1977) and Dimson (1979); ``GarchModel`` fits GARCH errors
per event with ``arch`` (Bollerslev 1986).

References
----------
Brown, S. J. and Warner, J. B. (1985). Using daily stock returns: the case of
event studies. *Journal of Financial Economics* 14, 3-31.
MacKinlay, A. C. (1997). Event studies in economics and finance. *Journal of
Economic Literature* 35, 13-39.
Fama, E. F. and French, K. R. (1993, 2015); Carhart, M. M. (1997).
Scholes, M. and Williams, J. (1977). Estimating betas from nonsynchronous data.
*Journal of Financial Economics* 5, 309-327.
Dimson, E. (1979). Risk measurement when shares are subject to infrequent
trading. *Journal of Financial Economics* 7, 197-226.
Bollerslev, T. (1986). Generalized autoregressive conditional heteroskedasticity.
*Journal of Econometrics* 31, 307-327.
"""

from __future__ import annotations

import importlib.util
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from .exceptions import ModelSpecificationError

__all__ = [
    "ExpectedReturnModel",
    "ConstantMean",
    "MarketAdjusted",
    "MarketModel",
    "FactorModel",
    "FamaFrench3",
    "Carhart4",
    "FamaFrench5",
    "GarchModel",
    "BETA_ESTIMATORS",
    "get_model",
    "MODELS",
]


class ExpectedReturnModel(ABC):
    """Specification of an expected-return model (immutable)."""

    #: Human-readable name used in summaries.
    label: str

    @property
    @abstractmethod
    def assets(self) -> tuple[str, ...]:
        """Columns of the returns panel the model needs besides the stock (e.g. the market)."""

    @property
    @abstractmethod
    def factors(self) -> tuple[str, ...]:
        """Columns of the factor table the model needs (``rf`` included when excess)."""

    @property
    @abstractmethod
    def param_names(self) -> tuple[str, ...]:
        """Names of the estimated parameters, in design-matrix order."""

    @property
    def k(self) -> int:
        """Number of estimated parameters (intercept included)."""
        return len(self.param_names)

    @property
    def excess(self) -> bool:
        """Whether the dependent variable is the return in excess of ``rf``."""
        return False

    def _repr_html_(self) -> str:
        return f"<strong>{self.label}</strong> expected-return model ({self!r})"


@dataclass(frozen=True)
class ConstantMean(ExpectedReturnModel):
    r"""Constant-mean-return model: :math:`E[R_{it}] = \mu_i`.

    :math:`\hat\mu_i` is the estimation-window mean; :math:`\hat\sigma_i` the
    sample standard deviation (ddof = 1), i.e. the OLS residual standard
    deviation of a regression on a constant (k = 1).

    Examples
    --------
    >>> import eventstudy as es
    >>> es.ConstantMean().param_names
    ('mu',)
    """

    label: str = field(default="Constant mean", init=False, repr=False)

    @property
    def assets(self) -> tuple[str, ...]:
        return ()

    @property
    def factors(self) -> tuple[str, ...]:
        return ()

    @property
    def param_names(self) -> tuple[str, ...]:
        return ("mu",)


@dataclass(frozen=True)
class MarketAdjusted(ExpectedReturnModel):
    r"""Market-adjusted returns: :math:`AR_{it} = R_{it} - R_{mt}`.

    Nothing is estimated (k = 0); :math:`\hat\sigma_i` is the sample standard
    deviation (ddof = 1) of the estimation-window abnormal returns and the
    variance of an event-window AR is :math:`\hat\sigma_i^2` (no parameter
    uncertainty).

    Parameters
    ----------
    market : str, default "SPY"
        Column of the returns panel holding the market return.
    """

    market: str = "SPY"
    label: str = field(default="Market-adjusted", init=False, repr=False)

    @property
    def assets(self) -> tuple[str, ...]:
        return (self.market,)

    @property
    def factors(self) -> tuple[str, ...]:
        return ()

    @property
    def param_names(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class MarketModel(ExpectedReturnModel):
    r"""Market model: :math:`R_{it} = \alpha_i + \beta_i R_{mt} + \varepsilon_{it}`.

    Parameters
    ----------
    market : str, default "SPY"
        Column of the returns panel holding the market return.
    beta : {"ols", "scholes_williams", "dimson"}, default "ols"
        How beta is estimated: OLS, or one of the thin-trading corrections of
        Scholes & Williams (1977) and Dimson (1979) (see
        :mod:`eventstudy.thin_trading`, which documents the samples and the
        variance used).
    lags : int, default 1
        Leads and lags of the market in the Dimson regression
        (``beta="dimson"`` only).

    Notes
    -----
    With a thin-trading beta, :math:`\hat\alpha = \bar R - \hat\beta\bar R_m`,
    :math:`AR_t = R_t - \hat\alpha - \hat\beta R_{mt}` and
    :math:`\operatorname{var}(AR_t) = \hat\sigma^2` (no parameter-uncertainty
    term) with :math:`m - 2` (Scholes–Williams) or :math:`m - (2\,lags + 2)`
    (Dimson) degrees of freedom; ``k`` is that number of estimated coefficients.

    Examples
    --------
    >>> import eventstudy as es
    >>> es.MarketModel("QQQ").param_names
    ('alpha', 'beta')
    >>> es.MarketModel("SPY", beta="dimson", lags=2).k
    6
    """

    market: str = "SPY"
    label: str = field(default="Market model", init=False, repr=False)
    beta: str = "ols"
    lags: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.market, str) or not self.market.strip():
            raise ModelSpecificationError(
                f"market must be the name of the market column (e.g. 'SPY'), got {self.market!r}"
            )
        if not isinstance(self.beta, str) or self.beta not in BETA_ESTIMATORS:
            raise ModelSpecificationError(
                f"beta must be one of {', '.join(map(repr, BETA_ESTIMATORS))}; got {self.beta!r}"
            )
        if isinstance(self.lags, bool) or not isinstance(self.lags, int) or self.lags < 1:
            raise ModelSpecificationError(f"lags must be a positive integer, got {self.lags!r}")
        if self.lags != 1 and self.beta != "dimson":
            raise ModelSpecificationError(
                f"lags={self.lags} applies only to beta='dimson'; got beta={self.beta!r}"
            )
        if self.beta != "ols":
            object.__setattr__(self, "label", f"Market model ({BETA_ESTIMATORS[self.beta]} beta)")

    def __repr__(self) -> str:
        extra = "" if self.beta == "ols" else f", beta={self.beta!r}"
        extra += f", lags={self.lags}" if self.beta == "dimson" else ""
        return f"MarketModel(market={self.market!r}{extra})"

    @property
    def k(self) -> int:
        """Estimated coefficients: 2, or 2·lags + 2 for a Dimson beta."""
        return 2 * self.lags + 2 if self.beta == "dimson" else 2

    @property
    def assets(self) -> tuple[str, ...]:
        return (self.market,)

    @property
    def factors(self) -> tuple[str, ...]:
        return ()

    @property
    def param_names(self) -> tuple[str, ...]:
        return ("alpha", "beta")


@dataclass(frozen=True)
class FactorModel(ExpectedReturnModel):
    r"""Linear factor model on excess returns.

    .. math::

        R_{it} - R_{ft} = \alpha_i + \sum_j b_{ij} f_{jt} + \varepsilon_{it}

    and :math:`AR_{it}` is the excess return minus its prediction.

    Parameters
    ----------
    factors : sequence of str
        Factor columns (e.g. ``("mkt_rf", "smb", "hml")``); ``rf`` is added
        for the excess return.
    name : str, optional
        Label for summaries.

    Examples
    --------
    >>> import eventstudy as es
    >>> es.FamaFrench3().param_names
    ('alpha', 'mkt_rf', 'smb', 'hml')
    """

    factor_names: tuple[str, ...] = ("mkt_rf",)
    name: str | None = None

    def __init__(self, factors=("mkt_rf",), name: str | None = None) -> None:
        if isinstance(factors, str):
            factors = (factors,)
        if not isinstance(factors, (list, tuple)) or not all(
            isinstance(f, str) and f.strip() for f in factors
        ):
            raise ModelSpecificationError(
                f"factors must be a list of factor column names, got {factors!r}; "
                "e.g. ('mkt_rf', 'smb', 'hml')"
            )
        factors = tuple(f.strip() for f in factors)
        if not factors:
            raise ModelSpecificationError("FactorModel needs at least one factor")
        if "rf" in factors:
            raise ModelSpecificationError(
                "'rf' is the risk-free rate subtracted from returns, not a factor; "
                f"got factors={factors!r}"
            )
        if len(set(factors)) != len(factors):
            raise ModelSpecificationError(f"factors repeat a name: {factors!r}")
        object.__setattr__(self, "factor_names", factors)
        object.__setattr__(self, "name", name)

    @property
    def label(self) -> str:  # type: ignore[override]
        return self.name or f"Factor model ({', '.join(self.factor_names)})"

    @property
    def assets(self) -> tuple[str, ...]:
        return ()

    @property
    def factors(self) -> tuple[str, ...]:
        return (*self.factor_names, "rf")

    @property
    def param_names(self) -> tuple[str, ...]:
        return ("alpha", *self.factor_names)

    @property
    def excess(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"FactorModel(factors={list(self.factor_names)!r})"


def FamaFrench3() -> FactorModel:  # noqa: N802 - reads as a model class
    """Fama–French (1993) three-factor model: ``mkt_rf, smb, hml``."""
    return FactorModel(("mkt_rf", "smb", "hml"), name="Fama-French 3")


def Carhart4() -> FactorModel:  # noqa: N802
    """Carhart (1997) four-factor model: ``mkt_rf, smb, hml, mom``."""
    return FactorModel(("mkt_rf", "smb", "hml", "mom"), name="Carhart 4")


def FamaFrench5() -> FactorModel:  # noqa: N802
    """Fama–French (2015) five-factor model: ``mkt_rf, smb, hml, rmw, cma``."""
    return FactorModel(("mkt_rf", "smb", "hml", "rmw", "cma"), name="Fama-French 5")


@dataclass(frozen=True)
class GarchModel(ExpectedReturnModel):
    r"""Market model with GARCH(p, q) errors, fitted per event with ``arch``.

    .. math::

        R_{it} = \alpha_i + \beta_i R_{mt} + \varepsilon_{it}, \qquad
        \sigma_{it}^2 = \omega_i + \sum_{j\le p} a_{ij}\varepsilon_{i,t-j}^2
                        + \sum_{j\le q} b_{ij}\sigma_{i,t-j}^2

    Abnormal returns are :math:`R_{it} - \hat\alpha_i - \hat\beta_i R_{mt}`,
    standardized by the conditional-variance forecast made at the end of the
    estimation window (Bollerslev 1986; Corhay & Tourani Rad 1996). Events
    whose optimizer fails land in ``results.skipped`` with its message. See
    :mod:`eventstudy.garch` for the policies (missing days, scaling, degrees
    of freedom :math:`m - 2`, parameter uncertainty ignored).

    Parameters
    ----------
    market : str, default "SPY"
        Column of the returns panel holding the market return.
    p : int, default 1
        ARCH order (lags of :math:`\varepsilon^2`), ``arch``'s ``p``.
    q : int, default 1
        GARCH order (lags of :math:`\sigma^2`), ``arch``'s ``q``.
    dist : {"normal", "t"}, default "normal"
        Distribution of the standardized innovations.

    Examples
    --------
    >>> import eventstudy as es
    >>> es.GarchModel("SPY", dist="t").param_names
    ('alpha', 'beta', 'omega', 'arch[1]', 'garch[1]', 'nu')
    """

    market: str = "SPY"
    p: int = 1
    q: int = 1
    dist: str = "normal"

    def __post_init__(self) -> None:
        for name, low in (("p", 1), ("q", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ModelSpecificationError(f"{name} must be an integer >= {low}, got {value!r}")
        if self.dist not in ("normal", "t"):
            raise ModelSpecificationError(f"dist must be 'normal' or 't', got {self.dist!r}")
        if importlib.util.find_spec("arch") is None:
            raise ModelSpecificationError(
                "GarchModel needs the 'arch' package; install it with `pip install arch`"
            )

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Market model, GARCH({self.p},{self.q}) {self.dist} errors"

    @property
    def assets(self) -> tuple[str, ...]:
        return (self.market,)

    @property
    def factors(self) -> tuple[str, ...]:
        return ()

    @property
    def param_names(self) -> tuple[str, ...]:
        from .garch import garch_param_names

        return garch_param_names(self.p, self.q, self.dist)

    @property
    def k(self) -> int:
        """Mean-equation parameters (alpha, beta): the t statistics use df = m − 2."""
        return 2


#: Beta estimators of :class:`MarketModel` and their display names.
BETA_ESTIMATORS: dict[str, str] = {
    "ols": "OLS",
    "scholes_williams": "Scholes-Williams",
    "dimson": "Dimson",
}


#: Model names accepted wherever a model is expected.
MODELS: dict[str, Callable[..., ExpectedReturnModel]] = {
    "mean": ConstantMean,
    "constant_mean": ConstantMean,
    "market_adjusted": MarketAdjusted,
    "market": MarketModel,
    "ff3": FamaFrench3,
    "carhart": Carhart4,
    "ff5": FamaFrench5,
    "garch": GarchModel,
}


def get_model(
    model: str | ExpectedReturnModel, *, market: str | None = None
) -> ExpectedReturnModel:
    """Turn a model name or object into a model.

    Parameters
    ----------
    model : str or ExpectedReturnModel
        ``"mean"``, ``"market_adjusted"``, ``"market"``, ``"ff3"``,
        ``"carhart"``, ``"ff5"``, ``"garch"`` or a model object.
    market : str, optional
        Market column for ``"market"`` and ``"market_adjusted"`` given by name.

    Raises
    ------
    ModelSpecificationError
        If the name is unknown.
    """
    if isinstance(model, ExpectedReturnModel):
        return model
    if isinstance(model, str) and model.strip().lower() in MODELS:
        factory = MODELS[model.strip().lower()]
        if market is not None and factory in (MarketModel, MarketAdjusted, GarchModel):
            return factory(market=market)
        return factory()
    names = ", ".join(repr(n) for n in MODELS if n != "constant_mean")
    raise ModelSpecificationError(
        f"model {model!r} is not known; expected one of {names} or a model object "
        "such as es.MarketModel(market='SPY')"
    )
