"""Demand: accuracy of a supplied forecast, a daily volume forecast, external drivers.

* Accuracy of the platform's forecast (``forecast_offered``): :func:`wape`,
  :func:`forecast_bias`, :func:`forecast_errors`, :func:`forecast_accuracy`,
  always beside the seasonal-naive benchmark (same period one week earlier).
* A forecast of daily volume: :func:`daily_volume`, :func:`forecast_daily`
  (a robust weekly seasonal regression, or ETS exponential smoothing, with
  prediction intervals),
  :func:`intraday_profile` and :func:`interval_forecast` (split by weekday
  profile), :func:`rolling_origin_evaluation` and
  :func:`summarize_rolling_origin` (against seasonal naive).
* External drivers (weather, campaigns): :func:`read_drivers` (the daily driver
  file, for the Staffing page and the command line alike), :func:`join_drivers`,
  :func:`driver_effects` (regression with the weekly seasonal model, effect
  with CI, useful only if it improves hold-out accuracy),
  :func:`driver_contributions` (calls attributed to each driver per day).

MAPE is not offered: it explodes on small counts and favours under-forecasts;
WAPE (= Σ|error| / Σ actual) and bias answer the planner's questions.
"""

from __future__ import annotations

import io
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import norm
from statsmodels.robust.norms import HuberT
from statsmodels.robust.robust_linear_model import RLM
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from ccmetrics.cube import time_column
from ccmetrics.i18n import t
from ccmetrics.kpi import compute, subset, weekday_slot_table

__all__ = [
    "SEASON_DAYS",
    "MIN_HISTORY_DAYS",
    "wape",
    "forecast_bias",
    "seasonal_naive_forecast",
    "forecast_errors",
    "forecast_accuracy",
    "daily_volume",
    "forecast_daily",
    "intraday_profile",
    "interval_forecast",
    "rolling_origin_evaluation",
    "summarize_rolling_origin",
    "DRIVER_DATE_HEADERS",
    "MAX_DRIVER_BYTES",
    "DriverFileError",
    "read_drivers",
    "join_drivers",
    "driver_effects",
    "driver_contributions",
]

#: Length of the season: demand repeats weekly.
SEASON_DAYS = 7
#: Shortest history :func:`forecast_daily` and the driver regression accept.
MIN_HISTORY_DAYS = 3 * SEASON_DAYS


