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
=================  ===========================  ============================  ===

For ``ConstantMean`` and ``MarketAdjusted`` the residual standard deviation is
the sample standard deviation (ddof = 1) of the estimation-window abnormal
returns (Brown & Warner 1985); for the regression models it is the OLS
:math:`\hat\sigma` with :math:`m - k` degrees of freedom.

Models are chosen by object or by name: ``"mean"``, ``"market_adjusted"``,
``"market"``, ``"ff3"``, ``"carhart"``, ``"ff5"`` (see :func:`get_model`).

References
----------
Brown, S. J. and Warner, J. B. (1985). Using daily stock returns: the case of
event studies. *Journal of Financial Economics* 14, 3-31.
MacKinlay, A. C. (1997). Event studies in economics and finance. *Journal of
Economic Literature* 35, 13-39.
Fama, E. F. and French, K. R. (1993, 2015); Carhart, M. M. (1997).
"""

from __future__ import annotations

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
    r"""Market model: :math:`R_{it} = \alpha_i + \beta_i R_{mt} + \varepsilon_{it}` (OLS).

    Parameters
    ----------
    market : str, default "SPY"
        Column of the returns panel holding the market return.

    Examples
    --------
    >>> import eventstudy as es
    >>> es.MarketModel("QQQ").param_names
    ('alpha', 'beta')
    """

    market: str = "SPY"
    label: str = field(default="Market model", init=False, repr=False)

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
        factors = tuple(str(f) for f in factors)
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


#: Model names accepted wherever a model is expected.
MODELS: dict[str, Callable[..., ExpectedReturnModel]] = {
    "mean": ConstantMean,
    "constant_mean": ConstantMean,
    "market_adjusted": MarketAdjusted,
    "market": MarketModel,
    "ff3": FamaFrench3,
    "carhart": Carhart4,
    "ff5": FamaFrench5,
}


def get_model(
    model: str | ExpectedReturnModel, *, market: str | None = None
) -> ExpectedReturnModel:
    """Turn a model name or object into a model.

    Parameters
    ----------
    model : str or ExpectedReturnModel
        ``"mean"``, ``"market_adjusted"``, ``"market"``, ``"ff3"``,
        ``"carhart"``, ``"ff5"`` or a model object.
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
        if market is not None and factory in (MarketModel, MarketAdjusted):
            return factory(market=market)
        return factory()
    names = ", ".join(repr(n) for n in MODELS if n != "constant_mean")
    raise ModelSpecificationError(
        f"model {model!r} is not known; expected one of {names} or a model object "
        "such as es.MarketModel(market='SPY')"
    )
