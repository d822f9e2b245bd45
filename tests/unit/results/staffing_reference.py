"""Published reference values for ``tests/unit/test_staffing.py`` (kept apart from the tests).

Every block names its source. Values are copied as published (same digits); the tests
round the computed value to the digits shown. Hand calculations stay in the tests beside
their assertion.

Sources:

* CCH: Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example",
  https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm
* pyworkforce: repository rodrigo-arenas/pyworkforce -- ``README.md`` (ErlangC example),
  ``pyworkforce/queuing/tests/test_erlang.py`` (``test_over_occupancy_erlangc``) and
  ``pyworkforce/queuing/tests/test_abandonment.py`` (``test_erlanga_regression_metrics``).
"""

# fmt: off

# ---------------------------------------------------------------------------------------------
# The worked example (CCH, and pyworkforce's README with the same inputs): 100 calls in
# 30 minutes, AHT 180 s, 80 % answered within 20 s, 30 % shrinkage. A = 100 x 180 / 1800 = 10.
# ---------------------------------------------------------------------------------------------
CALLS = 100
INTERVAL_S = 1800
AHT_S = 180
THRESHOLD_S = 20
SL_TARGET = 0.80
SHRINKAGE = 0.30
# CCH: 14 agents; pyworkforce README: raw_positions 14, positions 20.
WORKED_AGENTS = 14
WORKED_SCHEDULED = 20
# pyworkforce README at 14 agents: waiting_probability 0.1741, service_level 0.8884
# (CCH: 88.8 %), occupancy 0.7143 (CCH: 71.4 %).
WORKED_P_WAIT = 0.1741
WORKED_SERVICE_LEVEL = 0.8884
WORKED_OCCUPANCY = 0.714

# ---------------------------------------------------------------------------------------------
# pyworkforce test_erlang.py::test_over_occupancy_erlangc: the worked example with
# max_occupancy 0.7 and asa = 0.33 min (a 19.8 s threshold).
# ---------------------------------------------------------------------------------------------
OVER_OCCUPANCY_MAX = 0.70
OVER_OCCUPANCY_THRESHOLD_MIN = 0.33
OVER_OCCUPANCY_RAW = 15
OVER_OCCUPANCY_POSITIONS = 22
OVER_OCCUPANCY_SERVICE_LEVEL = 0.941
OVER_OCCUPANCY_OCCUPANCY = 0.667
OVER_OCCUPANCY_P_WAIT = 0.102

# ---------------------------------------------------------------------------------------------
# pyworkforce test_abandonment.py::test_erlanga_regression_metrics: ErlangA(transactions=100,
# aht=3, asa=20/60, interval=30, patience=5) with 14 positions (times in minutes).
# ---------------------------------------------------------------------------------------------
ERLANG_A_PATIENCE_S = 300
ERLANG_A_AGENTS = 14
ERLANG_A_P_WAIT = 0.14526
ERLANG_A_P_ABANDON = 0.013984
ERLANG_A_OCCUPANCY = 0.704297
ERLANG_A_ASA_MIN = 0.069919
ERLANG_A_SERVICE_LEVEL = 0.916792
