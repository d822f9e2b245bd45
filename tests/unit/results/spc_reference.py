"""Published reference data and values for ``tests/unit/test_spc.py`` (kept apart from the tests).

Every block names its source. Values are copied as published (same digits); the tests
decide the tolerance from the number of digits shown.

Sources, all read through the stored copies of the public repositories:

* qcc: R package by Luca Scrucca, repository luca-scr/qcc -- data files ``data/*.txt``, the
  rendered vignette ``docs/articles/qcc.html`` ("A quick tour of qcc", version 3.0) and the
  unit tests ``tests/testthat/test-rules.R``, ``test-spc.xbar.R``, ``test-cusum.R``,
  ``test-ewma.R``.
* qicharts2: R package by Jacob Anhøj, repository anhoej/qicharts2 -- vignette
  ``vignettes/qicharts2.Rmd``, "Appendix 2: Critical values for longest run and number of
  crossings".
* PowerBI-SPC: repository AUS-DOH-Safety-and-Quality/PowerBI-SPC -- ``test/Chart
  Types/pprime.test.ts`` and the golden fixtures ``test/fixtures/golden/<chart>/basic*.qicharts2.json``
  produced by ``test/fixtures/golden/generators/generate_golden.R`` (qicharts2 0.8.1, R 4.5.1).
"""

# fmt: off

# ---------------------------------------------------------------------------------------------
# qcc vignette, "p and np charts": Montgomery's orange-juice cans (qcc data/orangejuice.txt).
# D = nonconforming cans per sample of 50; samples 1-30 are the trial (phase I) samples.
# ---------------------------------------------------------------------------------------------
ORANGEJUICE_D = [
    12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11,
    20, 18, 24, 15, 9, 12, 7, 13, 9, 6,
    9, 6, 12, 5, 6, 4, 6, 3, 7, 6, 2, 4, 3, 6, 5, 4, 8, 5, 6, 7, 5, 6, 3, 5,
]
ORANGEJUICE_SIZE = 50
ORANGEJUICE_TRIAL_SAMPLES = 30
# qcc(D[trial], sizes=size[trial], type="p"):
ORANGEJUICE_P_CENTER = 0.2313333
ORANGEJUICE_P_LCL = 0.05242755
ORANGEJUICE_P_UCL = 0.4102391
# The vignette then removes samples 15 and 23 ("out-of-control points", see help(orangejuice))
# and charts samples 31-54 as new data (phase II):
ORANGEJUICE_OUT_OF_CONTROL = [15, 23]
ORANGEJUICE_REVISED_CENTER = 0.215
ORANGEJUICE_REVISED_LCL = 0.04070284
ORANGEJUICE_REVISED_UCL = 0.3892972

# ---------------------------------------------------------------------------------------------
# qcc vignette, "c and u charts": circuit boards, nonconformities per 100 boards
# (qcc data/circuit.txt); samples 1-26 are the trial samples.
# ---------------------------------------------------------------------------------------------
CIRCUIT_X = [
    21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24, 16,
    19, 17, 15,
    16, 18, 12, 15, 24, 21, 28, 20, 25, 19, 18, 21, 16, 22, 19, 12, 14, 9, 16, 21,
]
CIRCUIT_SIZE = 100
CIRCUIT_TRIAL_SAMPLES = 26
# qcc(x[trial], sizes=size[trial], type="c"):
CIRCUIT_C_CENTER = 19.84615
CIRCUIT_C_LCL = 6.481447
CIRCUIT_C_UCL = 33.21086
# Samples 6 and 20 removed (see help(circuit)), samples 27-46 as new data:
CIRCUIT_OUT_OF_CONTROL = [6, 20]
CIRCUIT_REVISED_C_CENTER = 19.66667
CIRCUIT_REVISED_C_LCL = 6.362532
CIRCUIT_REVISED_C_UCL = 32.9708
# The same with type="u" (sizes 100):
CIRCUIT_REVISED_U_CENTER = 0.1966667
CIRCUIT_REVISED_U_LCL = 0.06362532
CIRCUIT_REVISED_U_UCL = 0.329708

