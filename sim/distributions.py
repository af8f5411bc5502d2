"""Probability distributions a scenario file can name for any uncertain quantity.

A plain number means a fixed value. Otherwise a distribution is written readably, either as a
string such as ``"triangular(12, 18, 30)"`` or ``"pert(1, 2.5, 6)"``, or as a TOML table such as
``{dist = "triangular", low = 12, mode = 18, high = 30}``. Every distribution object can
``sample(rng, size)`` with a given :class:`numpy.random.Generator` and reports its analytic
``mean`` and ``variance`` and its ``support`` (lowest, highest possible value), so validation
can check that a probability can never leave [0, 1] and a cost can never be negative.

Supported: fixed, uniform, triangular, pert, normal (optionally truncated), lognormal,
beta (optionally scaled to [low, high]), bernoulli.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from sim.limits import MAX_ABS_NUMBER, MAX_TAIL_RATIO


def _stats() -> Any:
    """``scipy.stats``, imported on first use (it takes about 0.4 s; only normal needs it)."""
    from scipy import stats

    return stats


class DistributionError(ValueError):
    """A distribution was written wrongly; the message says which rule was broken."""


def _finite(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DistributionError(f"parameter '{name}' must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise DistributionError(f"parameter '{name}' must be finite, got {value!r}")
    return value


def _bounded(name: str, value: Any) -> float:
    """A finite number within the magnitude an input may have (:data:`MAX_ABS_NUMBER`)."""
    value = _finite(name, value)
    if abs(value) > MAX_ABS_NUMBER:
        raise DistributionError(
            f"parameter '{name}' is {value:g}, beyond the largest number accepted "
            f"(|x| ≤ {MAX_ABS_NUMBER:g})"
        )
    return value


@dataclass(frozen=True)
class Distribution:
    """Base class: a named distribution with analytic moments and a sampler."""

    kind: ClassVar[str] = ""
    params: ClassVar[tuple[str, ...]] = ()

    @property
    def mean(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def variance(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def support(self) -> tuple[float, float]:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def is_fixed(self) -> bool:
        """True when the quantity is not uncertain."""
        return False

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        """Draw ``size`` values (a float when ``size`` is None) using ``rng``."""
        raise NotImplementedError  # pragma: no cover

    def to_text(self) -> str:
        """The readable form a scenario file uses, e.g. ``triangular(12, 18, 30)``."""
        args = ", ".join(_fmt(getattr(self, p)) for p in self.params)
        return f"{self.kind}({args})"

    def __str__(self) -> str:
        return self.to_text()


def _fmt(x: float) -> str:
    """Short form when it is exact (``12``, ``0.85``), else the shortest exact form."""
    short = f"{x:g}"
    return short if float(short) == x else repr(float(x))


@dataclass(frozen=True)
class Fixed(Distribution):
    """A known value (a plain number in the scenario file)."""

    value: float
    kind: ClassVar[str] = "fixed"
    params: ClassVar[tuple[str, ...]] = ("value",)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _finite("value", self.value))

    mean = property(lambda self: self.value)
    variance = property(lambda self: 0.0)
    support = property(lambda self: (self.value, self.value))
    is_fixed = property(lambda self: True)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        return self.value if size is None else np.full(size, self.value)

    def to_text(self) -> str:
        return _fmt(self.value)


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on [low, high]."""

    low: float
    high: float
    kind: ClassVar[str] = "uniform"
    params: ClassVar[tuple[str, ...]] = ("low", "high")

    def __post_init__(self) -> None:
        if not self.low <= self.high:
            raise DistributionError("uniform needs low <= high")

    mean = property(lambda self: (self.low + self.high) / 2)
    variance = property(lambda self: (self.high - self.low) ** 2 / 12)
    support = property(lambda self: (self.low, self.high))

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        return rng.uniform(self.low, self.high, size)


@dataclass(frozen=True)
class Triangular(Distribution):
    """Triangular with minimum ``low``, mode ``mode`` and maximum ``high``."""

    low: float
    mode: float
    high: float
    kind: ClassVar[str] = "triangular"
    params: ClassVar[tuple[str, ...]] = ("low", "mode", "high")

    def __post_init__(self) -> None:
        if not self.low <= self.mode <= self.high:
            raise DistributionError("triangular needs low <= mode <= high")

    mean = property(lambda self: (self.low + self.mode + self.high) / 3)
    support = property(lambda self: (self.low, self.high))

    @property
    def variance(self) -> float:
        a, c, b = self.low, self.mode, self.high
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        if self.low == self.high:
            return self.low if size is None else np.full(size, self.low)
        return rng.triangular(self.low, self.mode, self.high, size)