# --------------------------------------------------------------------------
# accuracy measures
# --------------------------------------------------------------------------
def _pairs(actual: ArrayLike, forecast: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    actual = np.asarray(actual, dtype=float)
    forecast = np.asarray(forecast, dtype=float)
    if actual.shape != forecast.shape:
        raise ValueError(f"actual and forecast differ in shape: {actual.shape} vs {forecast.shape}")
    known = np.isfinite(actual) & np.isfinite(forecast)
    return actual[known], forecast[known]


def wape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Weighted absolute percentage error, ``Σ |forecast − actual| / Σ actual``.

    Parameters
    ----------
    actual, forecast : array-like
        Paired values; pairs with a missing value on either side are skipped.

    Returns
    -------
    float
        WAPE as a fraction (0.05 = 5 %); NaN when ``Σ actual <= 0``.

    Notes
    -----
    Also called MAD/mean ratio: the mean absolute error divided by the mean
    actual. Unlike MAPE it stays finite for periods with few or no calls and
    weighs each period by its volume.

    References
    ----------
    .. [1] S. Kolassa, W. Schütz, "Advantages of the MAD/MEAN ratio over the
       MAPE", Foresight 6, 40-43, 2007.

    Examples
    --------
    >>> wape([100, 200, 100], [110, 180, 100])  # (10 + 20 + 0) / 400
    0.075
    """
    actual, forecast = _pairs(actual, forecast)
    total = actual.sum()
    if not total > 0:
        return math.nan
    return float(np.abs(forecast - actual).sum() / total)


def forecast_bias(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Relative bias of a forecast, ``(Σ forecast − Σ actual) / Σ actual``.

    Parameters
    ----------
    actual, forecast : array-like
        Paired values; pairs with a missing value on either side are skipped.

    Returns
    -------
    float
        Positive when the forecast was too high (over-forecast), negative when
        too low; NaN when ``Σ actual <= 0``.

    Examples
    --------
    >>> forecast_bias([100, 200, 100], [110, 180, 100])  # (390 - 400) / 400
    -0.025
    """
    actual, forecast = _pairs(actual, forecast)
    total = actual.sum()
    if not total > 0:
        return math.nan
    return float((forecast.sum() - total) / total)


def seasonal_naive_forecast(
    history: ArrayLike, horizon: int, season_length: int = SEASON_DAYS
) -> np.ndarray:
    """Seasonal-naive forecast: each future period repeats the last observed season.

    Parameters
    ----------
    history : array-like
        Observed values, oldest first (at least ``season_length`` of them).
    horizon : int
        Number of periods to forecast (>= 1).
    season_length : int, default 7
        Periods per season (7 for daily data with a weekly pattern).

    Returns
    -------
    ndarray
        ``y_hat[T + h] = y[T + h - m * k]`` with ``k = floor((h - 1) / m) + 1``,
        for ``h = 1 .. horizon``.

    References
    ----------
    .. [1] R. J. Hyndman, G. Athanasopoulos, "Forecasting: Principles and
       Practice", 3rd ed., section 5.2, OTexts, 2021.

    Examples
    --------
    >>> seasonal_naive_forecast([1, 2, 3, 4, 5, 6, 7, 8], horizon=3, season_length=3)
    array([6., 7., 8.])
    """
    history = np.asarray(history, dtype=float)
    if horizon < 1:
        raise ValueError(f"horizon must be >= 1, got {horizon}")
    if len(history) < season_length:
        raise ValueError(f"need at least one season ({season_length} values) of history")
    last_season = history[-season_length:]
    return np.array([last_season[(h - 1) % season_length] for h in range(1, horizon + 1)])


# --------------------------------------------------------------------------
# accuracy of a supplied forecast
# --------------------------------------------------------------------------
def _interval_minutes(frame: pd.DataFrame, plan: pd.DataFrame | None, freq: str) -> float:
    for source in (frame, plan):
        if source is not None and "interval_minutes" in source.columns:
            value = float(pd.to_numeric(source["interval_minutes"], errors="coerce").max())
            if math.isfinite(value) and value > 0:
                return value
    return pd.Timedelta(pd.tseries.frequencies.to_offset(freq)).total_seconds() / 60.0


def forecast_errors(
    frame: pd.DataFrame,
    plan: pd.DataFrame | None = None,
    *,
    level: str = "day",
    by: str | list[str] | None = None,
    freq: str = "30min",
    season_days: int = SEASON_DAYS,
) -> pd.DataFrame:
    """Actual vs forecast calls per period, with the seasonal-naive benchmark beside it.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals (the actual offered calls).
    plan : DataFrame, optional
        Interval frame with ``interval_start``, ``forecast_offered`` (and the
        ``by`` columns). Default: ``frame`` itself (an interval frame).
    level : {"day", "interval"}
        Compare daily totals or individual intervals.
    by : str or list of str, optional
        Group columns (e.g. "queue"), present in both frames.
    freq : str, default "30min"
        Interval length of call data when neither frame gives ``interval_minutes``.
    season_days : int, default 7
        The benchmark is the actual of the same period this many days earlier.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period`` (day or interval start), ``actual``,
        ``forecast``, ``naive`` (NaN when the earlier period is not in the
        data), ``error = forecast − actual``, ``naive_error = naive − actual``.

    Notes
    -----
    Actual calls come from :func:`ccmetrics.kpi.compute` (by arrival). Every
    period of the plan is kept; a planned period without calls has 0 actual
    calls.

    Examples
    --------
    >>> days = pd.date_range("2025-01-06", periods=8, freq="D")
    >>> intervals = pd.DataFrame({"interval_start": days, "interval_minutes": 1440.0,
    ...     "offered": [100.0] * 7 + [90.0], "forecast_offered": [95.0] * 8})
    >>> forecast_errors(intervals).iloc[-1][["actual", "forecast", "naive", "error"]].astype(float).tolist()
    [90.0, 95.0, 100.0, 5.0]
    """
    if level not in ("day", "interval"):
        raise ValueError(f'level must be "day" or "interval", got {level!r}')
    by = [by] if isinstance(by, str) else list(by or [])
    plan = frame if plan is None else plan
    if "forecast_offered" not in plan.columns:
        raise ValueError("no forecast: the data has no 'forecast_offered' column")
    minutes = _interval_minutes(frame, plan, freq)
    period_freq = "D" if level == "day" else f"{minutes:g}min"
    actual = compute(frame, by=by or None, freq=period_freq)[[*by, "period", "offered"]]
    actual = actual.rename(columns={"offered": "actual"})
    planned = pd.DataFrame(
        {
            "period": pd.to_datetime(plan[time_column(plan)]).dt.floor(period_freq),
            "forecast": pd.to_numeric(plan["forecast_offered"], errors="coerce"),
        }
    )
    for column in by:
        planned[column] = plan[column].astype(str).to_numpy()
        actual[column] = actual[column].astype(str)
    planned = planned.groupby([*by, "period"], sort=True)["forecast"].sum(min_count=1).reset_index()
    actual["period"] = pd.to_datetime(actual["period"]).astype("datetime64[ns]")
    planned["period"] = planned["period"].astype("datetime64[ns]")
    table = planned.merge(actual, on=[*by, "period"], how="outer")
    table["actual"] = table["actual"].fillna(0.0)
    earlier = table[[*by, "period", "actual"]].rename(columns={"actual": "naive"})
    earlier["period"] = earlier["period"] + pd.Timedelta(days=season_days)
    table = table.merge(earlier, on=[*by, "period"], how="left")
    table["error"] = table["forecast"] - table["actual"]
    table["naive_error"] = table["naive"] - table["actual"]
    table = table.sort_values([*by, "period"]).reset_index(drop=True)
    return table[[*by, "period", "actual", "forecast", "naive", "error", "naive_error"]]


def forecast_accuracy(
    frame: pd.DataFrame,
    plan: pd.DataFrame | None = None,
    *,
    level: str = "day",
    by: str | list[str] | None = None,
    freq: str = "30min",
    season_days: int = SEASON_DAYS,
) -> pd.DataFrame:
    """WAPE and bias of a supplied forecast against the seasonal-naive benchmark.

    Parameters
    ----------
    frame, plan, level, by, freq, season_days
        As in :func:`forecast_errors`.

    Returns
    -------
    DataFrame
        One row per group (one row without ``by``): ``level``, ``periods``
        (compared), ``actual`` and ``forecast`` totals, ``wape``, ``bias``,
        ``naive_wape``, ``naive_bias``, ``relative_wape`` (wape ÷ naive_wape:
        below 1 means the forecast beats seasonal naive).

    Notes
    -----
    Only periods where the actual, the forecast and the benchmark are all
    known are compared, so both methods are scored on the same periods (the
    first ``season_days`` days have no benchmark and are left out). See
    :func:`wape` and :func:`forecast_bias`.

    Examples
    --------
    >>> days = pd.date_range("2025-01-06", periods=14, freq="D")
    >>> intervals = pd.DataFrame({"interval_start": days, "interval_minutes": 1440.0,
    ...     "offered": [100.0] * 7 + [110.0] * 7, "forecast_offered": [100.0] * 14})
    >>> row = forecast_accuracy(intervals).iloc[0]
    >>> round(float(row.wape), 4), round(float(row.naive_wape), 4)  # 70/770, 70/770
    (0.0909, 0.0909)
    """
    by = [by] if isinstance(by, str) else list(by or [])
    errors = forecast_errors(frame, plan, level=level, by=by, freq=freq, season_days=season_days)
    compared = errors.dropna(subset=["actual", "forecast", "naive"])
    groups = compared.groupby(by, sort=True) if by else [((), compared)]
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        model_wape = wape(group["actual"], group["forecast"])
        naive_wape = wape(group["actual"], group["naive"])
        rows.append(
            {
                **dict(zip(by, key, strict=True)),
                "level": level,
                "periods": len(group),
                "actual": float(group["actual"].sum()),
                "forecast": float(group["forecast"].sum()),
                "wape": model_wape,
                "bias": forecast_bias(group["actual"], group["forecast"]),
                "naive_wape": naive_wape,
                "naive_bias": forecast_bias(group["actual"], group["naive"]),
                "relative_wape": model_wape / naive_wape if naive_wape > 0 else math.nan,
            }
        )
    columns = [*by, "level", "periods", "actual", "forecast", "wape", "bias"]
    columns += ["naive_wape", "naive_bias", "relative_wape"]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------
# daily forecast
# --------------------------------------------------------------------------
def daily_volume(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Offered calls per day, every calendar day present.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals.
    by : str, optional
        A group column (e.g. "queue"): one series per group.

    Returns
    -------
    DataFrame
        ``by`` (when given), ``date`` (midnight), ``offered``. A day without
        any record inside the data's date range counts 0 calls (closed). Rows
        whose ``by`` value is missing are in no group.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-01 09:00", "2025-01-03 10:00"]),
    ...     "wait_s": [0.0, 0.0], "answered": [True, True], "abandoned": [False, False]})
    >>> daily_volume(calls)["offered"].tolist()
    [1.0, 0.0, 1.0]
    """
    by_list = [by] if by else []
    table = compute(frame, by=by_list or None, freq="D")[[*by_list, "period", "offered"]]
    if by:
        # rows without a group value (e.g. calls that ended in the IVR have no queue) belong
        # to no group's series
        table = table[table[by].notna()]
    table = table.rename(columns={"period": "date"})
    table["date"] = pd.to_datetime(table["date"]).astype("datetime64[ns]")
    if table.empty:
        return table
    dates = pd.date_range(table["date"].min(), table["date"].max(), freq="D")
    if by:
        full = pd.MultiIndex.from_product([sorted(table[by].unique()), dates], names=[by, "date"])
        table = table.set_index([by, "date"]).reindex(full)
    else:
        table = table.set_index("date").reindex(pd.DatetimeIndex(dates, name="date"))
    table["offered"] = table["offered"].fillna(0.0)
    return table.reset_index()


def _as_daily_series(history) -> pd.Series:
    """A float Series on a daily DatetimeIndex from a Series or a daily_volume frame."""
    if isinstance(history, pd.DataFrame):
        if "date" not in history.columns or "offered" not in history.columns:
            raise ValueError("history needs 'date' and 'offered' columns (see daily_volume)")
        history = history.set_index("date")["offered"]
    series = pd.Series(history, dtype=float).copy()
    series.index = pd.DatetimeIndex(pd.to_datetime(series.index)).normalize()
    series = series.sort_index()
    if series.index.has_duplicates:
        raise ValueError("history has more than one value for a date")
    full = pd.date_range(series.index.min(), series.index.max(), freq="D")
    if len(full) != len(series):
        raise ValueError("history has gaps: give every day (0 for a closed day)")
    series.index = full
    if (series < 0).any() or series.isna().any():
        raise ValueError("history must be counts >= 0 without missing values")
    return series


def _driver_values(
    drivers: pd.DataFrame, columns: list[str] | None, date_column: str = "date"
) -> pd.DataFrame:
    """Driver columns as floats (True = 1.0) on a DatetimeIndex of dates."""
    if date_column not in drivers.columns:
        raise ValueError(f"the driver file has no {date_column!r} column")
    columns = [c for c in drivers.columns if c != date_column] if columns is None else list(columns)
    if not columns:
        raise ValueError("the driver file has no driver columns")
    missing = [c for c in columns if c not in drivers.columns]
    if missing:
        raise ValueError(f"the driver file has no columns {missing}")
    dates = pd.DatetimeIndex(pd.to_datetime(drivers[date_column])).normalize()
    if dates.has_duplicates:
        raise ValueError("the driver file has more than one row for a date")
    values = pd.DataFrame(index=pd.DatetimeIndex(dates, name="date"))
    for column in columns:
        raw = drivers[column]
        if raw.dtype == bool or str(raw.dtype) == "boolean":
            converted = raw.astype("Float64").astype(float)
        else:
            text = raw.astype(str).str.strip().str.lower()
            mapped = text.map({"true": 1.0, "false": 0.0, "yes": 1.0, "no": 0.0})
            converted = pd.to_numeric(raw, errors="coerce").fillna(mapped)
            bad = converted.isna() & raw.notna() & ~text.isin(["", "nan", "<na>", "none"])
            if bad.any():
                raise ValueError(
                    f"driver {column!r} is not a number or a yes/no flag "
                    f"(e.g. {raw[bad].iloc[0]!r})"
                )
        values[column] = converted.to_numpy(dtype=float)
    return values


def _design(dates: pd.DatetimeIndex, origin: pd.Timestamp, drivers: pd.DataFrame | None):
    """Intercept, weekday dummies (Monday = base), linear trend in years, drivers."""
    day_of_week = np.asarray(dates.day_of_week)
    columns = {"const": np.ones(len(dates))}
    for weekday in range(1, 7):
        columns[f"weekday_{weekday}"] = (day_of_week == weekday).astype(float)
    columns["trend_per_year"] = (dates - origin).days.to_numpy() / 365.25
    if drivers is not None:
        for column in drivers.columns:
            columns[column] = drivers[column].reindex(dates).to_numpy(dtype=float)
    return pd.DataFrame(columns, index=dates)  # in one go: a column at a time cost 4 ms


def _fit(y: pd.Series, design: pd.DataFrame):
    """Huber M-estimate of log(1 + calls) on the design; drops constant columns."""
    keep = [c for c in design.columns if c == "const" or design[c].nunique() > 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return RLM(np.log1p(y), design[keep], M=HuberT()).fit()


def _regression_forecast(
    series: pd.Series,
    horizon: int,
    drivers: pd.DataFrame | None,
    confidence: float,
    window_days: int | None,
) -> pd.DataFrame:
    train = series.iloc[-window_days:] if window_days else series
    future = pd.date_range(series.index[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")
    if drivers is not None:
        known = drivers.reindex(train.index).notna().all(axis=1)
        train = train[known.to_numpy()]
        if drivers.reindex(future).isna().any().any():
            raise ValueError("the driver file must give every driver for every forecast day")
    if len(train) < MIN_HISTORY_DAYS:
        raise ValueError(f"need at least {MIN_HISTORY_DAYS} days of history, got {len(train)}")
    origin = train.index[0]
    result = _fit(train, _design(train.index, origin, drivers))
    design = _design(future, origin, drivers)[result.params.index].to_numpy(dtype=float)
    log_mean = design @ result.params.to_numpy()
    parameter_variance = np.einsum("ij,jk,ik->i", design, result.cov_params().to_numpy(), design)
    spread = norm.ppf(0.5 + confidence / 2.0) * np.sqrt(result.scale**2 + parameter_variance)
    return pd.DataFrame(
        {
            "date": future,
            "forecast": np.expm1(log_mean).clip(min=0.0),
            "lower": np.expm1(log_mean - spread).clip(min=0.0),
            "upper": np.expm1(log_mean + spread).clip(min=0.0),
        }
    )


def _ets_forecast(
    series: pd.Series, horizon: int, confidence: float, damped_trend: bool
) -> pd.DataFrame:
    # imported here: statsmodels' time-series package costs about 0.3 s to import and
    # only the "ets" method uses it
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(
        np.log1p(series),
        error="add",
        trend="add" if damped_trend else None,
        damped_trend=damped_trend,
        seasonal="add",
        seasonal_periods=SEASON_DAYS,
    )
    with warnings.catch_warnings():
        # A perfectly regular history leaves the likelihood flat at its optimum.
        warnings.simplefilter("ignore", ConvergenceWarning)
        fitted = model.fit(disp=False)
    frame = fitted.get_prediction(start=len(series), end=len(series) + horizon - 1).summary_frame(
        alpha=1.0 - confidence
    )
    return pd.DataFrame(
        {
            "date": pd.date_range(series.index[-1] + pd.Timedelta(days=1), periods=horizon),
            "forecast": np.expm1(frame["mean"].to_numpy()).clip(min=0.0),
            "lower": np.expm1(frame["pi_lower"].to_numpy()).clip(min=0.0),
            "upper": np.expm1(frame["pi_upper"].to_numpy()).clip(min=0.0),
        }
    )


def forecast_daily(
    history,
    horizon: int,
    *,
    method: str = "regression",
    drivers: pd.DataFrame | None = None,
    driver_columns: list[str] | None = None,
    confidence: float = 0.95,
    window_days: int | None = 364,
    damped_trend: bool = True,
) -> pd.DataFrame:
    """Forecast daily calls with a weekly seasonal model, with prediction intervals.

    Parameters
    ----------
    history : Series or DataFrame
        Daily calls on consecutive dates (a Series indexed by date, or the
        ``date``/``offered`` frame of :func:`daily_volume`); at least
        :data:`MIN_HISTORY_DAYS` days.
    horizon : int
        Days to forecast after the last date.
    method : {"regression", "ets"}
        "regression" (default): robust seasonal regression, which may use
        drivers; "ets": exponential smoothing ETS(A, Ad, A).
    drivers : DataFrame, optional
        Daily driver file (see :func:`join_drivers`) covering the history and
        every forecast day; "regression" only.
    driver_columns : list of str, optional
        Drivers to use; default every column of ``drivers`` but the date.
    confidence : float, default 0.95
        Coverage of the prediction interval.
    window_days : int or None, default 364
        "regression": fit on the last ``window_days`` days only (None: all),
        so that an old weekly pattern or trend does not linger.
    damped_trend : bool, default True
        "ets": damped additive trend (True) or no trend (False).

    Returns
    -------
    DataFrame
        ``date``, ``forecast`` (median forecast), ``lower``, ``upper``
        (prediction interval), one row per future day.

    Notes
    -----
    Both methods model ``z = log(1 + calls)``, so the weekly pattern and the
    errors are multiplicative in calls and closed days (0 calls) are
    allowed; forecasts and bounds are ``exp(.) − 1`` of those of ``z`` (the
    back-transformed mean of ``z`` is the median of the calls).

    - "regression": ``z_t = a + Σ_d weekday_d(t) + b t + Σ_j beta_j x_jt + e_t``
      fitted with Huber's M-estimator (statsmodels ``RLM``), so holidays and
      other one-off days do not distort the weekly pattern; the interval is
      ``z_hat ± q sqrt(s^2 + x' V x)`` with ``s`` the robust residual scale,
      ``V`` the covariance of the coefficients and ``q`` the normal quantile.
    - "ets": statsmodels ``ETSModel`` (additive error, damped additive trend,
      additive weekly season) by maximum likelihood, with its analytic
      prediction interval. It follows level shifts quickly, but a holiday
      week in the recent history carries into its forecast.

    References
    ----------
    .. [1] R. J. Hyndman, A. B. Koehler, J. K. Ord, R. D. Snyder, "Forecasting
       with Exponential Smoothing: The State Space Approach", Springer, 2008.
    .. [2] P. J. Huber, "Robust estimation of a location parameter", Annals
       of Mathematical Statistics 35(1), 73-101, 1964.

    Examples
    --------
    >>> days = pd.date_range("2025-01-06", periods=28, freq="D")
    >>> history = pd.Series([120, 110, 100, 100, 90, 50, 40] * 4, index=days, dtype=float)
    >>> forecast_daily(history, 7)["forecast"].round().tolist()
    [120.0, 110.0, 100.0, 100.0, 90.0, 50.0, 40.0]
    """
    series = _as_daily_series(history)
    if horizon < 1:
        raise ValueError(f"horizon must be >= 1, got {horizon}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    if len(series) < MIN_HISTORY_DAYS:
        raise ValueError(f"need at least {MIN_HISTORY_DAYS} days of history, got {len(series)}")
    if method == "ets":
        if drivers is not None:
            raise ValueError('drivers need method="regression"')
        return _ets_forecast(series, horizon, confidence, damped_trend)
    if method != "regression":
        raise ValueError(f'method must be "regression" or "ets", got {method!r}')
    values = None if drivers is None else _driver_values(drivers, driver_columns)
    return _regression_forecast(series, horizon, values, confidence, window_days)


def intraday_profile(
    frame: pd.DataFrame, *, weeks: int = 8, freq: str = "30min", end=None
) -> pd.DataFrame:
    """Share of a day's calls in each time slot, per weekday, over recent weeks.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals.
    weeks : int, default 8
        Use the ``weeks`` weeks before ``end``.
    freq : str, default "30min"
        Slot length (interval frames: not finer than their intervals).
    end : date-like, optional
        End of the window (exclusive); default the day after the last record.

    Returns
    -------
    DataFrame
        ``weekday`` (0 = Monday), ``slot`` ("HH:MM"), ``days`` (dates that
        contributed), ``offered`` (calls in the window), ``share`` (sums to 1
        within each weekday that had calls).

    Notes
    -----
    ``share(weekday, slot) = Σ calls in the slot / Σ calls of that weekday``
    over the window (a ratio of sums, so busier days weigh more), from
    :func:`ccmetrics.kpi.weekday_slot_table`.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(
    ...     ["2025-01-06 09:10", "2025-01-06 09:20", "2025-01-06 10:05", "2025-01-13 09:40"]),
    ...     "wait_s": 0.0, "answered": True, "abandoned": False})
    >>> intraday_profile(calls)[["slot", "share"]].values.tolist()
    [['09:00', 0.5], ['09:30', 0.25], ['10:00', 0.25]]
    """
    times = frame[time_column(frame)]
    if end is None:
        end = times.max().normalize() + pd.Timedelta(days=1)
    end = pd.Timestamp(end)
    window = subset(frame, end - pd.Timedelta(weeks=weeks), end)
    table = weekday_slot_table(window, slot=freq)[["weekday", "slot", "days", "offered"]]
    day_totals = table.groupby("weekday")["offered"].transform("sum")
    table["share"] = table["offered"] / day_totals.where(day_totals > 0)
    return table.sort_values(["weekday", "slot"]).reset_index(drop=True)


def interval_forecast(daily: pd.DataFrame, profile: pd.DataFrame) -> pd.DataFrame:
    """Split a daily forecast into intervals with the weekday profile.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``forecast`` and optionally ``lower``, ``upper`` (from
        :func:`forecast_daily`).
    profile : DataFrame
        ``weekday``, ``slot``, ``share`` (from :func:`intraday_profile`).

    Returns
    -------
    DataFrame
        ``interval_start``, ``forecast_offered`` and, when given, ``lower``
        and ``upper``: the daily values times the slot's share.

    Notes
    -----
    The bounds are the daily prediction interval apportioned by the share;
    they carry the day's uncertainty, not the extra chance variation of a
    single interval (about ``sqrt(forecast)`` calls for Poisson arrivals).

    Examples
    --------
    >>> daily = pd.DataFrame({"date": pd.to_datetime(["2025-01-13"]), "forecast": [200.0]})
    >>> profile = pd.DataFrame({"weekday": [0, 0], "slot": ["09:00", "09:30"], "share": [0.75, 0.25]})
    >>> interval_forecast(daily, profile)["forecast_offered"].tolist()
    [150.0, 50.0]
    """
    data = daily.assign(weekday=pd.to_datetime(daily["date"]).dt.day_of_week.to_numpy())
    merged = data.merge(profile[["weekday", "slot", "share"]], on="weekday", how="inner")
    start = pd.to_datetime(merged["date"]) + pd.to_timedelta(merged["slot"] + ":00")
    out = pd.DataFrame({"interval_start": start.astype("datetime64[ns]")})
    out["forecast_offered"] = merged["forecast"].to_numpy() * merged["share"].to_numpy()
    for column in ("lower", "upper"):
        if column in merged.columns:
            out[column] = merged[column].to_numpy() * merged["share"].to_numpy()
    return out.sort_values("interval_start").reset_index(drop=True)


def rolling_origin_evaluation(
    history,
    *,
    horizon: int = 7,
    origins: int = 8,
    step: int = 7,
    method: str = "regression",
    drivers: pd.DataFrame | None = None,
    driver_columns: list[str] | None = None,
    confidence: float = 0.95,
    window_days: int | None = 364,
    damped_trend: bool = True,
) -> pd.DataFrame:
    """Forecast from several past origins and keep what really happened beside it.

    Parameters
    ----------
    history : Series or DataFrame
        Daily calls, as in :func:`forecast_daily`.
    horizon : int, default 7
        Days forecast from each origin.
    origins : int, default 8
        Number of origins, the last one ``horizon`` days before the end.
    step : int, default 7
        Days between consecutive origins.
    method, drivers, driver_columns, confidence, window_days, damped_trend
        As in :func:`forecast_daily`.

    Returns
    -------
    DataFrame
        One row per origin and forecast day: ``origin`` (first forecast
        date), ``date``, ``step`` (1 … horizon), ``actual``, ``forecast``,
        ``lower``, ``upper``, ``naive`` (seasonal naive from the same origin).

    Notes
    -----
    Origin ``k`` (0 = latest) trains on the days before day
    ``n − horizon − k·step`` (0-based, ``n`` days in all) and forecasts the
    next ``horizon`` days (time-series cross-validation): every forecast
    uses only data that existed at its origin. Origins leaving fewer than
    :data:`MIN_HISTORY_DAYS` training days are skipped.

    References
    ----------
    .. [1] L. J. Tashman, "Out-of-sample tests of forecasting accuracy: an
       analysis and review", International Journal of Forecasting 16(4),
       437-450, 2000.

    Examples
    --------
    >>> days = pd.date_range("2025-01-06", periods=70, freq="D")
    >>> calls = pd.Series([120.0, 110, 100, 100, 90, 50, 40] * 10, index=days)
    >>> rows = rolling_origin_evaluation(calls, horizon=7, origins=2)
    >>> rows["origin"].dt.strftime("%m-%d").unique().tolist(), len(rows)
    (['03-03', '03-10'], 14)
    """
    series = _as_daily_series(history)
    rows = []
    for k in range(origins - 1, -1, -1):
        cut = len(series) - horizon - k * step
        if cut < MIN_HISTORY_DAYS:
            continue
        train, test = series.iloc[:cut], series.iloc[cut : cut + horizon]
        forecast = forecast_daily(
            train,
            len(test),
            method=method,
            drivers=drivers,
            driver_columns=driver_columns,
            confidence=confidence,
            window_days=window_days,
            damped_trend=damped_trend,
        )
        rows.append(
            pd.DataFrame(
                {
                    "origin": test.index[0],
                    "date": test.index,
                    "step": np.arange(1, len(test) + 1),
                    "actual": test.to_numpy(),
                    "forecast": forecast["forecast"].to_numpy(),
                    "lower": forecast["lower"].to_numpy(),
                    "upper": forecast["upper"].to_numpy(),
                    "naive": seasonal_naive_forecast(train.to_numpy(), len(test)),
                }
            )
        )
    if not rows:
        raise ValueError(
            f"history too short: {len(series)} days leave no origin with "
            f"{MIN_HISTORY_DAYS} training days and a {horizon}-day test"
        )
    return pd.concat(rows, ignore_index=True)


def summarize_rolling_origin(rows: pd.DataFrame) -> pd.Series:
    """Accuracy of the rolling-origin forecasts against seasonal naive.

    Parameters
    ----------
    rows : DataFrame
        Output of :func:`rolling_origin_evaluation`.

    Returns
    -------
    Series
        ``origins``, ``days`` (forecast days scored), ``wape``, ``bias``,
        ``naive_wape``, ``naive_bias``, ``relative_wape`` (below 1: better
        than seasonal naive), ``interval_coverage`` (share of actual values
        inside the prediction interval; compare with its nominal confidence).

    Examples
    --------
    >>> rows = pd.DataFrame({"origin": [1, 1], "actual": [100.0, 100.0],
    ...     "forecast": [90.0, 100.0], "naive": [80.0, 100.0],
    ...     "lower": [85.0, 95.0], "upper": [95.0, 105.0]})
    >>> summarize_rolling_origin(rows)[["wape", "naive_wape", "interval_coverage"]].tolist()
    [0.05, 0.1, 0.5]
    """
    model_wape = wape(rows["actual"], rows["forecast"])
    naive_wape = wape(rows["actual"], rows["naive"])
    inside = (rows["actual"] >= rows["lower"]) & (rows["actual"] <= rows["upper"])
    return pd.Series(
        {
            "origins": float(rows["origin"].nunique()),
            "days": float(len(rows)),
            "wape": model_wape,
            "bias": forecast_bias(rows["actual"], rows["forecast"]),
            "naive_wape": naive_wape,
            "naive_bias": forecast_bias(rows["actual"], rows["naive"]),
            "relative_wape": model_wape / naive_wape if naive_wape > 0 else math.nan,
            "interval_coverage": float(inside.mean()),
        }
    )


# --------------------------------------------------------------------------
# external drivers
# --------------------------------------------------------------------------
#: Headers of a driver file's date column (compared stripped and lower-cased); a file
#: with none of them has its dates in the first column.
DRIVER_DATE_HEADERS = ("date", "日期", "day", "日")
#: Largest driver file read (a year of daily flags is a few kilobytes); a larger one, or
#: a device such as /dev/zero, is refused after reading this many bytes and one more.
MAX_DRIVER_BYTES = 16 << 20
#: Text encodings of a driver file, tried in order: UTF-8 (with or without a BOM), then
#: GB18030, the superset of the GBK and GB2312 that Chinese spreadsheet tools write.
_DRIVER_ENCODINGS = ("utf-8-sig", "gb18030")
#: Rows named in a message at most.
_EXAMPLE_ROWS = 5


class DriverFileError(ValueError):
    """A driver file that cannot be used; ``code`` and ``params`` give the reason.

    The message is the English text of the translation key ``error.<code>``
    (:mod:`ccmetrics.i18n`); a display translates the code with the same params.

    Attributes
    ----------
    code : str
        One of ``drivers_not_found``, ``drivers_unreadable`` (a folder, not text,
        not a CSV table), ``drivers_too_large`` (over :data:`MAX_DRIVER_BYTES`),
        ``drivers_empty`` (no data row), ``drivers_no_driver_column`` (a date
        column only), ``drivers_bad_dates`` (values of the date column that are
        not dates) and ``drivers_duplicate_dates`` (a date on more than one row).
    params : dict
        ``file`` always; ``limit``, ``column``, ``rows`` (1-based line numbers of the file,
        the header being line 1), ``count`` and ``examples`` where they apply.
    """

    def __init__(self, code: str, **params):
        super().__init__(t(f"error.{code}", "en", **params))
        self.code = code
        self.params = params


def _driver_text(data: bytes, name: str) -> str:
    for encoding in _DRIVER_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DriverFileError("drivers_unreadable", file=name)


def _date_values(column: pd.Series) -> pd.Series:
    """Dates of a driver file's date column (NaT where a value is not a date).

    ISO dates, 2025/3/1 and 2025年3月1日 are read; each value on its own
    (``format="mixed"``), as files written by hand mix them. A value without a
    four-digit year is not a date.
    """
    text = column.astype("string").str.strip()
    text = text.str.replace("年", "-").str.replace("月", "-").str.replace("日", "")
    dates = pd.to_datetime(text, errors="coerce", format="mixed").dt.normalize()
    # a date without a four-digit year ("1", "3/1") is a number or a guess of the year
    return dates.where(text.str.contains(r"\d{4}", regex=True).fillna(False).astype(bool))


def _line_numbers(mask: np.ndarray) -> list[int]:
    """File line numbers of the data rows where ``mask`` holds (header on line 1)."""
    return [int(i) + 2 for i in np.flatnonzero(mask)[:_EXAMPLE_ROWS]]


def read_drivers(data: bytes | str | Path, name: str | None = None) -> pd.DataFrame:
    """Read a daily driver file (weather, campaigns): one row per day, one column per driver.

    Parameters
    ----------
    data : bytes, str or Path
        The file's bytes (an upload) or its path.
    name : str, optional
        The file name messages give (default the path's name, or "driver file").

    Returns
    -------
    DataFrame
        ``date`` (datetime64, midnight) first, then the driver columns as the file
        has them (headers stripped of surrounding spaces), one row per day in file
        order; the input of :func:`join_drivers`, :func:`driver_effects` and
        :func:`driver_contributions`.

    Raises
    ------
    DriverFileError
        With a code and params naming the file, the column and the rows.

    Notes
    -----
    The file is at most :data:`MAX_DRIVER_BYTES`; its text is UTF-8 (a BOM allowed) or
    else GB18030 (GBK); the table is a CSV with a header row. The date column is the first whose stripped, lower-cased header is
    one of :data:`DRIVER_DATE_HEADERS` (``date``, ``日期``, ...), else the first
    column. Every value of it must be a date and no date may repeat, since a day
    has one value per driver.

    Examples
    --------
    >>> read_drivers("日期,降雨\\n2025-03-01,1\\n".encode("gbk"), "weather.csv").columns.tolist()
    ['date', '降雨']
    """
    if isinstance(data, (str, Path)):
        path = Path(data)
        name = name or path.name
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_DRIVER_BYTES + 1)
        except FileNotFoundError:
            raise DriverFileError("drivers_not_found", file=name) from None
        except OSError:
            raise DriverFileError("drivers_unreadable", file=name) from None
    name = name or "driver file"
    if len(data) > MAX_DRIVER_BYTES:
        raise DriverFileError("drivers_too_large", file=name, limit=f"{MAX_DRIVER_BYTES:,}")
    text = _driver_text(bytes(data), name)
    try:
        table = pd.read_csv(io.StringIO(text), skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise DriverFileError("drivers_empty", file=name) from None
    except (pd.errors.ParserError, ValueError, MemoryError, RecursionError):
        raise DriverFileError("drivers_unreadable", file=name) from None
    table.columns = [str(column).strip() for column in table.columns]
    if table.empty:
        raise DriverFileError("drivers_empty", file=name)
    headers = [column.lower() for column in table.columns]
    date = next(
        (table.columns[headers.index(h)] for h in DRIVER_DATE_HEADERS if h in headers),
        table.columns[0],
    )
    if len(table.columns) < 2:
        raise DriverFileError("drivers_no_driver_column", file=name, column=date)
    dates = _date_values(table[date])
    bad = dates.isna().to_numpy()
    if bad.any():
        raise DriverFileError(
            "drivers_bad_dates",
            file=name,
            column=date,
            count=int(bad.sum()),
            rows=", ".join(map(str, _line_numbers(bad))),
            examples=", ".join(str(v) for v in table[date][bad].head(_EXAMPLE_ROWS)),
        )
    repeated = dates.duplicated(keep=False).to_numpy()
    if repeated.any():
        raise DriverFileError(
            "drivers_duplicate_dates",
            file=name,
            column=date,
            count=int(dates[repeated].nunique()),
            rows=", ".join(map(str, _line_numbers(repeated))),
            examples=", ".join(sorted({d.date().isoformat() for d in dates[repeated]})[:5]),
        )
    drivers = table.drop(columns=date)
    drivers.insert(0, "date", dates.astype("datetime64[ns]").to_numpy())
    return drivers


def join_drivers(
    daily, drivers: pd.DataFrame, *, columns: list[str] | None = None, date_column: str = "date"
) -> pd.DataFrame:
    """Join a daily driver file (weather flags, campaigns) to daily volume.

    Parameters
    ----------
    daily : Series or DataFrame
        Daily calls (see :func:`forecast_daily`).
    drivers : DataFrame
        One row per date: ``date_column`` and driver columns (bool, yes/no or
        numeric, e.g. ``rain``, ``storm``, ``campaign``, ``temperature_c``).
    columns : list of str, optional
        Drivers to use; default every column except the date.
    date_column : str, default "date"

    Returns
    -------
    DataFrame
        ``date``, ``offered`` and one float column per driver (True = 1.0);
        NaN for a date the driver file does not cover.

    Examples
    --------
    >>> daily = pd.Series([100.0, 130.0], index=pd.to_datetime(["2025-03-04", "2025-03-05"]))
    >>> weather = pd.DataFrame({"date": ["2025-03-05", "2025-03-04"], "storm": [True, False]})
    >>> join_drivers(daily, weather)["storm"].tolist()
    [0.0, 1.0]
    """
    series = _as_daily_series(daily)
    values = _driver_values(drivers, columns, date_column)
    table = pd.DataFrame({"date": series.index, "offered": series.to_numpy()})
    return table.join(values, on="date")


def _in_sample(daily, drivers, columns):
    """Joined table (days with every driver), driver names, design and calls."""
    table = join_drivers(daily, drivers, columns=columns)
    names = [c for c in table.columns if c not in ("date", "offered")]
    table = table.dropna(subset=names).reset_index(drop=True)
    if len(table) < MIN_HISTORY_DAYS:
        raise ValueError(
            f"only {len(table)} days have every driver; need at least {MIN_HISTORY_DAYS}"
        )
    dates = pd.DatetimeIndex(table["date"])
    design = _design(dates, dates[0], table.set_index(dates)[names])
    calls = pd.Series(table["offered"].to_numpy(dtype=float), index=dates)
    return table, names, design, calls


def driver_effects(
    daily,
    drivers: pd.DataFrame,
    *,
    columns: list[str] | None = None,
    confidence: float = 0.95,
    holdout_origins: int = 8,
    horizon: int = 7,
    window_days: int | None = 364,
) -> pd.DataFrame:
    """Effect of each external driver on daily volume, with CI and a hold-out test.

    Parameters
    ----------
    daily : Series or DataFrame
        Daily calls (see :func:`forecast_daily`).
    drivers : DataFrame
        Daily driver file (see :func:`join_drivers`).
    columns : list of str, optional
        Drivers to test; default all.
    confidence : float, default 0.95
        Coverage of the effect's confidence interval.
    holdout_origins : int, default 8
        Rolling origins of the hold-out test (see
        :func:`rolling_origin_evaluation`, ``step = horizon``).
    horizon : int, default 7
        Days forecast from each origin.
    window_days : int or None, default 364
        Training window of the hold-out forecasts.

    Returns
    -------
    DataFrame
        One row per driver: ``driver``, ``active_days`` (days with a non-zero
        value), ``coefficient`` and ``std_error`` (on log calls), ``effect``
        (relative change in calls per unit of the driver, e.g. 0.10 = +10 %
        on a rain day), ``effect_low``, ``effect_high``, ``p_value``,
        ``holdout_days``, ``holdout_events`` (hold-out days with the driver
        active whose training data had seen it), ``holdout_wape_with`` (the
        seasonal model with this driver), ``holdout_wape_without`` (the
        seasonal model alone), ``holdout_gain`` (without − with; positive:
        the driver helps),
        ``useful`` and ``verdict``: "useful", "not significant" (CI includes
        0), "no hold-out gain", or "not testable on hold-out" (no event to
        test on).

    Notes
    -----
    The in-sample fit is the seasonal regression of :func:`forecast_daily`
    (weekday, linear trend, every driver; Huber M-estimator) over all days
    with every driver known: ``effect = exp(beta) − 1``, CI
    ``exp(beta ± z se) − 1``.

    A driver is useful only if (1) its CI excludes 0 and (2) it improves
    hold-out accuracy: :func:`rolling_origin_evaluation` of the seasonal
    model alone and of the seasonal model with this driver (its values taken
    as known on the forecast days: a weather forecast, a campaign calendar);
    the WAPE over all hold-out days must be lower with the driver. Each
    driver is tested on its own against the seasonal model, so a useless or
    collinear companion (say temperature beside rain) cannot mask it. Either
    gate alone is too weak: by chance a useless driver often lowers hold-out
    WAPE a little, and a significant in-sample effect may not carry
    over to new days. A driver never seen in a training window gets no
    effect there, so a one-off event cannot prove itself on hold-out; its
    in-sample effect and CI are still reported.

    References
    ----------
    .. [1] R. J. Hyndman, G. Athanasopoulos, "Forecasting: Principles and
       Practice", 3rd ed., chapters 7 and 10, OTexts, 2021.

    Examples
    --------
    >>> days = pd.date_range("2025-01-06", periods=70, freq="D")
    >>> campaign = np.arange(70) % 5 == 0  # +20 % on campaign days, 2 % wiggle
    >>> calls = pd.Series(np.tile([120.0, 110, 100, 100, 90, 50, 40], 10)
    ...     * np.where(campaign, 1.2, 1.0) * (1 + 0.02 * np.sin(np.arange(70))), index=days)
    >>> row = driver_effects(calls, pd.DataFrame({"date": days, "campaign": campaign})).iloc[0]
    >>> round(float(row.effect), 2), row.verdict
    (0.2, 'useful')
    """
    table, names, design, calls = _in_sample(daily, drivers, columns)
    full = _fit(calls, design)
    z = norm.ppf(0.5 + confidence / 2.0)
    values = table.set_index("date")[names]

    def holdout(columns_used: list[str]) -> pd.DataFrame:
        return rolling_origin_evaluation(
            calls,
            horizon=horizon,
            origins=holdout_origins,
            step=horizon,
            drivers=values[columns_used].reset_index() if columns_used else None,
            window_days=window_days,
        )

    seasonal_only = holdout([])
    wape_without = wape(seasonal_only["actual"], seasonal_only["forecast"])
    rows = []
    for name in names:
        with_driver = holdout([name])
        wape_with = wape(with_driver["actual"], with_driver["forecast"])
        events = 0
        for origin, group in with_driver.groupby("origin"):
            seen = values.loc[values.index < origin, name].nunique() > 1
            events += int(seen) * int((values.loc[group["date"], name] != 0).sum())
        if name in full.params.index:
            coefficient = float(full.params[name])
            std_error = float(full.bse[name])
            p_value = float(full.pvalues[name])
        else:  # constant over the whole period
            coefficient = std_error = p_value = math.nan
        low, high = coefficient - z * std_error, coefficient + z * std_error
        gain = wape_without - wape_with
        significant = bool(np.isfinite(low) and (low > 0 or high < 0))
        if events == 0:
            verdict = "not testable on hold-out"
        elif not significant:
            verdict = "not significant"
        elif not gain > 0:
            verdict = "no hold-out gain"
        else:
            verdict = "useful"
        rows.append(
            {
                "driver": name,
                "active_days": int((table[name] != 0).sum()),
                "coefficient": coefficient,
                "std_error": std_error,
                "effect": math.expm1(coefficient),
                "effect_low": math.expm1(low),
                "effect_high": math.expm1(high),
                "p_value": p_value,
                "holdout_days": len(with_driver),
                "holdout_events": events,
                "holdout_wape_with": wape_with,
                "holdout_wape_without": wape_without,
                "holdout_gain": gain,
                "useful": verdict == "useful",
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows)


def driver_contributions(
    daily, drivers: pd.DataFrame, *, columns: list[str] | None = None
) -> pd.DataFrame:
    """Calls attributed to each driver on each day by the seasonal regression.

    Parameters
    ----------
    daily : Series or DataFrame
        Daily calls (see :func:`forecast_daily`).
    drivers : DataFrame
        Daily driver file (see :func:`join_drivers`).
    columns : list of str, optional
        Drivers to use; default all.

    Returns
    -------
    DataFrame
        One row per day with every driver known: ``date``, ``offered``,
        driver values, ``baseline`` (the model with every driver at 0),
        ``fitted``, ``from_<driver>`` (calls the driver adds on its own),
        ``from_interaction`` (what the drivers add together beyond the sum of
        their own effects), ``residual`` (offered − fitted).

    Notes
    -----
    With the in-sample fit of :func:`driver_effects`,
    ``baseline = exp(eta_0) − 1`` where ``eta_0`` is the seasonal part,
    ``from_j = exp(eta_0) (exp(beta_j x_j) − 1)``,
    ``fitted = exp(eta_0 + Σ beta_j x_j) − 1`` and
    ``from_interaction = fitted − baseline − Σ from_j``, so that
    ``baseline + Σ from_j + from_interaction + residual = offered``.

    Examples
    --------
    >>> days = pd.date_range("2025-01-06", periods=70, freq="D")
    >>> campaign = np.arange(70) % 5 == 0
    >>> calls = pd.Series(np.tile([120.0, 110, 100, 100, 90, 50, 40], 10)
    ...     * np.where(campaign, 1.2, 1.0) * (1 + 0.02 * np.sin(np.arange(70))), index=days)
    >>> first = driver_contributions(calls, pd.DataFrame({"date": days, "campaign": campaign})).iloc[0]
    >>> round(first.offered), round(first.baseline), round(first.from_campaign)
    (144, 120, 24)
    """
    table, names, design, calls = _in_sample(daily, drivers, columns)
    params = _fit(calls, design).params
    seasonal = [c for c in params.index if c not in names]
    eta_0 = design[seasonal].to_numpy() @ params[seasonal].to_numpy()
    out = table.copy()
    out["baseline"] = np.expm1(eta_0)
    total_log = np.zeros(len(out))
    added = np.zeros(len(out))
    for name in names:
        log_effect = params.get(name, 0.0) * design[name].to_numpy()
        out[f"from_{name}"] = np.exp(eta_0) * np.expm1(log_effect)
        total_log += log_effect
        added += out[f"from_{name}"].to_numpy()
    out["fitted"] = np.expm1(eta_0 + total_log)
    out["from_interaction"] = out["fitted"] - out["baseline"] - added
    out["residual"] = out["offered"] - out["fitted"]
    order = ["date", "offered", *names, "baseline", "fitted"]
    order += [f"from_{name}" for name in names] + ["from_interaction", "residual"]
    return out[order]