# ---------------------------------------------------------------------------------------------
# qcc vignette, "Continuous one-at-time data": viscosity of 35 batches (qcc data/viscosity.txt);
# batches 1-20 are the trial batches.
# ---------------------------------------------------------------------------------------------
VISCOSITY = [
    34.05, 34.40, 33.59, 35.96, 34.70, 33.51, 33.79, 34.04, 34.52, 33.75, 33.27, 33.71, 34.03,
    34.58, 34.02, 33.97, 34.05, 34.04, 33.73, 34.05,
    34.39, 33.75, 33.40, 33.27, 34.65, 34.80, 34.55, 35.40, 34.75, 34.50, 34.70, 34.29, 34.61,
    34.49, 35.03,
]
VISCOSITY_TRIAL_BATCHES = 20
# qcc(viscosity[trial], type="xbar.one"): std.dev = MR-bar / d2(2); the vignette was rendered
# with qcc 3.0, whose d2(2) is the tabled 1.128 (the values check out only with 1.128).
VISCOSITY_CENTER = 34.088
VISCOSITY_STD_DEV = 0.5076521
# Batch 4 removed (temperature controller failure), batches 21-35 as new data:
VISCOSITY_OUT_OF_CONTROL = [4]
VISCOSITY_REVISED_CENTER = 33.98947
VISCOSITY_REVISED_STD_DEV = 0.4117415
# ewma(viscosity[trial], lambda=0.2, nsigmas=2.7, newdata=viscosity[!trial]), limits of
# points 1, 2 and 35 (center 34.088, std.dev 0.5076521 as above):
VISCOSITY_EWMA_LAMBDA = 0.2
VISCOSITY_EWMA_NSIGMAS = 2.7
VISCOSITY_EWMA_LIMITS = {1: (33.81387, 34.36213), 2: (33.73694, 34.43906), 35: (33.63111, 34.54489)}

# ---------------------------------------------------------------------------------------------
# qcc vignette, "Variable control limits": Montgomery's piston rings with 12 measurements
# removed (qcc data/pistonrings.txt, samples 1-25, rows 9, 10, 30, 35, 45, 64, 65, 74, 75, 85,
# 99, 100 dropped), giving subgroups of 3, 4 and 5.
# ---------------------------------------------------------------------------------------------
PISTONRINGS_FIRST_25 = [
    [74.030, 74.002, 74.019, 73.992, 74.008], [73.995, 73.992, 74.001, 74.011, 74.004],
    [73.988, 74.024, 74.021, 74.005, 74.002], [74.002, 73.996, 73.993, 74.015, 74.009],
    [73.992, 74.007, 74.015, 73.989, 74.014], [74.009, 73.994, 73.997, 73.985, 73.993],
    [73.995, 74.006, 73.994, 74.000, 74.005], [73.985, 74.003, 73.993, 74.015, 73.988],
    [74.008, 73.995, 74.009, 74.005, 74.004], [73.998, 74.000, 73.990, 74.007, 73.995],
    [73.994, 73.998, 73.994, 73.995, 73.990], [74.004, 74.000, 74.007, 74.000, 73.996],
    [73.983, 74.002, 73.998, 73.997, 74.012], [74.006, 73.967, 73.994, 74.000, 73.984],
    [74.012, 74.014, 73.998, 73.999, 74.007], [74.000, 73.984, 74.005, 73.998, 73.996],
    [73.994, 74.012, 73.986, 74.005, 74.007], [74.006, 74.010, 74.018, 74.003, 74.000],
    [73.984, 74.002, 74.003, 74.005, 73.997], [74.000, 74.010, 74.013, 74.020, 74.003],
    [73.988, 74.001, 74.009, 74.005, 73.996], [74.004, 73.999, 73.990, 74.006, 74.009],
    [74.010, 73.989, 73.990, 74.009, 74.014], [74.015, 74.008, 73.993, 74.000, 74.010],
    [73.982, 73.984, 73.995, 74.017, 74.013],
]
PISTONRINGS_REMOVED_ROWS = [9, 10, 30, 35, 45, 64, 65, 74, 75, 85, 99, 100]  # 1-based rows
# qcc(diameter2[1:25,], type="xbar"): "Group sample sizes: sizes 3 4 5, counts 4 4 17",
# "Center of group statistics = 74.00075".
PISTONRINGS_SIZE_COUNTS = {3: 4, 4: 4, 5: 17}
PISTONRINGS_CENTER = 74.00075