@dataclass(frozen=True)
class Pert(Distribution):
    """PERT (beta-PERT) with minimum, most likely value and maximum; shape ``lamb`` = 4.

    alpha = 1 + lamb (mode - low)/(high - low), beta = 1 + lamb (high - mode)/(high - low).
    """

    low: float
    mode: float
    high: float
    lamb: float = 4.0
    kind: ClassVar[str] = "pert"
    params: ClassVar[tuple[str, ...]] = ("low", "mode", "high")

    def __post_init__(self) -> None:
        if not self.low <= self.mode <= self.high:
            raise DistributionError("pert needs low <= mode <= high")
        if not self.lamb > 0:
            raise DistributionError("pert needs lamb > 0")

    def _ab(self) -> tuple[float, float]:
        r = self.high - self.low
        return (
            1 + self.lamb * (self.mode - self.low) / r,
            1 + self.lamb * (self.high - self.mode) / r,
        )

    support = property(lambda self: (self.low, self.high))

    @property
    def mean(self) -> float:
        return (self.low + self.lamb * self.mode + self.high) / (self.lamb + 2)

    @property
    def variance(self) -> float:
        if self.high == self.low:
            return 0.0
        a, b = self._ab()
        return (a * b) / ((a + b) ** 2 * (a + b + 1)) * (self.high - self.low) ** 2

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        if self.high == self.low:
            return self.low if size is None else np.full(size, self.low)
        a, b = self._ab()
        return self.low + (self.high - self.low) * rng.beta(a, b, size)

    def to_text(self) -> str:
        text = f"pert({_fmt(self.low)}, {_fmt(self.mode)}, {_fmt(self.high)}"
        if self.lamb != 4.0:
            text += f", lamb={_fmt(self.lamb)}"
        return text + ")"


