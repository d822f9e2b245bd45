"""Deterministic generator of the bundled telecom-hotline sample data set.

The sample imitates the customer-service line of a Chinese mobile operator
(``SOURCES.md`` seed 003): three months of calls from three customer brands
("Prepaid" 神州行, "Youth" 动感地带, "Premium" 全球通), three queues ("General",
"Data services", "VIP"), nine call categories, eight teams of about a hundred
agents, plus the matching 30-minute interval file (forecast, schedule,
staffing) and a daily weather file.

How the data are made, in the order of :func:`generate_calls`:

1. **Demand.** The expected number of arrivals per 30-minute interval, brand and
   category is ``reference level x weekday x intraday curve x trend x holiday x
   weather`` with the mix of :data:`CATEGORY_MIX`. Realised demand adds a
   day-level random effect, the storm and the surge of :data:`INCIDENTS`, and
   Poisson counts per interval and cell; arrival times are uniform inside the
   interval (a piecewise-constant Poisson process).
2. **Forecast and staffing plan.** The forecast is the demand the planners can
   know (no day effect, no storm beyond a rain day, no surge) times a
   log-normal forecast error. Agents needed per queue and interval follow
   square-root staffing, ``N = ceil(R + beta * sqrt(R))`` with
   ``R = forecast_offered * forecast_aht_s / 1800``. Agents work one of two
   shifts (08:00-15:00, 15:00-22:00); each rostered agent is absent with a
   small day-dependent probability, which makes ``staffed_agents`` fall below
   ``scheduled_agents``.
3. **Queue simulation.** Each queue is a multi-server FIFO queue with impatient
   callers (gamma patience of shape 2, mean 100-120 s, plus 6 % of callers who
   hang up within seconds) whose servers are the agents logged in during each
   interval. Waits, abandonment and which agent answered come from this
   simulation, never from an independent draw.
4. **Outcomes.** Talk time (log-normal, by category, brand and agent), hold,
   after-call work, transfer, resolution, CSAT on about a quarter of answered
   calls (lower after long waits and unresolved calls), QA evaluations of three
   calls per agent per week, and customer numbers with repeat callers (more
   likely after an unresolved or abandoned call), which drive FCR.
5. **IVR** (:func:`generate_ivr`, run by :func:`write_sample_data` after the
   interval file is made): every queued call gets a menu path by its category
   and an IVR time; callers served by self-service or lost in the menu are
   added as IVR-only rows (``answered = abandoned = False``), and on
   :data:`IVR_MENU_CHANGE` ``["date"]`` the balance enquiry moves deeper in the
   menu, so containment drops. The queued calls are not redrawn.

Everything is drawn from :class:`numpy.random.Generator` streams derived from
one seed, so a seed gives byte-identical files.
"""

from __future__ import annotations

import gzip
import heapq
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ccmetrics.schema import CALL_COLUMNS, INTERVAL_COLUMNS

__all__ = [
    "SAMPLE_DIR",
    "DEFAULT_SEED",
    "QUEUES",
    "CATEGORIES",
    "SEGMENTS",
    "TEAMS",
    "TEAM_QUEUE",
    "CATEGORY_MIX",
    "INCIDENTS",
    "ZH_HEADERS",
    "ZH_VALUES",
    "STAFFING_BETA",
    "IVR_MENU",
    "IVR_CONTAINMENT",
    "IVR_MENU_CHANGE",
    "generate_calls",
    "generate_ivr",
    "generate_intervals",
    "generate_weather",
    "calls_to_zh_frame",
    "generate_roster",
    "sample_evaluators",
    "EVALUATORS",
    "LENIENT_EVALUATOR",
    "write_sample_data",
]

#: The folder of the shipped sample files.
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
#: Seed of the shipped files.
DEFAULT_SEED = 20250101
DEFAULT_START = "2025-01-01"
DEFAULT_DAYS = 90

QUEUES = ("General", "Data services", "VIP")
CATEGORIES = (
    "Billing enquiry",
    "Data plan (GPRS)",
    "Network quality",
    "Top-up",
    "Plan change",
    "Roaming",
    "Complaint",
    "SIM / device",
    "Broadband",
)
#: Customer brands: prepaid (神州行 style), youth (动感地带), premium (全球通).
SEGMENTS = ("Prepaid", "Youth", "Premium")
SEGMENT_SHARE = (0.55, 0.30, 0.15)
TEAMS = tuple(f"Team {number}" for number in range(1, 9))
#: Every team serves exactly one queue.
TEAM_QUEUE = {
    "Team 1": "General",
    "Team 2": "General",
    "Team 3": "General",
    "Team 4": "General",
    "Team 5": "General",
    "Team 6": "Data services",
    "Team 7": "Data services",
    "Team 8": "VIP",
}

#: Share of each category within each brand (rows follow SEGMENTS, columns CATEGORIES).
CATEGORY_MIX = {
    "Prepaid": (0.22, 0.14, 0.09, 0.17, 0.11, 0.02, 0.08, 0.09, 0.08),
    "Youth": (0.16, 0.22, 0.12, 0.10, 0.14, 0.03, 0.07, 0.09, 0.07),
    "Premium": (0.24, 0.08, 0.10, 0.03, 0.12, 0.12, 0.08, 0.08, 0.15),
}
#: IVR routing of the Prepaid and Youth brands: a category's specialised queue
#: gets this share of its calls, "General" the rest (callers who pick "other").
#: Premium callers always reach "VIP".
SPECIALISED_QUEUE = {
    "Data plan (GPRS)": "Data services",
    "Network quality": "Data services",
    "Broadband": "Data services",
}
SPECIALISED_SHARE = 0.55

# Handle-time model (seconds): mean talk per category, brand multipliers, hold, ACW.
TALK_MEAN_S = (250, 300, 350, 170, 320, 310, 480, 280, 370)
TALK_LOG_SD = 0.55
SEGMENT_TALK_FACTOR = (1.0, 0.95, 1.10)
AGENT_TALK_LOG_SD = 0.12
HOLD_PROBABILITY = (0.25, 0.30, 0.45, 0.10, 0.30, 0.35, 0.45, 0.35, 0.40)
HOLD_MEAN_S = 50.0
HOLD_LOG_SD = 0.7
ACW_MEAN_S = (50, 55, 60, 35, 60, 55, 75, 55, 60)
ACW_LOG_SD = 0.4
TRANSFER_PROBABILITY = (0.06, 0.07, 0.12, 0.03, 0.06, 0.08, 0.16, 0.08, 0.10)
RESOLVED_PROBABILITY = (0.88, 0.82, 0.62, 0.95, 0.86, 0.80, 0.55, 0.78, 0.70)
#: Mean patience (seconds) of callers of each brand before they hang up.
PATIENCE_MEAN_S = (120.0, 100.0, 120.0)
#: Shape of the gamma patience distribution (1 would be exponential; 2 makes
#: hanging up in the first seconds rare, as in real patience data).
PATIENCE_SHAPE = 2.0
#: Share of callers who hang up almost at once (exponential, mean 8 s): the short abandons.
IMPATIENT_SHARE = 0.06
IMPATIENT_MEAN_S = 8.0

# Calendar.
OPEN_HOUR, CLOSE_HOUR = 8, 22
INTERVAL_S = 1800
INTERVALS_PER_DAY = (CLOSE_HOUR - OPEN_HOUR) * 3600 // INTERVAL_S
SHIFT_CHANGE_INTERVAL = 14  # 15:00
#: Expected calls on a reference day (a Thursday with factor 1, no trend, no weather).
REFERENCE_DAILY_CALLS = 2250.0
WEEKDAY_FACTOR = (1.18, 1.06, 1.02, 1.00, 0.97, 0.64, 0.58)  # Monday first
TREND_OVER_PERIOD = 0.06  # +6 % from the first to the 90th day
#: Chinese New Year 2025 (official holiday 2025-01-28 to 2025-02-04): demand factor.
HOLIDAY_FACTOR = {
    "2025-01-28": 0.50,
    "2025-01-29": 0.45,
    "2025-01-30": 0.50,
    "2025-01-31": 0.55,
    "2025-02-01": 0.55,
    "2025-02-02": 0.60,
    "2025-02-03": 0.65,
    "2025-02-04": 0.70,
}
#: Official make-up working days around the holiday (a weekend day worked as a weekday).
MAKEUP_WORKDAYS = ("2025-01-26", "2025-02-08")
RAIN_LIFT = 0.10
FIRST_DRY_DAY_LIFT = 0.06
DAY_EFFECT_LOG_SD = 0.025
FORECAST_DAY_LOG_SD = 0.025
FORECAST_INTERVAL_LOG_SD = 0.04

# Staffing.
#: Square-root staffing safety factor: N = ceil(R + beta * sqrt(R)).
STAFFING_BETA = 0.6
MIN_AGENTS = 2
ABSENCE_MEAN = 0.05
ABSENCE_CONCENTRATION = 80.0  # Beta(a, b) with a + b = 80: day-to-day variation
POOL_HEADROOM = 1.25  # queue pool = busiest day's rostered agents x 1.25

# Outcome models.
CSAT_RESPONSE_RATE = 0.25
QA_PER_AGENT_WEEK = 3
CUSTOMER_POOL_FACTOR = 3.0
CUSTOMER_PREFIXES = {
    "Prepaid": (134, 150, 151, 152, 157, 158, 159, 182, 187),
    "Youth": (136, 147, 178, 188, 198),
    "Premium": (135, 137, 138, 139),
}