# ---------------------------------------------------------------------------------------------
# qcc tests/testthat/test-spc.xbar.R: subgroups (2, 4, 6, 8), (1, 5), (3, 6, 9).
# ---------------------------------------------------------------------------------------------
QCC_XBAR_GROUPS = [[2, 4, 6, 8], [1, 5], [3, 6, 9]]
QCC_XBAR_CENTER = 44 / 9                      # "computes ... their size-weighted center"
QCC_XBAR_RMSDF = 2.886142                     # sd.xbar(data, std.dev = "RMSDF")
# limits.xbar(center = 10, std.dev = 2, sizes = c(2, 4, 8), nsigmas = 3):
QCC_XBAR_LIMITS_CENTER = 10.0
QCC_XBAR_LIMITS_STD_DEV = 2.0
QCC_XBAR_LIMITS_SIZES = [2, 4, 8]
QCC_XBAR_LIMITS_LCL = [5.757359, 7.000000, 7.878680]
QCC_XBAR_LIMITS_UCL = [14.24264, 13.00000, 12.12132]

# ---------------------------------------------------------------------------------------------
# qcc tests/testthat/test-rules.R ("NEL1-NEL8 return expected violating indices ..." and the
# WER precedence test). Center 0, std.dev 1, nsigmas 3. Indices are 1-based as in R.
# ---------------------------------------------------------------------------------------------
QCC_RULE_CASES = [
    ("nelson_1", [0, 3.2, -3.4, 3], [2, 3]),
    ("nelson_2", [0.5] * 10 + [-0.5] + [-0.5] * 9, [9, 10, 19, 20]),
    ("nelson_3", [1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1], [6, 7, 13, 14]),
    ("nelson_4", [1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8], [14, 15]),
    ("nelson_5", [0, 2.3, 0.4, 2.2, -2.4, -0.2, -2.5], [4, 7]),
    ("nelson_6", [1.2, 1.3, 0.2, 1.4, 1.5, -1.2, -1.3, -0.1, -1.4, -1.5], [5, 10]),
    ("nelson_7", [0.3] * 16 + [1.2], [15, 16]),
    ("nelson_8", [1.2, -1.3, 1.1, -1.4, 1.5, -1.2, 1.3, -1.1, 0.2], [8]),
    ("nelson_8", [1.2] * 8, []),
    # WER1 = NEL1, WER2 = NEL5, WER3 = NEL6 in qcc:
    ("nelson_1", [0, 3.2, -3.5, 2.9], [2, 3]),
    ("nelson_5", [0, 2.5, 1.0, 2.6, 0], [4]),
    ("nelson_6", [0, 1.2, 1.3, 0.2, 1.4, 1.5], [6]),
    ("nelson_1", [2.5] * 7 + [3.2], [8]),
    ("nelson_5", [2.5] * 7 + [3.2], [3, 4, 5, 6, 7, 8]),
    ("nelson_6", [2.5] * 7 + [3.2], [5, 6, 7, 8]),
]

# ---------------------------------------------------------------------------------------------
# qcc tests/testthat/test-cusum.R and test-ewma.R.
# ---------------------------------------------------------------------------------------------
# cusum(data, center=0, std.dev=1, decision.interval=1, se.shift=1):
QCC_CUSUM_DATA = [1.5, 0.5, 0.6, -1.5, -0.5, -0.8]
QCC_CUSUM_POS = [1.0, 1.0, 1.1, 0.0, 0.0, 0.0]
QCC_CUSUM_NEG = [0.0, 0.0, 0.0, -1.0, -1.0, -1.3]
QCC_CUSUM_UPPER_VIOLATIONS = [3]      # 1-based; points 1-2 equal the interval: not signals
QCC_CUSUM_LOWER_VIOLATIONS = [6]
# ewma(c(11, 13, 12), center=10, std.dev=2, lambda=0.5, nsigmas=2):
QCC_EWMA_DATA = [11, 13, 12]
QCC_EWMA_STATISTIC = [10.5, 11.75, 11.875]
QCC_EWMA_SIGMA = [1.0, 1.25 ** 0.5, 1.3125 ** 0.5]