@dataclass(frozen=True)
class Normal(Distribution):
    """Normal with ``mean`` and ``sd``, optionally truncated to [low, high]."""

    mu: float
    sd: float
    low: float = -math.inf
    high: float = math.inf
    kind: ClassVar[str] = "normal"
    params: ClassVar[tuple[str, ...]] = ("mu", "sd")

    def __post_init__(self) -> None:
        if not self.sd > 0:
            raise DistributionError("normal needs sd > 0")
        if not self.low < self.high:
            raise DistributionError("normal needs low < high")
        if self.truncated and not self._mass() > 1e-100:
            raise DistributionError(
                f"normal({_fmt(self.mu)}, {_fmt(self.sd)}) has almost no probability between "
                f"low={_fmt(self.low)} and high={_fmt(self.high)}"
            )

    def _mass(self) -> float:
        """Probability the untruncated normal gives to [low, high] (accurate in the tails)."""
        base = _stats().norm(self.mu, self.sd)
        if self.low > self.mu:
            return float(base.sf(self.low) - base.sf(self.high))
        return float(base.cdf(self.high) - base.cdf(self.low))

    def _frozen(self) -> Any:
        a = (self.low - self.mu) / self.sd
        b = (self.high - self.mu) / self.sd
        return _stats().truncnorm(a, b, loc=self.mu, scale=self.sd)

    @property
    def truncated(self) -> bool:
        return math.isfinite(self.low) or math.isfinite(self.high)

    mean = property(lambda self: float(self._frozen().mean()) if self.truncated else self.mu)
    support = property(lambda self: (self.low, self.high))

    @property
    def variance(self) -> float:
        return float(self._frozen().var()) if self.truncated else self.sd**2

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        if not self.truncated:
            return rng.normal(self.mu, self.sd, size)
        u = rng.uniform(0.0, 1.0, size)
        # inverse-CDF of the truncated normal, via the untruncated one; above the mean the
        # survival function keeps its precision far in the tail (the CDF would round to 1)
        base = _stats().norm(self.mu, self.sd)
        if self.low > self.mu:
            slo, shi = base.sf(self.low), base.sf(self.high)
            out = base.isf(slo - u * (slo - shi))
        else:
            plo, phi = base.cdf(self.low), base.cdf(self.high)
            out = base.ppf(plo + u * (phi - plo))
        return np.clip(out, self.low, self.high) if size is not None else float(
            min(max(out, self.low), self.high)
        )

    def to_text(self) -> str:
        text = f"normal({_fmt(self.mu)}, {_fmt(self.sd)}"
        if math.isfinite(self.low):
            text += f", low={_fmt(self.low)}"
        if math.isfinite(self.high):
            text += f", high={_fmt(self.high)}"
        return text + ")"


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Lognormal given by the ``mean`` and ``sd`` of the quantity itself (not of its log)."""

    mu: float
    sd: float
    kind: ClassVar[str] = "lognormal"
    params: ClassVar[tuple[str, ...]] = ("mu", "sd")

    def __post_init__(self) -> None:
        if not self.mu > 0:
            raise DistributionError("lognormal needs mean > 0")
        if not self.sd > 0:
            raise DistributionError("lognormal needs sd > 0")
        if self.sd > MAX_TAIL_RATIO * self.mu:
            raise DistributionError(
                f"lognormal({_fmt(self.mu)}, {_fmt(self.sd)}) has an absurd tail: sd may be at "
                f"most {MAX_TAIL_RATIO:g} × mean"
            )

    def _log_params(self) -> tuple[float, float]:
        s2 = math.log1p((self.sd / self.mu) ** 2)
        return math.log(self.mu) - s2 / 2, math.sqrt(s2)

    mean = property(lambda self: self.mu)
    variance = property(lambda self: self.sd**2)
    support = property(lambda self: (0.0, math.inf))

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        m, s = self._log_params()
        return rng.lognormal(m, s, size)


@dataclass(frozen=True)
class Beta(Distribution):
    """Beta(a, b), scaled to [low, high] (default [0, 1])."""

    a: float
    b: float
    low: float = 0.0
    high: float = 1.0
    kind: ClassVar[str] = "beta"
    params: ClassVar[tuple[str, ...]] = ("a", "b")

    def __post_init__(self) -> None:
        if not (self.a > 0 and self.b > 0):
            raise DistributionError("beta needs a > 0 and b > 0")
        if not self.low < self.high:
            raise DistributionError("beta needs low < high")

    support = property(lambda self: (self.low, self.high))

    @property
    def mean(self) -> float:
        return self.low + (self.high - self.low) * self.a / (self.a + self.b)

    @property
    def variance(self) -> float:
        a, b = self.a, self.b
        return (self.high - self.low) ** 2 * a * b / ((a + b) ** 2 * (a + b + 1))

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        return self.low + (self.high - self.low) * rng.beta(self.a, self.b, size)

    def to_text(self) -> str:
        text = f"beta({_fmt(self.a)}, {_fmt(self.b)}"
        if (self.low, self.high) != (0.0, 1.0):
            text += f", low={_fmt(self.low)}, high={_fmt(self.high)}"
        return text + ")"


@dataclass(frozen=True)
class Bernoulli(Distribution):
    """1 with probability ``p``, else 0."""

    p: float
    kind: ClassVar[str] = "bernoulli"
    params: ClassVar[tuple[str, ...]] = ("p",)

    def __post_init__(self) -> None:
        if not 0.0 <= self.p <= 1.0:
            raise DistributionError("bernoulli needs 0 <= p <= 1")

    mean = property(lambda self: self.p)
    variance = property(lambda self: self.p * (1 - self.p))
    support = property(lambda self: (0.0, 1.0))

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        if size is None:
            return float(rng.random() < self.p)
        return (rng.random(size) < self.p).astype(float)


#: name -> (class, positional parameter names, optional keyword parameter names)
_KINDS: dict[str, tuple[type[Distribution], tuple[str, ...], tuple[str, ...]]] = {
    "fixed": (Fixed, ("value",), ()),
    "uniform": (Uniform, ("low", "high"), ()),
    "triangular": (Triangular, ("low", "mode", "high"), ()),
    "pert": (Pert, ("low", "mode", "high"), ("lamb",)),
    "normal": (Normal, ("mean", "sd"), ("low", "high")),
    "lognormal": (LogNormal, ("mean", "sd"), ()),
    "beta": (Beta, ("a", "b"), ("low", "high")),
    "bernoulli": (Bernoulli, ("p",), ()),
}
_RENAME = {"mean": "mu"}


def upper_tail(d: Distribution) -> float:
    """Highest value that matters for bounds: the support's top, or, when unbounded above,
    the 99.99th percentile (normal: mean + 3.72 sd; lognormal from its log parameters)."""
    hi = d.support[1]
    if math.isfinite(hi):
        return hi
    if isinstance(d, LogNormal):
        m, s = d._log_params()
        return math.exp(min(m + 3.72 * s, 700.0))
    if isinstance(d, Normal):
        return d.mu + 3.72 * d.sd
    return hi

DISTRIBUTION_HELP: dict[str, str] = {
    "fixed": "a plain number, e.g. 0.85",
    "uniform": "uniform(low, high)",
    "triangular": "triangular(low, mode, high)",
    "pert": "pert(low, mode, high) — beta-PERT, optional lamb=4",
    "normal": "normal(mean, sd), optional low=…, high=… to truncate",
    "lognormal": "lognormal(mean, sd) — mean and sd of the quantity itself",
    "beta": "beta(a, b), optional low=0, high=1 to rescale",
    "bernoulli": "bernoulli(p) — 1 with probability p, else 0",
}

_CALL = re.compile(r"^\s*([A-Za-z_]+)\s*\((.*)\)\s*$", re.S)


def _build(kind: str, args: list[Any], kwargs: dict[str, Any]) -> Distribution:
    kind = kind.strip().lower()
    if kind not in _KINDS:
        known = ", ".join(sorted(_KINDS))
        raise DistributionError(f"unknown distribution '{kind}' (known: {known})")
    cls, positional, optional = _KINDS[kind]
    if len(args) > len(positional):
        raise DistributionError(
            f"{kind} takes {len(positional)} positional parameters ({', '.join(positional)})"
        )
    values: dict[str, Any] = dict(zip(positional, args, strict=False))
    for key, val in kwargs.items():
        if key not in positional and key not in optional:
            allowed = ", ".join(positional + optional)
            raise DistributionError(f"{kind} has no parameter '{key}' (allowed: {allowed})")
        if key in values:
            raise DistributionError(f"{kind}: parameter '{key}' given twice")
        values[key] = val
    missing = [p for p in positional if p not in values]
    if missing:
        raise DistributionError(f"{kind} is missing parameter(s): {', '.join(missing)}")
    clean = {_RENAME.get(k, k): _bounded(k, v) for k, v in values.items()}
    return cls(**clean)


def _parse_number(text: str) -> float:
    try:
        return float(unicodedata.normalize("NFKC", text).replace("_", ""))
    except ValueError:
        raise DistributionError(f"'{text.strip()}' is not a number") from None


def parse_distribution(value: Any) -> Distribution:
    """Turn what a scenario file holds into a :class:`Distribution`.

    Parameters
    ----------
    value : int, float, str or dict
        A plain number (fixed), a string like ``"pert(1, 2, 5)"`` or a plain number in a
        string (as CSV cells are), or a table ``{dist = "pert", low = 1, mode = 2, high = 5}``.

    Raises
    ------
    DistributionError
        With a message naming the rule broken.
    """
    if isinstance(value, Distribution):
        return value
    if isinstance(value, bool):
        raise DistributionError(f"expected a number or a distribution, got {value!r}")
    if isinstance(value, int | float):
        return Fixed(_bounded("value", value))
    if isinstance(value, str):
        # full-width digits, commas and brackets typed in Japanese spreadsheets are read
        text = unicodedata.normalize("NFKC", value).strip()
        match = _CALL.match(text)
        if not match:
            if not text:
                raise DistributionError("empty value: expected a number or a distribution")
            try:
                number = _parse_number(text)
            except DistributionError:
                raise DistributionError(
                    f"'{text}' is neither a number nor a distribution such as "
                    "'triangular(1, 2, 4)'"
                ) from None
            return Fixed(_bounded("value", number))
        kind, body = match.group(1), match.group(2)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        parts = body.split(",") if body.strip() else []
        if any(not p.strip() for p in parts):
            raise DistributionError(f"'{text}' has an empty parameter (two commas in a row?)")
        for part in parts:
            if "=" in part:
                key, _, val = part.partition("=")
                if key.strip() in kwargs:
                    raise DistributionError(
                        f"'{text}': parameter '{key.strip()}' given twice")
                kwargs[key.strip()] = _parse_number(val)
            else:
                if kwargs:
                    raise DistributionError("positional parameter after a keyword parameter")
                args.append(_parse_number(part))
        return _build(kind, args, kwargs)
    if isinstance(value, dict):
        table = dict(value)
        kind = table.pop("dist", None)
        if not isinstance(kind, str):
            raise DistributionError("a distribution table needs a 'dist' key, e.g. dist = \"pert\"")
        return _build(kind, [], table)
    raise DistributionError(f"expected a number or a distribution, got {type(value).__name__}")

