"""Published reference data and values for tests/unit/test_compare.py (ccmetrics.compare).

Kept apart from the tests, as statsmodels keeps ``statsmodels/stats/tests/results``.
Every block names where its numbers were published. Nothing here is computed by ccmetrics.
"""

# fmt: off

# ---------------------------------------------------------------------------
# PHE/UKHSA funnel limits for a proportion (inverted Wilson score limits).
# Source: ukhsa-collaboration/PHEindicatormethods, tests/testthat/testdata_funnel_prop_outputs.csv
# at commit 63894a99103ffc9e0a3e8a15644200a3abb95669, the expected output of
# phe_funnels(type = "standard") in tests/testthat/testFunnels.R. The limits are the
# package's sigma_adjustment() at p = 0.975 (95 %) and p = 0.999 (99.8 %), clipped to
# [0, 100]; "Baseline" is the average proportion of the input file (in %). All values
# are percentages printed with 6 decimals.
# Columns: population, lower 95 %, upper 95 %, lower 99.8 %, upper 99.8 %.
PHE_BASELINE_PERCENT = 80.642448
PHE_FUNNEL_LIMITS = [
    (1, 3.204264, 100, 0, 100),
    (2, 25.885383, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (4, 41.923356, 100, 19.594903, 100),
    (5, 46.011039, 100, 26.039864, 100),
    (6, 49.028442, 100, 30.797336, 100),
    (7, 51.373565, 100, 34.494842, 100),
    (8, 53.263915, 100, 37.475315, 100),
    (9, 54.82972, 100, 39.944085, 100),
    (10, 56.154344, 100, 42.03259, 100),
    (11, 57.293957, 100, 43.829393, 100),
    (12, 58.28797, 100, 45.396631, 100),
    (13, 59.16496, 100, 46.779363, 100),
    (14, 59.946223, 100, 48.011163, 100),
    (16, 61.282902, 100, 50.118675, 100),
    (18, 62.390093, 98.894803, 51.864359, 100),
    (20, 63.326743, 97.958152, 53.341156, 100),
    (22, 64.132572, 97.152324, 54.611687, 100),
    (24, 64.835445, 96.449451, 55.719892, 100),
    (27, 65.739462, 95.545433, 57.145237, 100),
    (30, 66.504234, 94.780661, 58.351036, 100),
    (33, 67.16219, 94.122705, 59.388421, 100),
    (37, 67.911689, 93.373207, 60.570139, 100),
    (41, 68.548635, 92.73626, 61.574398, 99.710497),
    (45, 69.098645, 92.186251, 62.441586, 98.843309),
    (50, 69.691035, 91.593861, 63.375595, 97.909301),
    (55, 70.200685, 91.08421, 64.179149, 97.105746),
    (61, 70.727504, 90.557391, 65.009774, 96.275122),
    (68, 71.251689, 90.033207, 65.836243, 95.448652),
    (75, 71.700657, 89.584239, 66.544121, 94.740774),
    (83, 72.142503, 89.142393, 67.240771, 94.044125),
    (92, 72.568959, 88.715937, 67.913155, 93.371741),
    (102, 72.974925, 88.309971, 68.553233, 92.731663),
    (113, 73.357676, 87.927219, 69.156708, 92.128188),
    (125, 73.716166, 87.56873, 69.721931, 91.562965),
    (139, 74.074227, 87.210669, 70.286478, 90.998418),
    (154, 74.402301, 86.882595, 70.803745, 90.481151),
    (171, 74.720602, 86.564294, 71.305603, 89.979293),
    (190, 75.024492, 86.260404, 71.784739, 89.500157),
    (211, 75.311383, 85.973512, 72.237075, 89.04782),
    (234, 75.580155, 85.70474, 72.660842, 88.624054),
    (260, 75.839936, 85.44496, 73.070432, 88.214464),
    (289, 76.087261, 85.197635, 73.460384, 87.824512),
    (321, 76.32027, 84.964626, 73.827764, 87.457131),
    (356, 76.538232, 84.746663, 74.171421, 87.113475),
    (395, 76.74611, 84.538786, 74.499177, 86.785719),
    (438, 76.942308, 84.342587, 74.808519, 86.476377),
    (486, 77.12978, 84.155115, 75.104102, 86.180794),
    (539, 77.306949, 83.977947, 75.38344, 85.901456),
    (598, 77.475765, 83.809131, 75.649608, 85.635287),
    (664, 77.637263, 83.647632, 75.904239, 85.380656),
    (737, 77.789976, 83.49492, 76.145017, 85.139878),
    (818, 77.934885, 83.35001, 76.373493, 84.911403),
    (908, 78.072571, 83.212324, 76.59058, 84.694316),
    (1008, 78.203374, 83.081521, 76.796814, 84.488082),
    (1119, 78.327506, 82.95739, 76.992529, 84.292366),
    (1242, 78.445123, 82.839773, 77.177973, 84.106923),
    (1379, 78.557126, 82.727769, 77.354567, 83.930329),
    (1531, 78.663349, 82.621547, 77.522045, 83.76285),
    (1699, 78.763743, 82.521152, 77.680336, 83.60456),
    (1886, 78.859312, 82.425583, 77.831017, 83.453878),
    (2093, 78.949785, 82.335111, 77.973663, 83.311233),
    (2323, 79.035764, 82.249132, 78.109224, 83.175672),
    (2578, 79.117294, 82.167602, 78.237771, 83.047125),
    (2861, 79.194689, 82.090207, 78.359798, 82.925098),
    (3175, 79.268142, 82.016753, 78.47561, 82.809285),
    (3524, 79.337968, 81.946927, 78.585704, 82.699192),
    (3911, 79.40419, 81.880706, 78.690113, 82.594783),
    (4341, 79.467117, 81.817779, 78.789329, 82.495567),
    (4818, 79.526814, 81.758082, 78.883452, 82.401444),
    (5348, 79.583537, 81.701359, 78.972886, 82.31201),
    (5936, 79.63735, 81.647545, 79.057733, 82.227163),
    (6588, 79.688382, 81.596514, 79.138193, 82.146703),
    (7312, 79.736846, 81.548049, 79.214606, 82.07029),
    (8116, 79.782872, 81.502024, 79.287174, 81.997722),
    (9008, 79.82654, 81.458355, 79.356024, 81.928871),
    (9998, 79.867989, 81.416907, 79.421375, 81.863521),
    (11097, 79.907338, 81.377558, 79.483416, 81.80148),
    (12316, 79.944665, 81.340231, 79.542269, 81.742627),
    (13669, 79.980099, 81.304797, 79.598137, 81.686759),
    (15171, 80.013741, 81.271155, 79.65118, 81.633716),
    (16838, 80.045674, 81.239222, 79.701527, 81.583368),
    (18688, 80.075982, 81.208914, 79.749314, 81.535582),
    (20742, 80.10476, 81.180135, 79.794688, 81.490208),
    (23022, 80.13208, 81.152816, 79.837761, 81.447134),
    (25552, 80.158005, 81.126891, 79.878637, 81.406259),
    (28360, 80.182613, 81.102283, 79.917436, 81.36746),
    (31477, 80.205974, 81.078922, 79.954269, 81.330627),
    (34936, 80.228144, 81.056751, 79.989225, 81.295671),
    (38775, 80.249188, 81.035707, 80.022404, 81.262492),
    (43036, 80.269164, 81.015732, 80.053899, 81.230996),
    (47766, 80.288128, 80.996768, 80.083799, 81.201097),
    (53016, 80.306129, 80.978767, 80.112181, 81.172715),
    (58842, 80.323212, 80.961684, 80.139116, 81.14578),
    (65309, 80.33943, 80.945466, 80.164686, 81.12021),
    (72486, 80.354822, 80.930074, 80.188954, 81.095941),
    (80452, 80.369433, 80.915463, 80.211991, 81.072905),
    (89294, 80.383302, 80.901594, 80.233858, 81.051037),
    (99108, 80.396467, 80.888428, 80.254616, 81.03028),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]

# ---------------------------------------------------------------------------
# Efron & Morris baseball data: 18 players, hits in their first 45 at-bats of 1970 and
# their batting average over the remainder of the season.
# Source of the data: Efron, B., Morris, C. (1975). Data analysis using Stein's estimator
# and its generalizations. JASA 70(350), 311-319, Table 1; as distributed in R package
# pscl (EfronMorris), CSV vincentarelbundock/Rdatasets csv/pscl/EfronMorris.csv at commit
# 1c97ab8a1df2469762e635481ba27cf4e80e3e51 (columns name, r, p).
BASEBALL_AT_BATS = 45
BASEBALL_PLAYERS = [
    "Roberto Clemente", "Frank Robinson", "Frank Howard", "Jay Johnstone", "Ken Berry",
    "Jim Spencer", "Don Kessinger", "Luis Alvarado", "Ron Santo", "Ron Swoboda", "Del Unser",
    "Billy Williams", "George Scott", "Rico Petrocelli", "Ellie Rodriguez", "Bert Campaneris",
    "Thurman Munson", "Max Alvis",
]
BASEBALL_HITS = [18, 17, 16, 15, 14, 14, 13, 12, 11, 11, 10, 10, 10, 10, 10, 9, 8, 7]
BASEBALL_SEASON_REST = [
    0.346, 0.298, 0.276, 0.222, 0.273, 0.270, 0.263, 0.210, 0.269, 0.230, 0.264, 0.256,
    0.303, 0.264, 0.226, 0.285, 0.316, 0.200,
]
# Efron, B., Morris, C. (1977). Stein's paradox in statistics. Scientific American 236(5),
# 119-127: grand average ybar = .265 and shrinking factor c = .212 for
# z = ybar + c (y - ybar), c = 1 - (k - 3) sigma^2 / sum (y - ybar)^2 (p. 119; quoted in
# A. S. Kurz, "Stein's paradox and what partial pooling can do for you", 2019, and in
# stats.stackexchange question 5727, whose answer identifies sigma^2 as ybar (1 - ybar) / 45).
# "For 16 of the 18 players the James-Stein estimator z is closer than the observed average y
# to the 'true', or seasonal, average"; "Stein's method is 3.5 times as accurate" (p. 121).
BASEBALL_GRAND_MEAN = 0.265
BASEBALL_SHRINKING_FACTOR = 0.212
BASEBALL_CLOSER_COUNT = 16
BASEBALL_ACCURACY_RATIO = 3.5
# Efron & Morris (1975), Table 1, column "James-Stein estimator": the estimates of the 1975
# paper, computed on the variance-stabilised scale x = sqrt(45) arcsin(2y - 1) (unit
# variance) and transformed back, printed with 3 decimals.
BASEBALL_JAMES_STEIN_1975 = [
    0.290, 0.286, 0.281, 0.277, 0.273, 0.273, 0.268, 0.264, 0.259, 0.259, 0.254, 0.254,
    0.254, 0.254, 0.254, 0.249, 0.244, 0.239,
]

# ---------------------------------------------------------------------------
# Between-unit variance estimators against R metafor.
# Source: statsmodels/statsmodels, statsmodels/stats/tests/results/results_meta.py at commit
# 276bc48f75ae72fd84e7d03aee898d615f8dfdd3: "example from Kacker 2004, computed with R
# metafor", rma(y, v, method = "PM"), rma(y, v, method = "DL") and rma(y, v, method = "FE").
KACKER_Y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9]
KACKER_V = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]
METAFOR_PM_TAU2 = 0.705395309224248
METAFOR_PM_MEAN = 62.4076199113286
METAFOR_DL_TAU2 = 0.288049246973751
METAFOR_DL_MEAN = 62.3901386044504
METAFOR_FE_MEAN = 62.5833970939982
METAFOR_QE = 24.801897741835