# ---------------------------------------------------------------------------------------------
# qicharts2 vignette, Appendix 2: critical values for the Anhøj rules,
# n useful observations -> (upper limit for longest run, lower limit for number of crossings).
# ---------------------------------------------------------------------------------------------
_ANHOEJ_LONGEST = [6, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7] + [8] * 23 + [9] * 45 + [10] * 10
_ANHOEJ_CROSSINGS = [
    2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 8, 9, 9, 10,           # n = 10-29
    10, 11, 11, 11, 12, 12, 13, 13, 14, 14, 14, 15, 15, 16, 16, 17, 17, 17, 18, 18,  # n = 30-49
    19, 19, 20, 20, 21, 21, 21, 22, 22, 23, 23, 24, 24, 25, 25, 25, 26, 26, 27, 27,  # n = 50-69
    28, 28, 29, 29, 29, 30, 30, 31, 31, 32, 32, 33, 33, 34, 34, 34, 35, 35, 36, 36,  # n = 70-89
    37, 37, 38, 38, 39, 39, 39, 40, 40, 41, 41,                            # n = 90-100
]
ANHOEJ_CRITICAL_VALUES = {
    n: (longest, crossings)
    for n, longest, crossings in zip(range(10, 101), _ANHOEJ_LONGEST, _ANHOEJ_CROSSINGS, strict=True)
}

# ---------------------------------------------------------------------------------------------
# PowerBI-SPC, test/Chart Types/pprime.test.ts and test/fixtures/golden/pp/basic.qicharts2.json
# ("Laney 2002, P-prime chart with MR-based sigma"): 20 periods of large-denominator
# proportions (about 95% of about 270,000 attendances), per-point 3-sigma (ul99/ll99) and
# 2-sigma (ul95/ll95) limits, given to 6 decimals.
# ---------------------------------------------------------------------------------------------
LANEY_NUMERATORS = [
    266501, 264225, 276532, 281461, 269071, 261215, 270409, 279778, 270483, 270320,
    267923, 271478, 255353, 256820, 261835, 259144, 255910, 260863, 264465, 260989,
]
LANEY_DENOMINATORS = [
    280443, 276823, 291681, 296155, 282343, 275888, 283867, 295251, 284468, 282529,
    279618, 283932, 266629, 268091, 276803, 271578, 266005, 273520, 278574, 273772,
]
LANEY_UL99 = [
    0.96567, 0.965753, 0.965421, 0.965326, 0.965627, 0.965775, 0.965593, 0.965345, 0.965579,
    0.965623, 0.965689, 0.965591, 0.965996, 0.965961, 0.965753, 0.965877, 0.966012, 0.96583,
    0.965713, 0.965824,
]
LANEY_UL95 = [
    0.961413, 0.961469, 0.961247, 0.961184, 0.961384, 0.961483, 0.961362, 0.961197, 0.961353,
    0.961382, 0.961426, 0.961361, 0.961631, 0.961607, 0.961469, 0.961551, 0.961641, 0.96152,
    0.961442, 0.961516,
]
LANEY_LL95 = [
    0.944386, 0.944331, 0.944552, 0.944615, 0.944415, 0.944316, 0.944438, 0.944603, 0.944447,
    0.944418, 0.944374, 0.944439, 0.944169, 0.944192, 0.944331, 0.944248, 0.944158, 0.944279,
    0.944358, 0.944283,
]
LANEY_LL99 = [
    0.94013, 0.940046, 0.940378, 0.940473, 0.940173, 0.940025, 0.940207, 0.940454, 0.94022,
    0.940177, 0.940111, 0.940208, 0.939803, 0.939839, 0.940046, 0.939923, 0.939788, 0.939969,
    0.940087, 0.939975,
]

# ---------------------------------------------------------------------------------------------
# PowerBI-SPC golden fixture test/fixtures/golden/u/basic.qicharts2.json: qicharts2 0.8.1
# qic(u_num, n = u_den, chart = "u"), 24 months, variable exposure; values rounded to 8 decimals.
# ---------------------------------------------------------------------------------------------
U_NUMERATORS = [575, 521, 585, 528, 507, 519, 457, 505, 494, 512, 543, 506, 509, 521, 549, 531,
                509, 528, 419, 512, 495, 513, 454, 490]