#: Injected incidents: the single source of truth for the generator and for tests.
#: Dates are ISO strings; ``time_window`` is (start, end) local time, end excluded.
INCIDENTS: dict[str, dict] = {
    "surge": {
        "first_date": "2025-03-11",
        "last_date": "2025-03-11",
        "time_window": ("09:00", "12:00"),
        "dimensions": {"category": "Data plan (GPRS)", "segment": "Prepaid"},
        "queues": ("Data services", "General"),
        "volume_lift": 0.90,
        "extra_mix": {("Data plan (GPRS)", "Prepaid"): 0.90, ("Data plan (GPRS)", "Youth"): 0.10},
        "description": (
            "A discounted data-plan offer saturates the network of a university district: "
            "calls about the GPRS data plan from Prepaid customers (and a few Youth customers) "
            "add about 90 % to the offered volume of 09:00-12:00; staffing follows the normal "
            "forecast, so service level collapses in the Data services and General queues and "
            "every category served there waits."
        ),
    },
    "staffing_shortfall": {
        "first_date": "2025-03-17",
        "last_date": "2025-03-17",
        "time_window": ("08:00", "22:00"),
        "dimensions": {},
        "queues": QUEUES,
        "staffed_fraction": 0.66,
        "description": (
            "A third of the rostered agents are pulled into an unplanned training all day "
            "(34 % of the seats of every roster are empty, spread evenly): staffed agents are "
            "about a third below schedule while demand is normal, so service level collapses "
            "in every queue and category alike (a broad, supply-side cause)."
        ),
    },
    "aht_rise": {
        "first_date": "2025-02-17",
        "last_date": "2025-03-31",
        "time_window": ("08:00", "22:00"),
        "dimensions": {"team": "Team 6"},
        "queues": ("Data services",),
        "talk_factor": 1.25,
        "forecast_lag_days": 7,
        "description": (
            "Team 6 (Data services) moves to a new CRM screen: its talk time is 25 % longer "
            "from 2025-02-17 on; other teams are unchanged. Planners update the forecast AHT "
            "of Data services one week later, so that queue's service level dips in the week "
            "of 2025-02-17."
        ),
    },
    "storm": {
        "first_date": "2025-03-05",
        "last_date": "2025-03-05",
        "time_window": ("08:00", "22:00"),
        "dimensions": {},
        "queues": QUEUES,
        "volume_lift": 0.35,
        "description": (
            "A storm (storm flag in weather.csv) brings about 35 % more calls in every "
            "category and brand; the forecast only expected an ordinary rain day (+10 %), "
            "so service level falls all day."
        ),
    },
    "low_quality_team": {
        "first_date": "2025-01-01",
        "last_date": "2025-03-31",
        "time_window": ("08:00", "22:00"),
        "dimensions": {"team": "Team 3"},
        "queues": ("General",),
        "qa_shift": -10.0,
        "csat_shift": -0.45,
        "description": (
            "Team 3 (General) scores about 10 QA points and about 0.4 CSAT points below the "
            "other teams throughout the period; its AHT and service are normal."
        ),
    },
}

#: Chinese headers of ``calls_zh_gbk.csv.gz`` in file order (briefs/zh_headers.md).
ZH_HEADERS = {
    "call_id": "流水号",
    "arrived_at": "来电时间",
    "queue": "技能组",
    "category": "业务类型",
    "segment": "客户品牌",
    "team": "班组",
    "agent": "坐席工号",
    "customer_id": "客户号码",
    "wait_s": "排队时长",
    "answered": "是否接通",
    "abandoned": "是否放弃",
    "talk_s": "通话时长",
    "hold_s": "保持时长",
    "acw_s": "话后处理时长",
    "transferred": "是否转接",
    "csat": "满意度",
    "qa_score": "质检得分",
}
#: Chinese values of the translated dimensions in ``calls_zh_gbk.csv.gz``.
ZH_VALUES = {
    "queue": {
        "General": "综合服务",
        "Data services": "数据业务",
        "VIP": "VIP专席",
    },
    "category": {
        "Billing enquiry": "话费查询",
        "Data plan (GPRS)": "GPRS流量套餐",
        "Network quality": "网络质量",
        "Top-up": "充值缴费",
        "Plan change": "套餐变更",
        "Roaming": "漫游业务",
        "Complaint": "投诉",
        "SIM / device": "SIM卡及终端",
        "Broadband": "家庭宽带",
    },
    "segment": {"Prepaid": "神州行", "Youth": "动感地带", "Premium": "全球通"},
}

# The IVR in front of the queues (see generate_ivr).
#: Menu path of each category's callers (top-level option first), before the menu change.
IVR_MENU = {
    "Billing enquiry": "Billing > Balance",
    "Data plan (GPRS)": "Data > Data plans",
    "Network quality": "Data > Network",
    "Top-up": "Billing > Top-up",
    "Plan change": "Billing > Plan change",
    "Roaming": "Roaming > Rates",
    "Complaint": "Complaints",
    "SIM / device": "Other > SIM / device",
    "Broadband": "Data > Broadband",
}
#: Path of the callers who skip the topic menus and ask for an agent at once.
IVR_AGENT_PATH = "Other > Agent"
IVR_AGENT_SHARE = 0.08
#: Share of a category's IVR callers served by self-service (never asking for an agent).
IVR_CONTAINMENT = {
    "Billing enquiry": 0.40,
    "Data plan (GPRS)": 0.25,
    "Network quality": 0.04,
    "Top-up": 0.45,
    "Plan change": 0.12,
    "Roaming": 0.20,
    "Complaint": 0.0,
    "SIM / device": 0.04,
    "Broadband": 0.06,
}
#: Share of a category's IVR callers who hang up in the menu.
IVR_ABANDON_SHARE = 0.03
#: The menu change: from ``date`` the balance enquiry moves one level deeper (under
#: "Account"); fewer billing callers find it, more hang up in the menu.
IVR_MENU_CHANGE = {
    "date": "2025-02-17",
    "category": "Billing enquiry",
    "path": "Billing > Account > Balance",
    "containment": 0.15,
    "abandon_share": 0.05,
    "description": (
        "The IVR menu is reorganised: the balance enquiry moves from Billing > Balance to "
        "Billing > Account > Balance. Self-service of billing enquiries falls from 40 % to "
        "15 % of their IVR callers and more of them hang up in the menu, so the share of "
        "callers the IVR serves (containment) drops from this date."
    ),
}
# IVR time model: a greeting, a prompt per menu level, a self-service transaction.
IVR_GREETING_S = 10.0
IVR_LEVEL_S = 12.0
IVR_SELF_SERVICE_S = 60.0
IVR_LOG_SD = 0.35
#: Contained and IVR-abandoned calls arrive near a call of the same day and category
#: (within this many seconds), so they follow the day's intraday curve.
IVR_JITTER_S = 900
#: The call number of the day of the IVR-only calls starts above the queued calls'.
IVR_CALL_NUMBER_BASE = 500_000

#: The IVR columns of ``calls_zh_gbk.csv.gz`` and the Chinese names of the menu options:
#: data in ``sample_zh_ivr.json`` beside this module.
_ZH_IVR = json.loads(Path(__file__).with_name("sample_zh_ivr.json").read_text(encoding="utf-8"))
ZH_HEADERS.update(_ZH_IVR["headers"])
ZH_VALUES["ivr_path"] = dict(_ZH_IVR["menu"])

# Independent random streams, one per purpose, so that changing one model does
# not reshuffle the others.
_STREAM_WEATHER = 1
_STREAM_FORECAST = 2
_STREAM_ROSTER = 3
_STREAM_ARRIVALS = 4
_STREAM_SERVICE = 5
_STREAM_OUTCOMES = 6
_STREAM_CUSTOMERS = 7
_STREAM_AGENTS = 8
_STREAM_PEOPLE = 11
_STREAM_EVALUATOR = 12
_STREAM_QUALITY = 10

#: Cost and quality of the sample's answered calls (:func:`_add_cost_and_quality`): the
#: loaded cost of an agent minute and the fixed cost of a call (telephony, systems), in
#: yuan; the business-error probability of an agent with the mean ACW and its change per
#: standard deviation of the agents' mean ACW; the after-call fields an agent must fill
#: and the share filled at the mean ACW.
COST_PER_HANDLE_MINUTE = 1.2
COST_PER_CALL = 0.35
ERROR_RATE_AT_MEAN_ACW = 0.04
ERROR_LOG_ODDS_PER_SD = -0.6
ENTRY_FIELDS = 8
ENTRY_SHARE_AT_MEAN_ACW = 0.94
ENTRY_LOG_ODDS_PER_SD = 0.5
#: Standard deviation of each agent's own error and completeness log-odds (what ACW does
#: not explain: care, experience).
AGENT_QUALITY_SD = 0.5
_STREAM_IVR = 9


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), stream]))


def _dates(start: str, days: int) -> pd.DatetimeIndex:
    if days < 1:
        raise ValueError(f"days must be >= 1, not {days}")
    return pd.date_range(pd.Timestamp(start).normalize(), periods=days, freq="D")


