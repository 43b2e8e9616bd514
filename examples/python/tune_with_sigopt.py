"""Tunes a function against Sextant with the official SigOpt Python client (pip install sigopt).

    npx sextant serve &
    SIGOPT_API_URL=http://127.0.0.1:8080 SIGOPT_API_TOKEN=$(cat sextant-data/api-token) python examples/python/tune_with_sigopt.py

SIGOPT_API_URL must be set before the Connection is created: the client adds /v1/... itself.
"""
import math
import os

from sigopt import Connection


def evaluate(x, y, kernel):
    # Best near x = 0.2, y = -1, kernel = "rbf".
    return -((x - 0.2) ** 2) - 0.5 * (y + 1) ** 2 + (0.3 if kernel == "rbf" else 0.0) + 0.1 * math.cos(5 * x)


conn = Connection(client_token=os.environ["SIGOPT_API_TOKEN"])
experiment = conn.experiments().create(
    name="Official client against Sextant",
    parameters=[
        dict(name="x", type="double", bounds=dict(min=-1, max=1)),
        dict(name="y", type="double", bounds=dict(min=-3, max=3)),
        dict(name="kernel", type="categorical", categorical_values=["rbf", "linear"]),
    ],
    metrics=[dict(name="score", objective="maximize")],
    observation_budget=20,
)
print(f"experiment {experiment.id}")

for _ in range(experiment.observation_budget):
    suggestion = conn.experiments(experiment.id).suggestions().create()
    a = suggestion.assignments
    value = evaluate(a["x"], a["y"], a["kernel"])
    conn.experiments(experiment.id).observations().create(suggestion=suggestion.id, values=[dict(name="score", value=value)])
    print(f"{dict(a)} -> {value:.4f}")

best = conn.experiments(experiment.id).best_assignments().fetch()
for b in best.data:
    print(f"best: {dict(b.assignments)} -> {b.values[0].value:.4f}")