U_DENOMINATORS = [
    310466.8333, 282346.7917, 309089.7083, 287977.3333, 297743.375, 286988.25, 261120.3333,
    268720.75, 284437.875, 290449.5, 288104.4583, 279961.375, 289803.9583, 275950.5833,
    290824.4583, 285495.75, 282515.2083, 273927.875, 253085.625, 262410.7083, 275529.25,
    282405.0833, 259530.7917, 256235.4583,
]
U_CENTER = 0.00182358
U_UCL = [
    0.00205349, 0.00206467, 0.00205401, 0.0020623, 0.00205836, 0.00206271, 0.00207428,
    0.00207071, 0.00206378, 0.00206129, 0.00206225, 0.0020657, 0.00206155, 0.00206745,
    0.00206113, 0.00206334, 0.0020646, 0.00206835, 0.00207823, 0.00207366, 0.00206764,
    0.00206465, 0.00207505, 0.00207666,
]
U_LCL = [
    0.00159366, 0.00158248, 0.00159314, 0.00158485, 0.00158879, 0.00158444, 0.00157287,
    0.00157644, 0.00158337, 0.00158586, 0.0015849, 0.00158145, 0.0015856, 0.0015797,
    0.00158602, 0.00158381, 0.00158255, 0.0015788, 0.00156892, 0.00157349, 0.00157951,
    0.0015825, 0.0015721, 0.00157049,
]

# ---------------------------------------------------------------------------------------------
# PowerBI-SPC golden fixture test/fixtures/golden/i/basic-ratio.qicharts2.json: qicharts2 0.8.1
# qic(i_num / i_den, chart = "i") -- an individuals chart (sigma = MR-bar / 1.128); 6 decimals.
# ---------------------------------------------------------------------------------------------
I_NUMERATORS = [5, 7, 5, 7, 7, 5, 4, 9, 8, 13, 8, 7, 8, 7, 12, 11, 8]
I_DENOMINATORS = [113, 132, 121, 134, 116, 131, 93, 138, 182, 157, 100, 103, 146, 108, 153, 141, 134]
I_CENTER = 0.059297
I_UCL = 0.095737
I_UCL_2SIGMA = 0.083591
I_LCL_2SIGMA = 0.035004
I_LCL = 0.022858

# ---------------------------------------------------------------------------------------------
# PowerBI-SPC golden fixture test/fixtures/golden/p/basic.qicharts2.json: qicharts2 0.8.1
# qic(p_num, n = p_den, chart = "p"), 36 months; values rounded to 4 decimals.
# ---------------------------------------------------------------------------------------------
P_NUMERATORS = [14, 12, 15, 8, 16, 11, 12, 14, 16, 17, 5, 11, 13, 10, 14, 5, 12, 10, 11, 5, 10,
                8, 11, 12, 11, 18, 18, 21, 14, 15, 18, 22, 17, 16, 20, 15]
P_DENOMINATORS = [52, 64, 70, 60, 67, 69, 67, 54, 79, 59, 49, 61, 41, 51, 56, 43, 57, 48, 69, 41,
                  40, 46, 59, 62, 57, 65, 75, 70, 76, 69, 64, 67, 84, 67, 69, 78]
P_CENTER = 0.2163
P_UCL = [0.3876, 0.3707, 0.364, 0.3758, 0.3672, 0.365, 0.3672, 0.3844, 0.3553, 0.3771, 0.3928,
         0.3745, 0.4092, 0.3893, 0.3814, 0.4047, 0.3799, 0.3946, 0.365, 0.4092, 0.4116, 0.3984,
         0.3771, 0.3732, 0.3799, 0.3695, 0.359, 0.364, 0.358, 0.365, 0.3707, 0.3672, 0.3511,
         0.3672, 0.365, 0.3562]
P_LCL = [0.045, 0.0619, 0.0687, 0.0569, 0.0654, 0.0676, 0.0654, 0.0482, 0.0774, 0.0555, 0.0399,
         0.0582, 0.0234, 0.0434, 0.0513, 0.028, 0.0527, 0.038, 0.0676, 0.0234, 0.021, 0.0342,
         0.0555, 0.0595, 0.0527, 0.0631, 0.0737, 0.0687, 0.0746, 0.0676, 0.0619, 0.0654, 0.0816,
         0.0654, 0.0676, 0.0765]
# fmt: on
