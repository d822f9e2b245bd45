"""Caller patience: the mean time callers wait before hanging up, from abandons and waits."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ccmetrics.staffing.erlang import _check_finite

__all__ = ["estimate_patience"]


def estimate_patience(abandoned: float, total_wait_s: float) -> float:
    """Mean caller patience in seconds from abandons and total waiting time.

    Parameters
    ----------
    abandoned : float
        Number of callers who hung up while waiting (>= 0).
    total_wait_s : float
        Total seconds waited by all queued callers, answered and abandoned
        alike (>= 0).

    Returns
    -------
    float
        Estimated mean patience ``total_wait_s / abandoned``; ``inf`` when
        nobody abandoned (no evidence of impatience).

    Notes
    -----
    With exponential patience of rate ``theta``, an abandoned caller's wait is
    an observed patience time and an answered caller's wait a right-censored
    one. The censored-exponential log-likelihood
    ``abandoned * log(theta) - theta * total_wait_s`` is maximized at
    ``theta_hat = abandoned / total_wait_s``, so the patience mean is
    ``1 / theta_hat = total_wait_s / abandoned``. In Erlang A the same identity
    holds exactly in expectation: ``P(abandon) = theta * E[wait]``.

    References
    ----------
    .. [1] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn,
       L. Zhao, "Statistical analysis of a telephone call center: a
       queueing-science perspective", JASA 100(469), 36-50, 2005.

    Examples
    --------
    >>> estimate_patience(abandoned=12, total_wait_s=3600)
    300.0
    """
    abandoned = _check_finite("abandoned", abandoned, minimum=0.0, strict=False)
    total_wait_s = _check_finite("total_wait_s", total_wait_s, minimum=0.0, strict=False)
    if abandoned == 0.0:
        return math.inf
    if total_wait_s == 0.0:
        raise ValueError("abandons with zero total waiting time: patience cannot be estimated")
    return total_wait_s / abandoned


def _patience_by_row(table: pd.DataFrame, keys: list[str], model: str, patience_s) -> np.ndarray:
    """Mean patience for each row: inf for Erlang C, else given or estimated per queue."""
    if model == "erlang_c":
        return np.full(len(table), math.inf)
    if model != "erlang_a":
        raise ValueError(f'model must be "erlang_a" or "erlang_c", got {model!r}')
    if isinstance(patience_s, dict):
        if not keys:
            raise ValueError("patience_s as a dict needs data with a 'queue' column")
        values = table[keys[0]].map(patience_s)
        if values.isna().any():
            missing = sorted(set(table.loc[values.isna(), keys[0]]))
            raise ValueError(f"patience_s gives no value for queues {missing}")
        return values.to_numpy(dtype=float)
    if patience_s is not None:
        value = float(patience_s)
        if not value > 0:
            raise ValueError(f"patience_s must be > 0, got {patience_s!r}")
        return np.full(len(table), value)

    def estimate(group: pd.DataFrame) -> float:
        abandoned = float(np.nansum(group["abandoned"]))
        waited = float(np.nansum(group["wait_s_total"]))
        if not np.isfinite(group["abandoned"]).any() or abandoned == 0.0 or waited == 0.0:
            return math.inf
        return estimate_patience(abandoned, waited)

    if not keys:
        return np.full(len(table), estimate(table))
    per_queue = {name: estimate(group) for name, group in table.groupby(keys[0])}
    return table[keys[0]].map(per_queue).to_numpy(dtype=float)


def _group_patience(abandoned: pd.Series, waited: pd.Series) -> pd.Series:
    """:func:`estimate_patience` per group: inf without abandons, NaN without waiting time."""
    patience = waited / abandoned.where(abandoned > 0)
    patience = patience.where(abandoned > 0, math.inf)
    return patience.where((abandoned == 0) | (waited > 0), math.nan)