# ---------------------------------------------------------------------------
# Pain threshold by hair colour (McClave & Dietrich 1991), the "anova" data set of pingouin.
# R oneway.test (Welch): F = 5.890, df = (3, 8.330), p = .0188 -- raphaelvallat/pingouin
# tests/test_parametric.py::test_welch_anova ("Compare with R oneway.test function");
# eta^2 (np2) = 0.575962 -- pingouin's welch_anova docstring.
# Games-Howell, pairs in sorted group order: |T| rounded to 2 decimals and df from the R
# package userfriendlyscience, p-values from JASP -- raphaelvallat/pingouin
# tests/test_pairwise.py::test_pairwise_gameshowell (commit b71edc6b).
# The transcription of the 19 values is confirmed by reproducing R's F, df and p above.
HAIR_PAIN = {
    "Light Blond": [62, 60, 71, 55, 48],
    "Dark Blond": [63, 57, 52, 41, 43],
    "Light Brunette": [42, 50, 41, 37],
    "Dark Brunette": [32, 39, 51, 30, 35],
}
WELCH_F = 5.890
WELCH_DF2 = 8.330
WELCH_P = 0.0188
WELCH_ETA_SQUARED = 0.575962
GAMES_HOWELL_PAIRS = [
    ("Dark Blond", "Dark Brunette"), ("Dark Blond", "Light Blond"),
    ("Dark Blond", "Light Brunette"), ("Dark Brunette", "Light Blond"),
    ("Dark Brunette", "Light Brunette"), ("Light Blond", "Light Brunette"),
]
GAMES_HOWELL_ABS_T = [2.47, 1.42, 1.75, 4.09, 1.11, 3.56]
GAMES_HOWELL_DF = [7.91, 7.94, 6.56, 8.0, 6.82, 6.77]
GAMES_HOWELL_P_JASP = [0.1401, 0.5228, 0.3715, 0.0148, 0.6980, 0.0378]

