"""Example data for every plot kind the report draws, in the layouts ``reports.plots`` documents.

Shared by the plot tests and the browser test. Values are computed, not random: a Gaussian
histogram against two densities, a ladder with a linear bias, a rate of order one.
"""

import math


def _gauss(x, s=1.0):
    return math.exp(-x * x / (2 * s * s)) / (s * math.sqrt(2 * math.pi))


_X = [-3 + 6 * (i + 0.5) / 40 for i in range(40)]
_CX = [-3 + 6 * i / 100 for i in range(101)]
_G = [-2 + 4 * i / 15 for i in range(16)]

EXAMPLES = {
    "histogram-vs-densities": {
        "x": _X, "density": [_gauss(x) * (1 + 0.05 * math.sin(7 * x)) for x in _X],
        "curve_x": _CX, "curves": {"derived": [_gauss(x) for x in _CX],
                                   "stated": [_gauss(x, 2 ** -0.5) for x in _CX],
                                   "mutant: temperature x 2": [_gauss(x, 2 ** 0.5) for x in _CX]},
        "state": "x"},
    "ladder": {
        "ladder": "eta",
        "series": [{"observable": "E[x**2]", "h": [0.01, 0.02, 0.03], "y": [0.2525, 0.255, 0.2575],
                    "se": [0.002, 0.002, 0.002], "extrapolated": [0.25, 0.003]},
                   {"observable": "E[x**4]", "h": [0.01, 0.02, 0.03], "y": [0.19, 0.192, 0.195],
                    "se": [0.004, 0.004, 0.004], "extrapolated": [0.1875, 0.005]}],
        "predictions": {"derived": [0.25, 0.1875], "stated": [0.125, 0.047],
                        "mutant: temperature x 2": [0.5, 0.75], "mutant: nan": ["nan", "nan"]}},
    "series": {"x": [1, 2, 3, 4], "series": {"derived": [1, 4, 9, 16], "measured": [1.1, 3.9, 9.2, 15.8]},
               "se": {"measured": [0.1, 0.1, 0.2, 0.3]}, "xlabel": "n", "ylabel": "value"},
    "fit": {"x": [0.1, 0.2, 0.3, 0.4], "y": [-0.41, -0.79, -1.21, -1.6], "se": [0.02] * 4,
            "xlabel": "L(x)", "ylabel": "log p(x)",
            "fits": {"derived": {"slope": -4.0, "intercept": 0.0},
                     "stated": {"slope": -2.0, "intercept": 0.0}}},
    "rate": {"h": [0.01, 0.02, 0.04, 0.08], "error": [0.0011, 0.0019, 0.0041, 0.0079],
             "se": [0.0001] * 4, "slopes": {"derived": 1, "stated": 2}, "xlabel": "eta"},
    "density-2d": {"x": _G, "y": _G, "z": [[math.exp(-(a * a + b * b) / 2) for a in _G] for b in _G],
                   "xlabel": "x", "ylabel": "y", "zlabel": "p",
                   "contours": {"stated": [[math.exp(-(a * a + 2 * b * b) / 2) for a in _G] for b in _G]}},
    "current-2d": {"x": _G, "y": _G, "u": [[-b for a in _G] for b in _G], "v": [[a for a in _G] for b in _G],
                   "background": [[math.exp(-(a * a + b * b) / 2) for a in _G] for b in _G]},
}
