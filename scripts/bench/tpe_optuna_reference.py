# Debugging aid (not part of the product): prints Optuna's TPE Parzen-estimator
# quantities on fixed observations, to compare with Lyra's ParzenEstimator
# (Tests/LyraSearchTests/TPETests.swift, testMatchesOptunaParzenEstimator).
#   python3 -m venv /tmp/optvenv && /tmp/optvenv/bin/pip install optuna==5.0.0 numpy
#   /tmp/optvenv/bin/python scripts/bench/tpe_optuna_reference.py
import numpy as np
from optuna.distributions import FloatDistribution, IntDistribution, CategoricalDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights

space = {"x": FloatDistribution(0, 1), "k": IntDistribution(0, 4), "c": CategoricalDistribution([0, 1, 2])}
obs = {"x": np.array([0.1, 0.35, 0.8, 0.82, 0.5, 0.05, 0.9]),
       "k": np.array([0, 2, 4, 4, 1, 3, 2]),
       "c": np.array([0, 2, 1, 1, 0, 2, 0])}
params = _ParzenEstimatorParameters(prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False,
                                    weights=default_weights, multivariate=True)
pe = _ParzenEstimator(obs, space, params)
d = pe._mixture_distribution
print("weights", list(d.weights))
print("x sigmas", list(d.distributions[0].sigma))
print("k sigmas", list(d.distributions[1].sigma))
print("c weights", d.distributions[2].weights.tolist())
pts = {"x": np.array([0.0, 0.3, 0.81, 1.0]), "k": np.array([0, 2, 4, 1]), "c": np.array([0, 1, 2, 0])}
print("log_pdf", list(pe.log_pdf(pts)))