# ---------------------------------------------------------------------------
# Dunn's test with Holm's adjustment against R.
# Data: seaborn "exercise" data set, mwaskom/seaborn-data exercise.csv at commit
# ff48445cbd5915a4fb45bf2432015f90078c96f6 (pulse by kind; rows 0-29 rest, 30-59 walking,
# 60-89 running).
# Expected Holm-adjusted p-values from R (PMCMR), as given in maximtrp/scikit-posthocs
# tests/test_posthocs.py::test_posthoc_dunn (r_results) at commit
# b25db40b11a6cbfe911bad81ae582a63d276e6dd.
EXERCISE_PULSE = {
    "rest": [85, 85, 88, 90, 92, 93, 97, 97, 94, 80, 82, 83, 91, 92, 91, 83, 83, 84, 87, 88,
             90, 92, 94, 95, 97, 99, 96, 100, 97, 100],
    "walking": [86, 86, 84, 93, 103, 104, 90, 92, 93, 95, 96, 100, 89, 96, 95, 84, 86, 89, 103,
                109, 90, 92, 96, 101, 97, 98, 100, 102, 104, 103],
    "running": [93, 98, 110, 98, 104, 112, 98, 105, 99, 87, 132, 120, 94, 110, 116, 95, 126, 143,
                100, 126, 140, 103, 124, 140, 94, 135, 130, 99, 111, 150],
}
DUNN_HOLM_R = {
    ("rest", "running"): 9.570998e-09,
    ("rest", "walking"): 4.390066e-02,
    ("running", "walking"): 1.873208e-04,
}

# ---------------------------------------------------------------------------
# scipy.stats.kruskal docstring examples (SciPy 1.17).
KRUSKAL_EXAMPLE_1 = {"groups": [[1, 3, 5, 7, 9], [2, 4, 6, 8, 10]],
                     "statistic": 0.2727272727272734, "pvalue": 0.6015081344405895}
KRUSKAL_EXAMPLE_2 = {"groups": [[1, 1, 1], [2, 2, 2], [2, 2]],
                     "statistic": 7.0, "pvalue": 0.0301973834223185}

# ---------------------------------------------------------------------------
# Shrout, P. E., Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
# reliability. Psychological Bulletin 86, 420-428. Table 2: 6 targets rated by 4 judges;
# Table 4: ICC(1,1) = .17 and ICC(1,4) = .44 (also the example of R psych::ICC).
SHROUT_FLEISS_RATINGS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]
SHROUT_FLEISS_ICC_1_1 = 0.17
SHROUT_FLEISS_ICC_1_K = 0.44

# fmt: on