def _iso(dates: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(dates.strftime("%Y-%m-%d"), dtype=object)


def _intraday_weights() -> np.ndarray:
    """Share of a day's calls in each 30-minute interval from 08:00 to 22:00.

    A morning peak near 10:15, an afternoon peak near 15:00, an evening tail.
    """
    hour = OPEN_HOUR + (np.arange(INTERVALS_PER_DAY) + 0.5) * INTERVAL_S / 3600
    shape = (
        0.15
        + np.exp(-((hour - 10.25) ** 2) / (2 * 1.5**2))
        + 0.8 * np.exp(-((hour - 15.0) ** 2) / (2 * 1.8**2))
        + 0.3 * np.exp(-((hour - 19.5) ** 2) / (2 * 1.5**2))
    )
    return shape / shape.sum()


def _interval_index(time_text: str) -> int:
    hours, minutes = (int(part) for part in time_text.split(":"))
    return ((hours - OPEN_HOUR) * 3600 + minutes * 60) // INTERVAL_S


def _incident_day(name: str, dates: pd.DatetimeIndex) -> int | None:
    """Position of a one-day incident's date in ``dates`` (None when outside)."""
    hits = np.flatnonzero(_iso(dates) == INCIDENTS[name]["first_date"])
    return int(hits[0]) if hits.size else None


def generate_weather(
    seed: int = DEFAULT_SEED, start: str = DEFAULT_START, days: int = DEFAULT_DAYS
) -> pd.DataFrame:
    """Generate the daily weather of the sample period.

    Parameters
    ----------
    seed : int
        Seed of the random streams (the same seed gives the same weather).
    start : str
        First date, ISO format.
    days : int
        Number of days.

    Returns
    -------
    DataFrame
        One row per date: ``date`` (datetime64, midnight), ``rain`` (bool),
        ``storm`` (bool; a storm day is also a rain day), ``temperature_c``
        (float, daily mean, 0.1 degC).

    Notes
    -----
    Rain follows a two-state Markov chain, P(rain | dry) = 0.2 and
    P(rain | rain) = 0.5 (about 29 % rain days). The storm of
    ``INCIDENTS["storm"]`` is forced; the surge and shortfall days and the day
    before each are forced dry so that those incidents are not confounded with
    weather. Temperature rises linearly from 5 to 15 degC over 90 days plus an
    AR(1) anomaly; rain days are 2 degC cooler.

    Examples
    --------
    >>> generate_weather(days=3).columns.tolist()
    ['date', 'rain', 'storm', 'temperature_c']
    """
    dates = _dates(start, days)
    rng = _rng(seed, _STREAM_WEATHER)
    uniform = rng.random(days)
    rain = np.zeros(days, dtype=bool)
    for day in range(days):
        chance = 0.5 if day > 0 and rain[day - 1] else 0.2
        rain[day] = uniform[day] < chance
    storm = np.zeros(days, dtype=bool)
    storm_day = _incident_day("storm", dates)
    if storm_day is not None:
        storm[storm_day] = rain[storm_day] = True
    for name in ("surge", "staffing_shortfall"):
        day = _incident_day(name, dates)
        if day is not None:
            rain[max(day - 1, 0) : day + 1] = False
    anomaly = np.zeros(days)
    shocks = rng.normal(0.0, 1.5, days)
    for day in range(days):
        anomaly[day] = (0.7 * anomaly[day - 1] if day else 0.0) + shocks[day]
    trend = 5.0 + 10.0 * (dates - pd.Timestamp("2025-01-01")).days.to_numpy() / 90
    temperature = np.round(trend + anomaly - 2.0 * rain, 1)
    return pd.DataFrame(
        {
            "date": dates.astype("datetime64[ns]"),
            "rain": rain,
            "storm": storm,
            "temperature_c": temperature,
        }
    )


@dataclass
class _Plan:
    """Everything fixed before the first call arrives (demand, forecast, staffing)."""

    dates: pd.DatetimeIndex
    demand: np.ndarray  # expected arrivals (day, interval, segment, category)
    forecast_offered: np.ndarray  # (day, interval, queue)
    forecast_aht_s: np.ndarray  # (day, interval, queue)
    scheduled: np.ndarray  # (day, interval, queue) int
    staffed: np.ndarray  # (day, interval, queue) int
    seats: list  # per queue: list of frozensets of seat ids, one per global interval
    seat_agent: list  # per queue: agent index of each seat
    seat_talk_factor: list  # per queue: talk multiplier of each seat
    agents: pd.DataFrame  # agent, team, queue, talk_factor, quality


def _routing() -> np.ndarray:
    """P(queue | segment, category), shape (segment, category, queue)."""
    routing = np.zeros((len(SEGMENTS), len(CATEGORIES), len(QUEUES)))
    general, vip = QUEUES.index("General"), QUEUES.index("VIP")
    for s, segment in enumerate(SEGMENTS):
        for c, category in enumerate(CATEGORIES):
            if segment == "Premium":
                routing[s, c, vip] = 1.0
            elif category in SPECIALISED_QUEUE:
                routing[s, c, QUEUES.index(SPECIALISED_QUEUE[category])] = SPECIALISED_SHARE
                routing[s, c, general] = 1.0 - SPECIALISED_SHARE
            else:
                routing[s, c, general] = 1.0
    return routing


def _lognormal_mu(mean, log_sd):
    """Location parameter of a log-normal with the given mean and log-sd."""
    return np.log(np.asarray(mean, dtype=float)) - log_sd**2 / 2


def _expected_handle_s() -> np.ndarray:
    """Expected talk + hold + ACW seconds, shape (segment, category)."""
    talk = np.outer(SEGMENT_TALK_FACTOR, TALK_MEAN_S)
    hold = np.asarray(HOLD_PROBABILITY) * HOLD_MEAN_S
    return talk + hold + np.asarray(ACW_MEAN_S, dtype=float)


def _build_plan(seed: int, start: str, days: int, scale: float) -> _Plan:
    if scale <= 0:
        raise ValueError(f"scale must be > 0, not {scale}")
    dates = _dates(start, days)
    iso = _iso(dates)
    weather = generate_weather(seed, start, days)
    rng = _rng(seed, _STREAM_FORECAST)
    n_queue = len(QUEUES)

    # --- demand the planners know about ---------------------------------------------
    weekday = np.asarray(WEEKDAY_FACTOR)[dates.day_of_week.to_numpy()]
    weekday[np.isin(iso, MAKEUP_WORKDAYS)] = 1.0
    holiday = np.array([HOLIDAY_FACTOR.get(day, np.nan) for day in iso])
    day_factor = np.where(np.isnan(holiday), weekday, holiday)  # a holiday has no weekday rhythm
    elapsed = (dates - pd.Timestamp("2025-01-01")).days.to_numpy()
    trend = 1.0 + TREND_OVER_PERIOD * elapsed / 89
    rain = weather["rain"].to_numpy()
    first_dry = np.r_[False, rain[:-1] & ~rain[1:]]
    weather_lift = 1.0 + RAIN_LIFT * rain + FIRST_DRY_DAY_LIFT * first_dry
    daily_known = REFERENCE_DAILY_CALLS * scale * day_factor * trend * weather_lift
    mix = np.asarray([CATEGORY_MIX[s] for s in SEGMENTS]) * np.asarray(SEGMENT_SHARE)[:, None]
    known = daily_known[:, None, None, None] * _intraday_weights()[None, :, None, None] * mix

    # --- realised demand: day effect, storm, surge -----------------------------------
    day_effect = np.exp(rng.normal(-(DAY_EFFECT_LOG_SD**2) / 2, DAY_EFFECT_LOG_SD, days))
    demand = known * day_effect[:, None, None, None]
    storm_day = _incident_day("storm", dates)
    if storm_day is not None:
        # The forecast already carries the rain lift; the storm brings +35 % over normal.
        storm_factor = (1.0 + INCIDENTS["storm"]["volume_lift"]) / (1.0 + RAIN_LIFT)
        demand[storm_day] *= storm_factor
    surge_day = _incident_day("surge", dates)
    if surge_day is not None:
        surge = INCIDENTS["surge"]
        first, last = (_interval_index(t) for t in surge["time_window"])
        window_total = demand[surge_day, first:last].sum(axis=(1, 2))  # per interval
        for (category, segment), share in surge["extra_mix"].items():
            s, c = SEGMENTS.index(segment), CATEGORIES.index(category)
            demand[surge_day, first:last, s, c] += surge["volume_lift"] * share * window_total

    # --- forecast --------------------------------------------------------------------
    routing = _routing()
    known_by_queue = np.einsum("disc,scq->diq", known, routing)
    error = np.exp(
        rng.normal(0.0, FORECAST_DAY_LOG_SD, (days, 1, n_queue))
        + rng.normal(0.0, FORECAST_INTERVAL_LOG_SD, (days, INTERVALS_PER_DAY, n_queue))
    )
    forecast_offered = known_by_queue * error
    handle = _expected_handle_s()
    talk = np.outer(SEGMENT_TALK_FACTOR, TALK_MEAN_S)
    aht = INCIDENTS["aht_rise"]
    noticed = pd.Timestamp(aht["first_date"]) + pd.Timedelta(days=aht["forecast_lag_days"])
    aht_team_queue = QUEUES.index(TEAM_QUEUE[aht["dimensions"]["team"]])
    teams_in_queue = sum(q == TEAM_QUEUE[aht["dimensions"]["team"]] for q in TEAM_QUEUE.values())
    handle_sum = np.einsum("disc,sc,scq->diq", known, handle, routing)
    talk_sum = np.einsum("disc,sc,scq->diq", known, talk, routing)
    after = np.asarray(dates >= noticed)
    extra_talk = (aht["talk_factor"] - 1.0) / teams_in_queue
    handle_sum[after, :, aht_team_queue] += extra_talk * talk_sum[after, :, aht_team_queue]
    forecast_aht_s = handle_sum / known_by_queue

    # --- staffing plan: square-root staffing, two shifts, absence ---------------------
    load = forecast_offered * forecast_aht_s / INTERVAL_S
    scheduled = np.maximum(np.ceil(load + STAFFING_BETA * np.sqrt(load)), MIN_AGENTS).astype(int)
    return _roster(seed, dates, scheduled, demand, forecast_offered, forecast_aht_s)


def _roster(seed, dates, scheduled, demand, forecast_offered, forecast_aht_s) -> _Plan:
    """Agents, teams, daily rosters, absence and the seats logged in per interval."""
    days = len(dates)
    rng = _rng(seed, _STREAM_ROSTER)
    agent_rng = _rng(seed, _STREAM_AGENTS)
    shifts = (slice(0, SHIFT_CHANGE_INTERVAL), slice(SHIFT_CHANGE_INTERVAL, INTERVALS_PER_DAY))
    roster_size = np.stack([scheduled[:, shift].max(axis=1) for shift in shifts], axis=1)  # d,s,q
    shortfall_day = _incident_day("staffing_shortfall", dates)
    absence_b = ABSENCE_CONCENTRATION * (1 - ABSENCE_MEAN)
    absence_rate = rng.beta(ABSENCE_CONCENTRATION * ABSENCE_MEAN, absence_b, days)
    aht = INCIDENTS["aht_rise"]
    aht_from = pd.Timestamp(aht["first_date"])
    low_team = INCIDENTS["low_quality_team"]["dimensions"]["team"]

    # Agents: each queue's pool covers its busiest day's two shifts with headroom,
    # split evenly between the queue's teams; ids are "A" + team number + number.
    agent_rows = []
    pools = []
    for q, queue in enumerate(QUEUES):
        teams = [team for team in TEAMS if TEAM_QUEUE[team] == queue]
        need = int(roster_size[:, :, q].sum(axis=1).max())
        size = max(math.ceil(need * POOL_HEADROOM), len(teams))
        per_team = np.diff(np.linspace(0, size, len(teams) + 1).round().astype(int))
        width = max(2, len(str(int(per_team.max()))))
        pool = []
        for team, count in zip(teams, per_team, strict=True):
            number = int(team.split()[-1])
            for k in range(1, count + 1):
                pool.append(len(agent_rows))
                agent_rows.append((f"A{number:02d}{k:0{width}d}", team, queue))
        pools.append(np.asarray(pool))
    agents = pd.DataFrame(agent_rows, columns=["agent", "team", "queue"])
    talk_factor = np.exp(agent_rng.normal(0.0, AGENT_TALK_LOG_SD, len(agents)))
    for pool in pools:  # each queue's agents average 1, so the forecast AHT holds
        talk_factor[pool] /= talk_factor[pool].mean()
    agents["talk_factor"] = talk_factor
    agents["quality"] = agent_rng.normal(0.0, 1.0, len(agents))
    agents["low_quality"] = agents["team"] == low_team

    staffed = np.zeros_like(scheduled)
    seats_by_queue, seat_agent_by_queue, seat_factor_by_queue = [], [], []
    for q in range(len(QUEUES)):
        pool = pools[q]
        slot_agent, slot_factor, slot_present, slot_offset = [], [], [], {}
        n_seats = 0
        for d in range(days):
            order = rng.permutation(pool)
            taken = 0
            for s in range(2):
                m = int(roster_size[d, s, q])
                chosen = order[taken : taken + m]
                taken += m
                if d == shortfall_day:
                    # Absent seats spread evenly: of the first n seats, round(n * (1 - f)) are empty.
                    empty = 1.0 - INCIDENTS["staffing_shortfall"]["staffed_fraction"]
                    present = np.diff(np.floor(np.arange(m + 1) * empty + 0.5)) == 0
                else:
                    present = rng.random(m) >= absence_rate[d]
                factor = agents["talk_factor"].to_numpy()[chosen].copy()
                if dates[d] >= aht_from:
                    factor[agents["team"].to_numpy()[chosen] == aht["dimensions"]["team"]] *= aht[
                        "talk_factor"
                    ]
                slot_offset[(d, s)] = n_seats
                slot_agent.append(chosen)
                slot_factor.append(factor)
                slot_present.append(present)
                n_seats += m
        present_all = np.concatenate(slot_present)
        seats = []
        for d in range(days):
            for i in range(INTERVALS_PER_DAY):
                s = 0 if i < SHIFT_CHANGE_INTERVAL else 1
                offset = slot_offset[(d, s)]
                ids = offset + np.flatnonzero(present_all[offset : offset + scheduled[d, i, q]])
                staffed[d, i, q] = ids.size
                seats.append(frozenset(ids.tolist()))
        seats_by_queue.append(seats)
        seat_agent_by_queue.append(np.concatenate(slot_agent))
        seat_factor_by_queue.append(np.concatenate(slot_factor))
    return _Plan(
        dates=dates,
        demand=demand,
        forecast_offered=forecast_offered,
        forecast_aht_s=forecast_aht_s,
        scheduled=scheduled,
        staffed=staffed,
        seats=seats_by_queue,
        seat_agent=seat_agent_by_queue,
        seat_talk_factor=seat_factor_by_queue,
        agents=agents,
    )


def _simulate_queue(arrival_s, patience_s, talk_base_s, other_s, boundary_s, seats, seat_factor):
    """Multi-server FIFO queue with impatient callers and a changing set of agents.

    Parameters
    ----------
    arrival_s : ndarray
        Arrival times (seconds, sorted).
    patience_s : ndarray
        How long each caller is willing to wait.
    talk_base_s : ndarray
        Talk time before the answering agent's multiplier.
    other_s : ndarray
        Hold + ACW seconds (the agent stays busy for talk + hold + ACW).
    boundary_s : ndarray
        Start of each interval; ``seats[k]`` are the agents logged in from
        ``boundary_s[k]`` to the next boundary.
    seats : list of frozenset
        Seat ids logged in per interval.
    seat_factor : ndarray
        Talk multiplier of each seat (its agent's speed, incidents).

    Returns
    -------
    start_s : ndarray
        Answer time (NaN when the caller abandoned).
    seat : ndarray
        Seat that answered (-1 when abandoned).

    Notes
    -----
    Callers are taken in arrival order; each is answered by the seat that
    becomes free first, at ``max(arrival, free time)``, unless that moment is
    after ``arrival + patience``, in which case the caller abandons at
    ``arrival + patience`` and no seat is used. A seat that logs off finishes
    its call first. A caller still waiting at an interval boundary sees the
    next interval's seats.
    """
    n = len(arrival_s)
    start_out = np.full(n, np.nan)
    seat_out = np.full(n, -1, dtype=np.int64)
    arrivals = arrival_s.tolist()
    patience = patience_s.tolist()
    talk = talk_base_s.tolist()
    other = other_s.tolist()
    factor = seat_factor.tolist()
    bounds = boundary_s.tolist() + [math.inf]
    n_seats = len(factor)
    version = [0] * n_seats
    free_at = [0.0] * n_seats
    heap: list = []
    active: frozenset = frozenset()
    push, pop = heapq.heappush, heapq.heappop
    k = 0  # next boundary to apply

    def apply(index: int) -> None:
        nonlocal active
        target = seats[index]
        for seat in active - target:
            version[seat] += 1  # its heap entry becomes stale (lazy removal)
        at = bounds[index]
        for seat in target - active:
            version[seat] += 1
            push(heap, (max(at, free_at[seat]), seat, version[seat]))
        active = target

    for i in range(n):
        arrival = arrivals[i]
        while bounds[k] <= arrival:
            apply(k)
            k += 1
        deadline = arrival + patience[i]
        while True:
            while heap and heap[0][2] != version[heap[0][1]]:
                pop(heap)
            free = heap[0][0] if heap else math.inf
            if free > bounds[k] and bounds[k] < deadline:
                apply(k)  # the caller is still waiting when the next interval starts
                k += 1
                continue
            break
        begin = free if free > arrival else arrival
        if begin > deadline:
            continue
        _, seat, seat_version = pop(heap)
        end = begin + talk[i] * factor[seat] + other[i]
        free_at[seat] = end
        push(heap, (end, seat, seat_version))
        start_out[i] = begin
        seat_out[i] = seat
    return start_out, seat_out


def _customer_ids(rng, time_s, segment, category, answered, resolved, scale):
    """Customer numbers with repeat callers.

    A call is followed by another call of the same customer (same brand and
    category) with probability 0.05 when it was resolved, 0.55 when it was
    answered but not resolved and 0.6 when it was abandoned; the follow-up is
    the first call of that brand and category after a random delay
    (resolved: uniform 2-70 h; unresolved: 10 min + exponential mean 8 h;
    abandoned: 1 min + exponential mean 30 min; capped at 70 h). Other callers
    draw a number from a pool three times the expected calls of 90 days, so a
    customer may also call again weeks later.
    """
    n = len(time_s)
    follow_probability = np.where(~answered, 0.60, np.where(resolved, 0.05, 0.55))
    follows = rng.random(n) < follow_probability
    delay = np.where(
        ~answered,
        60 + rng.exponential(1800, n),
        np.where(resolved, rng.uniform(2 * 3600, 70 * 3600, n), 600 + rng.exponential(8 * 3600, n)),
    )
    delay = np.minimum(delay, 70 * 3600)
    group = segment.astype(np.int64) * len(CATEGORIES) + category.astype(np.int64)
    span = float(time_s.max()) + 10 * 86400
    key = group * span + time_s  # sorted within group by time
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    sources = np.flatnonzero(follows)
    target = np.searchsorted(sorted_key, key[sources] + delay[sources], side="left")
    parent = np.arange(n)
    taken = np.zeros(n, dtype=bool)
    for _ in range(3):  # resolve collisions: a loser tries the next call of its group
        ok = target < n
        sources, target = sources[ok], target[ok]
        candidate = order[target]
        same_group = group[candidate] == group[sources]
        in_window = time_s[candidate] - time_s[sources] <= 72 * 3600
        valid = same_group & in_window & ~taken[candidate]
        sources, target, candidate = sources[valid], target[valid], candidate[valid]
        _, first = np.unique(candidate, return_index=True)
        winner = np.zeros(len(candidate), dtype=bool)
        winner[first] = True
        parent[candidate[winner]] = sources[winner]
        taken[candidate[winner]] = True
        sources, target = sources[~winner], target[~winner] + 1
    root = parent.copy()
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    is_root = root == np.arange(n)
    number = np.zeros(n, dtype=np.int64)
    for s, name in enumerate(SEGMENTS):
        prefixes = np.asarray(CUSTOMER_PREFIXES[name], dtype=np.int64)
        pool_size = max(
            int(CUSTOMER_POOL_FACTOR * REFERENCE_DAILY_CALLS * 90 * scale * SEGMENT_SHARE[s]), 100
        )
        pool = prefixes[rng.integers(0, len(prefixes), pool_size)] * 10**8 + rng.integers(
            0, 10**8, pool_size
        )
        # the distinct numbers in ascending order, as np.unique gives them; a sort is
        # much faster than np.unique's hashing on the tens of millions of a large scale
        pool.sort()
        pool = pool[np.r_[True, pool[1:] != pool[:-1]]]
        roots = np.flatnonzero(is_root & (segment == s))
        number[roots] = pool[rng.integers(0, len(pool), len(roots))]
    return number[root]


def _simulate(seed: int, start: str, days: int, scale: float):
    plan = _build_plan(seed, start, days, scale)
    rng = _rng(seed, _STREAM_ARRIVALS)
    n_seg, n_cat = len(SEGMENTS), len(CATEGORIES)

    # --- arrivals: Poisson counts per (day, interval, segment, category) -------------
    counts = rng.poisson(plan.demand).ravel()
    cell = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    category = (cell % n_cat).astype(np.int8)
    segment = ((cell // n_cat) % n_seg).astype(np.int8)
    interval = cell // (n_cat * n_seg)  # global interval index = day * 28 + i
    day = interval // INTERVALS_PER_DAY
    boundary_s = (
        np.arange(days)[:, None] * 86400 + OPEN_HOUR * 3600 + np.arange(INTERVALS_PER_DAY) * 1800
    ).ravel()
    time_s = boundary_s[interval] + rng.integers(0, INTERVAL_S, cell.size)
    order = np.argsort(time_s, kind="stable")
    category, segment, interval, day, time_s = (
        a[order] for a in (category, segment, interval, day, time_s)
    )
    n = time_s.size
    routing = _routing()
    cumulative = routing.cumsum(axis=2)[segment, category]  # (n, queue)
    queue = (rng.random(n)[:, None] >= cumulative).sum(axis=1).astype(np.int8)
    queue = np.minimum(queue, len(QUEUES) - 1)

    # --- service requirements (before the agent's multiplier) ------------------------
    service = _rng(seed, _STREAM_SERVICE)
    talk_mu = _lognormal_mu(np.outer(SEGMENT_TALK_FACTOR, TALK_MEAN_S), TALK_LOG_SD)
    talk_base = np.exp(talk_mu[segment, category] + TALK_LOG_SD * service.standard_normal(n))
    has_hold = service.random(n) < np.asarray(HOLD_PROBABILITY)[category]
    hold = np.where(
        has_hold,
        np.exp(_lognormal_mu(HOLD_MEAN_S, HOLD_LOG_SD) + HOLD_LOG_SD * service.standard_normal(n)),
        0.0,
    )
    hold = np.round(hold)
    acw_mu = _lognormal_mu(ACW_MEAN_S, ACW_LOG_SD)[category]
    acw = np.round(np.exp(acw_mu + ACW_LOG_SD * service.standard_normal(n)))
    patience = np.where(
        service.random(n) < IMPATIENT_SHARE,
        service.exponential(IMPATIENT_MEAN_S, n),
        service.gamma(PATIENCE_SHAPE, 1.0 / PATIENCE_SHAPE, n)
        * np.asarray(PATIENCE_MEAN_S)[segment],
    )

    # --- queue simulation per queue --------------------------------------------------
    start_s = np.full(n, np.nan)
    agent = np.full(n, -1, dtype=np.int64)
    talk_factor = np.ones(n)
    for q in range(len(QUEUES)):
        members = np.flatnonzero(queue == q)
        begin, seat = _simulate_queue(
            time_s[members].astype(float),
            patience[members],
            talk_base[members],
            hold[members] + acw[members],
            boundary_s.astype(float),
            plan.seats[q],
            plan.seat_talk_factor[q],
        )
        start_s[members] = begin
        answered_here = seat >= 0
        agent[members[answered_here]] = plan.seat_agent[q][seat[answered_here]]
        talk_factor[members[answered_here]] = plan.seat_talk_factor[q][seat[answered_here]]
    answered = agent >= 0
    wait = np.where(answered, start_s - time_s, patience)
    wait = np.round(wait)
    talk = np.where(answered, np.maximum(np.round(talk_base * talk_factor), 5.0), np.nan)

    # --- outcomes ---------------------------------------------------------------------
    outcomes = _rng(seed, _STREAM_OUTCOMES)
    agents = plan.agents
    agent_safe = np.where(answered, agent, 0)
    quality = np.where(answered, agents["quality"].to_numpy()[agent_safe], 0.0)
    low_team = answered & agents["low_quality"].to_numpy()[agent_safe]
    transferred = answered & (outcomes.random(n) < np.asarray(TRANSFER_PROBABILITY)[category])
    base = np.asarray(RESOLVED_PROBABILITY)[category]
    logit = np.log(base / (1 - base)) + 0.3 * quality - 0.9 * transferred
    resolved = answered & (outcomes.random(n) < 1 / (1 + np.exp(-logit)))
    low = INCIDENTS["low_quality_team"]
    csat_latent = (
        4.45
        - 0.005 * np.minimum(wait, 300.0)
        - 1.4 * ~resolved
        - 0.2 * transferred
        + 0.15 * quality
        + low["csat_shift"] * low_team
        + outcomes.normal(0.0, 0.75, n)
    )
    rated = answered & (outcomes.random(n) < CSAT_RESPONSE_RATE)
    csat = np.where(rated, np.clip(np.round(csat_latent), 1, 5), np.nan)

    # QA: QA_PER_AGENT_WEEK random answered calls per agent and ISO week.
    week = (day + pd.Timestamp(start).day_of_week) // 7
    priority = outcomes.random(n)
    answered_index = np.flatnonzero(answered)
    keys = np.lexsort((priority[answered_index], week[answered_index], agent[answered_index]))
    ranked = answered_index[keys]
    group_key = agent[ranked] * 100000 + week[ranked]
    new_group = np.r_[True, group_key[1:] != group_key[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(ranked.size), 0))
    rank = np.arange(ranked.size) - group_start
    evaluated = np.zeros(n, dtype=bool)
    evaluated[ranked[rank < QA_PER_AGENT_WEEK]] = True
    qa_latent = (
        84.0
        + 3.5 * quality
        + low["qa_shift"] * low_team
        - 5.0 * ~resolved
        + outcomes.normal(0.0, 6.0, n)
    )
    qa = np.where(evaluated, np.clip(np.round(qa_latent), 0, 100), np.nan)

    customers = _customer_ids(
        _rng(seed, _STREAM_CUSTOMERS),
        time_s.astype(float),
        segment,
        category,
        answered,
        resolved,
        scale,
    )
    return plan, {
        "time_s": time_s,
        "day": day,
        "queue": queue,
        "category": category,
        "segment": segment,
        "agent": agent,
        "answered": answered,
        "wait": wait,
        "talk": talk,
        "hold": np.where(answered, hold, np.nan),
        "acw": np.where(answered, acw, np.nan),
        "transferred": transferred,
        "resolved": resolved,
        "csat": csat,
        "qa": qa,
        "customer": customers,
    }


def generate_calls(
    seed: int = DEFAULT_SEED,
    start: str = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    scale: float = 1.0,
) -> pd.DataFrame:
    """Generate the call-level sample (one row per offered call).

    Parameters
    ----------
    seed : int, default 20250101
        Seed of every random stream; the same arguments give the same frame.
    start : str, default "2025-01-01"
        First day (ISO date). The incidents of :data:`INCIDENTS` happen only
        when their dates fall inside the period.
    days : int, default 90
        Number of days (the hotline is open 08:00-22:00 every day).
    scale : float, default 1.0
        Multiplies demand and, through the staffing plan, agents; about
        150,000 calls per 90 days at 1.0.

    Returns
    -------
    DataFrame
        Canonical call columns (``ccmetrics.schema.CALL_COLUMNS``) in schema
        order: ``call_id`` (string, ``YYYYMMDD`` + 6-digit number of the day),
        ``arrived_at`` (datetime64[ns]), ``queue``, ``category``, ``segment``,
        ``team``, ``agent`` (categoricals; team and agent missing when not
        answered), ``customer_id`` (string, 11-digit mobile number),
        ``wait_s`` (float, whole seconds), ``answered``, ``abandoned`` (bool,
        exactly one true), ``talk_s``, ``hold_s``, ``acw_s`` (float, whole
        seconds, NaN when not answered), ``transferred``, ``resolved``
        (boolean, NA when not answered), ``csat`` (float 1-5, NaN when not
        rated), ``qa_score`` (float 0-100, NaN when not evaluated). Sorted by
        arrival time.

    Notes
    -----
    Staffing per queue and interval: ``R = forecast_offered * forecast_aht_s /
    1800`` and ``scheduled = max(ceil(R + beta * sqrt(R)), 2)`` with
    ``beta = STAFFING_BETA``; the logged-in agents are the scheduled ones minus
    absentees. Waits come from a FIFO multi-server queue simulation with
    exponential patience (mean 90 s Prepaid, 75 s Youth, 120 s Premium):
    ``wait_s = answer time - arrival`` for answered calls and the caller's
    patience for abandoned ones. The module docstring lists every model.

    References
    ----------
    Halfin, S. and Whitt, W. (1981). Heavy-traffic limits for queues with many
    exponential servers. Operations Research 29(3), 567-588 (square-root
    staffing). Garnett, O., Mandelbaum, A. and Reiman, M. (2002). Designing a
    call center with impatient customers. M&SOM 4(3), 208-227.

    Examples
    --------
    >>> calls = generate_calls(days=1)
    >>> bool((calls["answered"] ^ calls["abandoned"]).all())
    True
    """
    plan, sim = _simulate(seed, start, days, scale)
    start_day = pd.Timestamp(start).normalize()
    arrived_at = (
        start_day.to_datetime64().astype("datetime64[s]") + sim["time_s"].astype("timedelta64[s]")
    ).astype("datetime64[ns]")
    day = sim["day"]
    sequence = np.arange(day.size) - np.searchsorted(day, day, side="left")
    day_number = np.asarray(plan.dates.strftime("%Y%m%d").astype(int))[day].astype(np.int64)
    call_number = day_number * 1_000_000 + sequence + 1
    agents = plan.agents
    answered = sim["answered"]
    agent_codes = sim["agent"]  # agent row index, -1 when not answered
    team_codes = np.where(
        answered,
        pd.Categorical(agents["team"], categories=TEAMS).codes[np.maximum(agent_codes, 0)],
        -1,
    )

    def boolean(values: np.ndarray) -> pd.arrays.BooleanArray:
        return pd.arrays.BooleanArray(values.copy(), ~answered)

    frame = pd.DataFrame(
        {
            "call_id": pd.Series(call_number).astype("string").array,
            "arrived_at": arrived_at,
            "queue": pd.Categorical.from_codes(sim["queue"], categories=list(QUEUES)),
            "category": pd.Categorical.from_codes(sim["category"], categories=list(CATEGORIES)),
            "segment": pd.Categorical.from_codes(sim["segment"], categories=list(SEGMENTS)),
            "team": pd.Categorical.from_codes(team_codes, categories=list(TEAMS)),
            "agent": pd.Categorical.from_codes(agent_codes, categories=agents["agent"].tolist()),
            "customer_id": pd.Series(sim["customer"]).astype("string").array,
            "wait_s": sim["wait"].astype(float),
            "answered": answered,
            "abandoned": ~answered,
            "talk_s": sim["talk"],
            "hold_s": sim["hold"],
            "acw_s": sim["acw"],
            "transferred": boolean(sim["transferred"]),
            "resolved": boolean(sim["resolved"]),
            "csat": sim["csat"],
            "qa_score": sim["qa"],
        }
    )
    frame = _add_cost_and_quality(frame, seed)
    if "evaluator" in CALL_COLUMNS:  # the column joins the sample once the schema has it
        after = list(CALL_COLUMNS)[: list(CALL_COLUMNS).index("evaluator")]
        position = sum(c in after for c in frame.columns)
        frame.insert(position, "evaluator", sample_evaluators(frame, seed))
    assert list(frame.columns) == [c for c in CALL_COLUMNS if c in frame.columns]
    return frame


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def _add_cost_and_quality(calls: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The calls with ``cost``, ``complaint``, ``business_error`` and
    ``entry_completeness`` (answered calls only; missing for abandoned ones).

    Notes
    -----
    Drawn from their own stream (``_STREAM_QUALITY``), after every other column, so
    the other columns are those of a sample without them.

    - cost = :data:`COST_PER_CALL` + :data:`COST_PER_HANDLE_MINUTE` × handle minutes
      (talk + hold + ACW), rounded to the fen (0.01).
    - complaint: the call's category is "Complaint" (what a Chinese export's 业务类型
      says, and what the loader derives from it).
    - business error: Bernoulli with log-odds logit(:data:`ERROR_RATE_AT_MEAN_ACW`) +
      :data:`ERROR_LOG_ODDS_PER_SD` × z, z the agent's mean ACW in standard deviations
      of the agents' means, plus the agent's own N(0, :data:`AGENT_QUALITY_SD`) log-odds:
      agents who cut after-call work make more errors (the warning of the domain
      brief, for the ACW-against-quality check to find).
    - entry completeness: Binomial(:data:`ENTRY_FIELDS`, q) / ENTRY_FIELDS fields
      filled, logit q = logit(:data:`ENTRY_SHARE_AT_MEAN_ACW`) +
      :data:`ENTRY_LOG_ODDS_PER_SD` × z + the agent's own log-odds.
    """
    rng = _rng(seed, _STREAM_QUALITY)
    answered = calls["answered"].to_numpy(dtype=bool)
    handle_s = (
        calls["talk_s"].fillna(0) + calls["hold_s"].fillna(0) + calls["acw_s"].fillna(0)
    ).to_numpy(dtype=float)
    cost = np.where(
        answered, np.round(COST_PER_CALL + COST_PER_HANDLE_MINUTE * handle_s / 60.0, 2), np.nan
    )
    agent_acw = calls.loc[answered].groupby("agent", observed=True)["acw_s"].mean()
    spread = float(agent_acw.std(ddof=0)) or 1.0
    z_of_agent = (agent_acw - agent_acw.mean()) / spread
    z = calls["agent"].map(z_of_agent).astype(float).fillna(0.0).to_numpy()
    own = pd.DataFrame(
        rng.normal(0.0, AGENT_QUALITY_SD, size=(len(z_of_agent), 2)),
        index=z_of_agent.index,
        columns=["error", "entry"],
    )
    own_error = calls["agent"].map(own["error"]).astype(float).fillna(0.0).to_numpy()
    own_entry = calls["agent"].map(own["entry"]).astype(float).fillna(0.0).to_numpy()

    def logit(p: float) -> float:
        return math.log(p / (1.0 - p))

    error_p = _expit(logit(ERROR_RATE_AT_MEAN_ACW) + ERROR_LOG_ODDS_PER_SD * z + own_error)
    errors = rng.random(len(calls)) < error_p
    share = _expit(logit(ENTRY_SHARE_AT_MEAN_ACW) + ENTRY_LOG_ODDS_PER_SD * z + own_entry)
    filled = rng.binomial(ENTRY_FIELDS, share)
    complaint = (calls["category"] == "Complaint").to_numpy(dtype=bool)
    return calls.assign(
        cost=cost,
        complaint=pd.arrays.BooleanArray(complaint, ~answered),
        business_error=pd.arrays.BooleanArray(errors, ~answered),
        entry_completeness=np.where(answered, filled / ENTRY_FIELDS, np.nan),
    )


def _ivr_menu_paths() -> list[str]:
    """Every menu path of the sample, in a fixed order (the categories of ``ivr_path``)."""
    paths = [*IVR_MENU.values(), IVR_AGENT_PATH, IVR_MENU_CHANGE["path"]]
    return list(dict.fromkeys(paths))


def _ivr_seconds(rng: np.random.Generator, levels: np.ndarray, extra_s) -> np.ndarray:
    """Whole seconds in the IVR: log-normal around greeting + prompts per level + ``extra_s``."""
    mean = IVR_GREETING_S + IVR_LEVEL_S * levels + extra_s
    return np.round(
        np.exp(_lognormal_mu(mean, IVR_LOG_SD) + IVR_LOG_SD * rng.standard_normal(len(mean)))
    )


def _missing_like(column: pd.Series, n: int):
    """``n`` missing values of the column's own dtype (so a concat keeps the dtype)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(np.full(n, -1), dtype=column.dtype)
    if pd.api.types.is_float_dtype(column.dtype):
        return np.full(n, np.nan)
    return pd.array([None] * n, dtype=column.dtype)


def generate_ivr(calls: pd.DataFrame, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Put the IVR in front of the sample's queues: paths and times, plus the calls it ends.

    Parameters
    ----------
    calls : DataFrame
        Canonical calls of :func:`generate_calls` (every row offered to a queue).
    seed : int, default 20250101
        Seed of the IVR's own random stream (``_STREAM_IVR``); the queued calls are
        not redrawn.

    Returns
    -------
    DataFrame
        ``calls`` with ``ivr_s`` (whole seconds), ``ivr_contained``,
        ``ivr_abandoned`` (boolean, False on the queued calls) and ``ivr_path``
        (categorical, e.g. "Billing > Top-up"), plus the IVR-only rows: calls
        served by self-service (``ivr_contained``) and calls that hung up in the
        menu (``ivr_abandoned``), with ``answered = abandoned = False``, no queue,
        wait, team, agent or handle time, a category, a brand and a customer
        number. Sorted by arrival (stable: the queued calls keep their order);
        every value of the queued calls except the four IVR columns is
        unchanged.

    Notes
    -----
    A queued call follows its category's path (:data:`IVR_MENU`; from
    :data:`IVR_MENU_CHANGE` ``["date"]`` the billing enquiry's deeper path), or
    with probability ``IVR_AGENT_SHARE`` asks for an agent at once
    (``IVR_AGENT_PATH``). With Q queued calls of a day and category, self-service
    share c (:data:`IVR_CONTAINMENT`) and menu hang-up share a, the IVR served
    ``Poisson(Q c / (1 - c - a))`` callers and lost ``Poisson(Q a / (1 - c - a))``,
    so that among the callers who entered the IVR c were served and a hung up.
    IVR time is log-normal (log-sd ``IVR_LOG_SD``) with mean greeting + prompt ×
    menu levels, plus the self-service transaction for contained calls; a caller
    who hangs up does so half-way through the path on average. IVR-only calls
    arrive within ``IVR_JITTER_S`` of a queued call of the same day and category.

    Examples
    --------
    >>> calls = generate_ivr(generate_calls(days=1))
    >>> only = calls["ivr_contained"] | calls["ivr_abandoned"]
    >>> bool((calls.loc[~only, "answered"] ^ calls.loc[~only, "abandoned"]).all())
    True
    >>> bool((~calls.loc[only, "answered"] & ~calls.loc[only, "abandoned"]).all())
    True
    """
    rng = _rng(seed, _STREAM_IVR)
    n_cat = len(CATEGORIES)
    paths = _ivr_menu_paths()
    path_code = {path: code for code, path in enumerate(paths)}
    levels_of = np.array([path.count(" > ") + 1 for path in paths], dtype=float)
    change_day = pd.Timestamp(IVR_MENU_CHANGE["date"])
    changed = CATEGORIES.index(IVR_MENU_CHANGE["category"])

    # --- queued calls: the path they took and their time in the menu -------------------
    category = calls["category"].cat.codes.to_numpy().astype(np.int64)
    times = calls["arrived_at"]
    after = (times >= change_day).to_numpy()
    topic_path = np.array([path_code[IVR_MENU[c]] for c in CATEGORIES])[category]
    topic_path = np.where(
        after & (category == changed), path_code[IVR_MENU_CHANGE["path"]], topic_path
    )
    to_agent = rng.random(len(calls)) < IVR_AGENT_SHARE
    queued_path = np.where(to_agent, path_code[IVR_AGENT_PATH], topic_path)
    queued_s = _ivr_seconds(rng, levels_of[queued_path], 0.0)

    # --- IVR-only calls per day and category ---------------------------------------------
    day = (times.dt.normalize() - times.dt.normalize().min()).dt.days.to_numpy().astype(np.int64)
    first_day = times.dt.normalize().min() if len(calls) else change_day
    group = day * n_cat + category
    n_groups = (int(day.max()) + 1) * n_cat if len(calls) else 0
    queued_n = np.bincount(group, minlength=n_groups).astype(float)
    group_day = np.arange(n_groups) // n_cat
    group_cat = np.arange(n_groups) % n_cat
    group_after = (first_day + pd.to_timedelta(group_day, unit="D")) >= change_day
    contain = np.array([IVR_CONTAINMENT[c] for c in CATEGORIES])[group_cat]
    lose = np.full(n_groups, IVR_ABANDON_SHARE)
    moved = np.asarray(group_after) & (group_cat == changed)
    contain = np.where(moved, IVR_MENU_CHANGE["containment"], contain)
    lose = np.where(moved, IVR_MENU_CHANGE["abandon_share"], lose)
    contained_n = rng.poisson(queued_n * contain / (1 - contain - lose))
    lost_n = rng.poisson(queued_n * lose / (1 - contain - lose))
    extra = contained_n + lost_n
    owner = np.repeat(np.arange(n_groups), extra)
    served = (
        np.concatenate(
            [
                np.r_[np.ones(c, dtype=bool), np.zeros(a, dtype=bool)]
                for c, a in zip(contained_n, lost_n, strict=False)
            ]
        )
        if n_groups
        else np.zeros(0, dtype=bool)
    )
    # each IVR-only call copies the time and brand of a random queued call of its group
    order = np.argsort(group, kind="stable")
    starts = (
        np.r_[0, np.cumsum(queued_n.astype(np.int64))[:-1]] if n_groups else np.zeros(0, np.int64)
    )
    source = order[starts[owner] + (rng.random(owner.size) * queued_n[owner]).astype(np.int64)]
    day_open = (
        first_day + pd.to_timedelta(group_day[owner], unit="D") + pd.Timedelta(hours=OPEN_HOUR)
    )
    offset = (times.to_numpy()[source] - day_open.to_numpy()) / np.timedelta64(1, "s")
    offset = offset + rng.integers(-IVR_JITTER_S, IVR_JITTER_S + 1, owner.size)
    offset = np.clip(offset, 0, (CLOSE_HOUR - OPEN_HOUR) * 3600 - 1)
    arrived = day_open.to_numpy() + offset.astype("timedelta64[s]")
    only_path = np.where(
        moved[owner],
        path_code[IVR_MENU_CHANGE["path"]],
        np.array([path_code[IVR_MENU[c]] for c in CATEGORIES])[group_cat[owner]],
    )
    levels = levels_of[only_path]
    only_s = np.where(
        served,
        _ivr_seconds(rng, levels, IVR_SELF_SERVICE_S),
        np.round((IVR_GREETING_S + IVR_LEVEL_S * levels) * rng.uniform(0.0, 1.0, owner.size)),
    )
    segment = calls["segment"].cat.codes.to_numpy()[source]
    prefixes = [np.asarray(CUSTOMER_PREFIXES[name]) for name in SEGMENTS]
    prefix = np.array(
        [
            prefixes[s][k % len(prefixes[s])]
            for s, k in zip(segment, rng.integers(0, 1 << 30, owner.size), strict=False)
        ],
        dtype=np.int64,
    )
    customer = prefix * 100_000_000 + rng.integers(0, 100_000_000, owner.size)

    # --- one frame, in arrival order ----------------------------------------------------
    only_day = group_day[owner]
    rank = np.arange(owner.size) - np.searchsorted(np.sort(only_day), only_day, side="left")
    day_numbers = first_day + pd.to_timedelta(
        np.arange(int(day.max()) + 1 if len(calls) else 0), unit="D"
    )
    day_number = np.asarray(day_numbers.strftime("%Y%m%d").astype(int), dtype=np.int64)
    by_day = np.argsort(only_day, kind="stable")
    call_number = np.empty(owner.size, dtype=np.int64)
    call_number[by_day] = (
        day_number[only_day[by_day]] * 1_000_000 + IVR_CALL_NUMBER_BASE + rank[by_day] + 1
    )
    n_only = owner.size
    empty_cat = {
        name: pd.Categorical.from_codes(np.full(n_only, -1), dtype=calls[name].dtype)
        for name in ("queue", "team", "agent")
    }
    missing = np.full(n_only, np.nan)
    unknown = pd.array([None] * n_only, dtype="boolean")
    only = pd.DataFrame(
        {
            "call_id": pd.Series(call_number).astype("string").array,
            "arrived_at": arrived.astype("datetime64[ns]"),
            "queue": empty_cat["queue"],
            "category": pd.Categorical.from_codes(group_cat[owner], dtype=calls["category"].dtype),
            "segment": pd.Categorical.from_codes(segment, dtype=calls["segment"].dtype),
            "team": empty_cat["team"],
            "agent": empty_cat["agent"],
            "customer_id": pd.Series(customer).astype("string").array,
            "wait_s": missing,
            "answered": np.zeros(n_only, dtype=bool),
            "abandoned": np.zeros(n_only, dtype=bool),
            "ivr_s": only_s,
            "ivr_contained": pd.array(served, dtype="boolean"),
            "ivr_abandoned": pd.array(~served, dtype="boolean"),
            "ivr_path": pd.Categorical.from_codes(only_path, categories=paths),
            "talk_s": missing,
            "hold_s": missing,
            "acw_s": missing,
            "transferred": unknown,
            "resolved": unknown,
            "csat": missing,
            "qa_score": missing,
        }
    )
    queued = calls.assign(
        ivr_s=queued_s,
        ivr_contained=pd.array(np.zeros(len(calls), dtype=bool), dtype="boolean"),
        ivr_abandoned=pd.array(np.zeros(len(calls), dtype=bool), dtype="boolean"),
        ivr_path=pd.Categorical.from_codes(queued_path, categories=paths),
    )
    columns = [c for c in CALL_COLUMNS if c in queued.columns]
    for name in columns:
        if name not in only.columns:  # columns of answered calls (cost, quality, evaluator)
            only[name] = _missing_like(queued[name], n_only)
    both = pd.concat([queued[columns], only[columns]], ignore_index=True)
    both = both.sort_values("arrived_at", kind="mergesort", ignore_index=True)
    return both


def generate_intervals(
    calls: pd.DataFrame,
    seed: int = DEFAULT_SEED,
    start: str = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    scale: float = 1.0,
    sl_threshold_s: float = 20.0,
    short_abandon_s: float = 5.0,
) -> pd.DataFrame:
    """Aggregate sample calls into the 30-minute interval frame with the staffing plan.

    Parameters
    ----------
    calls : DataFrame
        Output of :func:`generate_calls` made with the same ``seed``,
        ``start``, ``days`` and ``scale`` (the forecast and staffing plan are
        rebuilt from those arguments; they do not depend on the calls).
    seed, start, days, scale
        As in :func:`generate_calls`.
    sl_threshold_s : float, default 20
        T of ``answered_in_sl`` and ``abandoned_in_sl`` (``wait_s <= T``).
    short_abandon_s : float, default 5
        S of ``short_abandoned`` (``wait_s < S``).

    Returns
    -------
    DataFrame
        One row per queue and 30-minute interval of the opening hours (also
        when no call arrived), sorted by ``interval_start`` then queue:
        ``interval_start`` (datetime64[ns]), ``interval_minutes`` (30.0),
        ``queue`` (categorical), counts ``offered, answered, abandoned,
        short_abandoned, answered_in_sl, abandoned_in_sl, transferred``, sums
        ``wait_s_sum`` (answered calls), ``abandon_wait_s_sum``,
        ``talk_s_sum, hold_s_sum, acw_s_sum, handle_s_sum``, and
        ``staffed_agents`` (agents logged in, the simulation's input),
        ``scheduled_agents``, ``forecast_offered``, ``forecast_aht_s``; all
        float.

    Notes
    -----
    Calls are attributed to the interval of their arrival. ``forecast_offered``
    is the forecastable arrival intensity times a log-normal forecast error,
    not the realised count; ``scheduled_agents = max(ceil(R + beta sqrt(R)), 2)``
    with ``R = forecast_offered * forecast_aht_s / 1800``.

    Examples
    --------
    >>> calls = generate_calls(days=1)
    >>> intervals = generate_intervals(calls, days=1)
    >>> int(intervals["offered"].sum()) == len(calls)
    True
    """
    plan = _build_plan(seed, start, days, scale)
    first = plan.dates[0] + pd.Timedelta(hours=OPEN_HOUR)
    last = plan.dates[-1] + pd.Timedelta(hours=CLOSE_HOUR)
    times = calls["arrived_at"]
    if len(calls) and (times.min() < first or times.max() >= last):
        raise ValueError(
            f"calls arrive from {times.min()} to {times.max()}, outside the plan's "
            f"{first} to {last}: pass the seed/start/days/scale used for generate_calls"
        )
    offsets = (
        np.arange(len(plan.dates))[:, None] * 86400
        + OPEN_HOUR * 3600
        + np.arange(INTERVALS_PER_DAY)[None, :] * INTERVAL_S
    )
    starts = (
        plan.dates[0].to_datetime64().astype("datetime64[s]")
        + offsets.ravel().astype("timedelta64[s]")
    ).astype("datetime64[ns]")
    n_queue = len(QUEUES)
    grid = pd.DataFrame(
        {
            "interval_start": np.repeat(starts, n_queue),
            "interval_minutes": float(INTERVAL_S // 60),
            "queue": pd.Categorical.from_codes(
                np.tile(np.arange(n_queue), starts.size), categories=list(QUEUES)
            ),
        }
    )
    wait = calls["wait_s"].to_numpy(dtype=float)
    answered = calls["answered"].to_numpy(dtype=bool)
    abandoned = calls["abandoned"].to_numpy(dtype=bool)
    talk = calls["talk_s"].fillna(0).to_numpy(dtype=float)
    hold = calls["hold_s"].fillna(0).to_numpy(dtype=float)
    acw = calls["acw_s"].fillna(0).to_numpy(dtype=float)
    parts = pd.DataFrame(
        {
            "interval_start": calls["arrived_at"].dt.floor(f"{INTERVAL_S // 60}min"),
            "queue": calls["queue"],
            "offered": 1.0,
            "answered": answered.astype(float),
            "abandoned": abandoned.astype(float),
            "short_abandoned": (abandoned & (wait < short_abandon_s)).astype(float),
            "answered_in_sl": (answered & (wait <= sl_threshold_s)).astype(float),
            "abandoned_in_sl": (abandoned & (wait <= sl_threshold_s)).astype(float),
            "transferred": calls["transferred"].fillna(False).to_numpy(dtype=bool).astype(float),
            "wait_s_sum": np.where(answered, wait, 0.0),
            "abandon_wait_s_sum": np.where(abandoned, wait, 0.0),
            "talk_s_sum": talk,
            "hold_s_sum": hold,
            "acw_s_sum": acw,
            "handle_s_sum": talk + hold + acw,
        }
    )
    sums = parts.groupby(["interval_start", "queue"], observed=True, sort=False).sum()
    frame = grid.merge(sums.reset_index(), on=["interval_start", "queue"], how="left")
    value_columns = list(sums.columns)
    frame[value_columns] = frame[value_columns].fillna(0.0)
    frame["staffed_agents"] = plan.staffed.reshape(-1).astype(float)
    frame["scheduled_agents"] = plan.scheduled.reshape(-1).astype(float)
    frame["forecast_offered"] = plan.forecast_offered.reshape(-1)
    frame["forecast_aht_s"] = plan.forecast_aht_s.reshape(-1)
    columns = [c for c in INTERVAL_COLUMNS if c in frame.columns]
    return frame[columns]


#: QA evaluators of the sample, and the one who scores about 5 points above the others.
EVALUATORS = ("Q01", "Q02", "Q03", "Q04")
LENIENT_EVALUATOR = "Q03"
#: Tilt of the lenient evaluator's share of a call by the call's QA residual (per point).
_LENIENT_TILT = 0.17
#: Roster history: former agents and the first day any of them started.
_FORMER_AGENTS = 70
_HISTORY_START = "2021-01-01"


def generate_roster(calls: pd.DataFrame, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The agent roster of the sample: the calls' agents and former agents, with start and
    leave dates.

    Parameters
    ----------
    calls : DataFrame
        The sample's calls (:func:`generate_calls`): its agents, teams, handle times
        and QA scores.
    seed : int
        Seed; draws from its own stream (``_STREAM_PEOPLE``), after the calls, so no
        number of the calls changes.

    Returns
    -------
    DataFrame
        ``agent, team, start_date, leave_date`` (dates as ``YYYY-MM-DD`` text,
        ``leave_date`` blank while employed), one row per agent: every agent of
        the calls (start date on or before the agent's first call; a few leave the
        day of their last call, when that is days before the end) and
        :data:`_FORMER_AGENTS` former agents (ids after the team's current ones)
        who left before the calls start.

    Notes
    -----
    Tenure of current agents at the start of the calls: 20 % joined in the last 8
    months (uniform), the rest log-normal (median 2.5 years, log sd 0.6, at most
    8 years). The shortest tenures go to the agents whose calls are slowest and
    score lowest on QA (rank of z(AHT) − z(QA) plus noise), so handle time falls
    and QA rises with tenure: a learning curve. Former agents start uniformly
    between 2021-01-01 and 2024-10-31 and stay an exponential time (40 %: mean
    100 days; 60 %: mean 500 days), kept when they left before the calls start.
    """
    rng = _rng(seed, _STREAM_PEOPLE)
    answered = calls[calls["agent"].notna()]
    day = answered["arrived_at"].dt.normalize()
    handle = answered["talk_s"] + answered["hold_s"] + answered["acw_s"]
    per_agent = (
        pd.DataFrame(
            {
                "agent": answered["agent"].astype(str),
                "team": answered["team"].astype(str),
                "day": day,
                "handle": handle,
                "qa": answered["qa_score"],
            }
        )
        .groupby("agent", sort=True)
        .agg(
            team=("team", "first"),
            first=("day", "min"),
            last=("day", "max"),
            handle=("handle", "mean"),
            qa=("qa", "mean"),
        )
    )
    opening = calls["arrived_at"].min().normalize()
    end = calls["arrived_at"].max().normalize()
    count = len(per_agent)

    def z(values: pd.Series) -> np.ndarray:
        values = values.fillna(values.mean())
        return ((values - values.mean()) / values.std()).to_numpy()

    newness = z(per_agent["handle"]) - z(per_agent["qa"]) + rng.normal(0.0, 1.0, count)
    new = rng.random(count) < 0.2
    tenure_days = np.where(
        new,
        rng.uniform(0, 243, count),
        np.minimum(np.exp(rng.normal(np.log(2.5 * 365.25), 0.6, count)), 8 * 365.25),
    )
    tenure_days = np.sort(tenure_days)[np.argsort(np.argsort(-newness))]
    start = (opening - pd.to_timedelta(np.round(tenure_days), unit="D")).to_numpy()
    start = np.minimum(start, per_agent["first"].to_numpy())
    early_last = per_agent["last"].to_numpy() < (end - pd.Timedelta(days=2)).to_datetime64()
    leaves = early_last & (rng.random(count) < 0.6)
    leave = np.where(leaves, per_agent["last"].to_numpy(), np.datetime64("NaT"))
    current = pd.DataFrame(
        {
            "agent": per_agent.index,
            "team": per_agent["team"].to_numpy(),
            "start_date": start,
            "leave_date": leave,
        }
    )
    # former agents: draw candidates, keep the first who left before the calls start
    candidates = 4 * _FORMER_AGENTS
    history = pd.Timestamp(_HISTORY_START)
    span = (pd.Timestamp("2024-10-31") - history).days
    starts = history + pd.to_timedelta(rng.integers(0, span, candidates), unit="D")
    stays = np.where(
        rng.random(candidates) < 0.4,
        rng.exponential(100.0, candidates),
        rng.exponential(500.0, candidates),
    )
    leaves_at = starts + pd.to_timedelta(np.round(stays) + 1, unit="D")
    sizes = current["team"].value_counts().sort_index()
    teams = rng.choice(sizes.index.to_numpy(), candidates, p=(sizes / sizes.sum()).to_numpy())
    kept = np.flatnonzero(leaves_at < opening)[:_FORMER_AGENTS]
    next_number = {
        team: int(current.loc[current["team"] == team, "agent"].str[3:].astype(int).max()) + 1
        for team in sizes.index
    }
    rows = []
    for i in kept:
        team = teams[i]
        number = next_number[team]
        next_number[team] += 1
        rows.append((f"A{TEAMS.index(team) + 1:02d}{number:02d}", team, starts[i], leaves_at[i]))
    former = pd.DataFrame(rows, columns=["agent", "team", "start_date", "leave_date"])
    roster = pd.concat([current, former], ignore_index=True).sort_values("agent", ignore_index=True)
    for column in ("start_date", "leave_date"):
        roster[column] = pd.to_datetime(roster[column]).dt.strftime("%Y-%m-%d").fillna("")
    return roster


def sample_evaluators(calls: pd.DataFrame, seed: int = DEFAULT_SEED) -> pd.Categorical:
    """The QA evaluator of each call with a QA score (missing elsewhere).

    Parameters
    ----------
    calls : DataFrame
        The sample's calls with ``agent`` and ``qa_score``.
    seed : int
        Seed; draws from its own stream (``_STREAM_EVALUATOR``) after the scores,
        so no score changes.

    Returns
    -------
    pandas.Categorical
        One of :data:`EVALUATORS` per scored call.

    Notes
    -----
    The scores exist before their evaluators, so leniency is given by whom a
    score is assigned to: with r = score − the agent's mean score, the lenient
    evaluator (:data:`LENIENT_EVALUATOR`) gets a call with weight exp(0.17 r),
    each other evaluator with weight 1. The lenient evaluator's scores then run
    about 5 points above the others' on the same agents, as a lenient evaluator's
    do in real data.
    """
    rng = _rng(seed, _STREAM_EVALUATOR)
    scores = pd.to_numeric(calls["qa_score"], errors="coerce")
    scored = scores.notna().to_numpy()
    residual = (scores - scores.groupby(calls["agent"], observed=True).transform("mean")).to_numpy()
    residual = residual[scored]
    weights = np.ones((len(residual), len(EVALUATORS)))
    weights[:, EVALUATORS.index(LENIENT_EVALUATOR)] = np.exp(
        _LENIENT_TILT * np.nan_to_num(residual)
    )
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    chosen = (rng.random(len(residual))[:, None] > cumulative).sum(axis=1)
    codes = np.full(len(calls), -1, dtype=np.int64)
    codes[scored] = np.minimum(chosen, len(EVALUATORS) - 1)
    return pd.Categorical.from_codes(codes, categories=list(EVALUATORS))


def calls_to_zh_frame(calls: pd.DataFrame) -> pd.DataFrame:
    """Turn canonical calls into the Chinese export of ``calls_zh_gbk.csv.gz``.

    Parameters
    ----------
    calls : DataFrame
        Canonical calls (output of :func:`generate_calls`).

    Returns
    -------
    DataFrame
        Text columns named by :data:`ZH_HEADERS` in that order: 来电时间 as
        ``YYYY-MM-DD HH:MM:SS``; 技能组, 业务类型, 客户品牌 translated by
        :data:`ZH_VALUES`; 排队时长, 保持时长, 话后处理时长 in whole seconds;
        通话时长 as ``H:MM:SS``; 是否接通, 是否放弃, 是否转接 as 是/否; 满意度
        and 质检得分 as integers; then IVR时长 (whole seconds), 自助 and IVR挂机
        (是/否) and IVR路径 (each menu option in Chinese, joined by " > "); blank
        where the canonical value is missing or the calls have no IVR columns.

    Notes
    -----
    The format is the contract of ``briefs/zh_headers.md`` between
    ``ccmetrics.sample`` and ``ccmetrics.io``.

    Examples
    --------
    >>> zh = calls_to_zh_frame(generate_calls(days=1))
    >>> zh.columns[:3].tolist()
    ['流水号', '来电时间', '技能组']
    """
    answered = calls["answered"].to_numpy(dtype=bool)

    def whole(column: str) -> pd.Series:
        return calls[column].round().astype("Int64").astype("string").fillna("")

    def yes_no(values: pd.Series) -> pd.Series:
        text = np.where(values.fillna(False).to_numpy(dtype=bool), "是", "否")
        missing = values.isna().to_numpy()
        return pd.Series(np.where(missing, "", text), index=calls.index, dtype="string")

    talk = calls["talk_s"].round().astype("Int64")
    hours = (talk // 3600).astype("string")
    minutes = ((talk % 3600) // 60).astype("string").str.zfill(2)
    seconds = (talk % 60).astype("string").str.zfill(2)
    talk_text = (hours + ":" + minutes + ":" + seconds).fillna("")
    out = {
        "call_id": calls["call_id"].astype("string"),
        "arrived_at": calls["arrived_at"].dt.strftime("%Y-%m-%d %H:%M:%S").astype("string"),
        "queue": calls["queue"].map(ZH_VALUES["queue"]).astype("string"),
        "category": calls["category"].map(ZH_VALUES["category"]).astype("string"),
        "segment": calls["segment"].map(ZH_VALUES["segment"]).astype("string"),
        "team": calls["team"].astype("string").fillna(""),
        "agent": calls["agent"].astype("string").fillna(""),
        "customer_id": calls["customer_id"].astype("string"),
        "wait_s": whole("wait_s"),
        "answered": pd.Series(np.where(answered, "是", "否"), index=calls.index, dtype="string"),
        "abandoned": pd.Series(
            np.where(calls["abandoned"].to_numpy(dtype=bool), "是", "否"),
            index=calls.index,
            dtype="string",
        ),
        "talk_s": talk_text,
        "hold_s": whole("hold_s"),
        "acw_s": whole("acw_s"),
        "transferred": yes_no(calls["transferred"]),
        "csat": whole("csat"),
        "qa_score": whole("qa_score"),
    }
    blank = pd.Series("", index=calls.index, dtype="string")
    has = {name: name in calls.columns for name in ("ivr_s", "ivr_contained", "ivr_abandoned")}
    out["ivr_s"] = whole("ivr_s") if has["ivr_s"] else blank
    out["ivr_contained"] = yes_no(calls["ivr_contained"]) if has["ivr_contained"] else blank
    out["ivr_abandoned"] = yes_no(calls["ivr_abandoned"]) if has["ivr_abandoned"] else blank
    out["ivr_path"] = _zh_menu_paths(calls["ivr_path"]) if "ivr_path" in calls.columns else blank
    return pd.DataFrame({ZH_HEADERS[name]: out[name] for name in ZH_HEADERS})


def _zh_menu_paths(paths: pd.Series) -> pd.Series:
    """Menu paths with each option in Chinese (:data:`ZH_VALUES` ``["ivr_path"]``)."""
    names = ZH_VALUES["ivr_path"]
    text = paths.astype("string")
    translated = {
        path: " > ".join(names.get(option, option) for option in path.split(" > "))
        for path in text.dropna().unique()
    }
    return text.map(translated).astype("string").fillna("")


def write_sample_data(
    out_dir: str | Path = SAMPLE_DIR,
    seed: int = DEFAULT_SEED,
    start: str = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    scale: float = 1.0,
) -> dict[str, Path]:
    """Generate the sample and write the shipped files.

    Parameters
    ----------
    out_dir : str or Path, default SAMPLE_DIR
        Target folder (created if missing).
    seed, start, days, scale
        As in :func:`generate_calls`.

    Returns
    -------
    dict
        ``{"calls": ..., "intervals": ..., "weather": ..., "calls_zh": ..., "roster": ...}``
        paths of ``calls.parquet`` (canonical calls, zstd), ``intervals.csv``
        (canonical 30-minute interval columns), ``weather.csv`` (date, rain,
        storm, temperature_c), ``calls_zh_gbk.csv.gz`` (the calls with
        Chinese headers and values, GBK, gzip) and ``roster.csv`` (the agent
        roster of :func:`generate_roster`).

    Notes
    -----
    Byte-identical for the same arguments: gzip is written with mtime 0 and
    no file name, CSVs with ``\\n`` line endings.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     sorted(write_sample_data(folder, days=1))
    ['calls', 'calls_zh', 'intervals', 'roster', 'weather']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    calls = generate_calls(seed=seed, start=start, days=days, scale=scale)
    intervals = generate_intervals(calls, seed=seed, start=start, days=days, scale=scale)
    calls = generate_ivr(calls, seed=seed)
    weather = generate_weather(seed=seed, start=start, days=days)
    paths = {
        "calls": out / "calls.parquet",
        "intervals": out / "intervals.csv",
        "weather": out / "weather.csv",
        "calls_zh": out / "calls_zh_gbk.csv.gz",
        "roster": out / "roster.csv",
    }
    calls.to_parquet(paths["calls"], index=False, compression="zstd")
    readable = intervals.copy()  # whole numbers as integers, forecasts rounded
    readable["forecast_offered"] = readable["forecast_offered"].round(2)
    readable["forecast_aht_s"] = readable["forecast_aht_s"].round(1)
    for column in readable.columns:
        if column not in ("forecast_offered", "forecast_aht_s") and pd.api.types.is_float_dtype(
            readable[column]
        ):
            readable[column] = readable[column].round().astype("int64")
    readable.to_csv(
        paths["intervals"], index=False, date_format="%Y-%m-%d %H:%M:%S", lineterminator="\n"
    )
    weather.to_csv(paths["weather"], index=False, date_format="%Y-%m-%d", lineterminator="\n")
    text = calls_to_zh_frame(calls).to_csv(index=False, lineterminator="\n")
    paths["calls_zh"].write_bytes(gzip.compress(text.encode("gbk"), compresslevel=9, mtime=0))
    generate_roster(calls, seed=seed).to_csv(paths["roster"], index=False, lineterminator="\n")
    return paths


def _main() -> None:
    started = time.perf_counter()
    paths = write_sample_data(SAMPLE_DIR)
    elapsed = time.perf_counter() - started
    calls = pd.read_parquet(paths["calls"])
    print(f"{len(calls):,} calls written to {SAMPLE_DIR} in {elapsed:.1f} s")
    for name, path in paths.items():
        print(f"  {path.name:<22} {path.stat().st_size / 1e6:6.2f} MB  ({name})")


if __name__ == "__main__":
    _main()
