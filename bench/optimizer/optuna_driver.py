"""Optuna TPE as an ask/tell server for Sextant's optimizer benchmark.

The TypeScript harness drives the run: it sends one JSON object per line on stdin and reads one
JSON object per line from stdout. Objectives live only in TypeScript; this process never evaluates
anything, it only samples (ask) and learns (tell).

Protocol
  -> {"params": [...], "directions": ["minimize", ...], "constrained": bool,
      "seed": int, "constant_liar": bool}
  <- {"ready": true, "optuna": "<version>", "sampler": "<repr>"}
  -> {"cmd": "ask"}                       <- {"id": int, "params": {name: value}}
  -> {"cmd": "tell", "id": int, "values": [float, ...], "constraints": [float, ...]}
                                          <- {"ok": true}
  -> {"cmd": "close"}                     (process exits)

A parameter is {"name", "type": "float"|"int"|"categorical", "low", "high", "log", "choices"}.
Constraint values follow Optuna's convention: feasible when <= 0.
"""

import json
import sys
import warnings

import optuna


def distribution(p):
    if p["type"] == "categorical":
        return optuna.distributions.CategoricalDistribution(p["choices"])
    if p["type"] == "int":
        return optuna.distributions.IntDistribution(int(p["low"]), int(p["high"]))
    return optuna.distributions.FloatDistribution(p["low"], p["high"], log=bool(p.get("log")))


def constraints_of(trial):
    return trial.user_attrs["constraints"]


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # constant_liar and constraints_func are flagged experimental in Optuna 3.x.
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    init = json.loads(sys.stdin.readline())
    space = {p["name"]: distribution(p) for p in init["params"]}
    # Default TPE settings; only the seed, the documented constant-liar switch for parallel
    # workers and the documented constraints hook are set.
    sampler = optuna.samplers.TPESampler(
        seed=init["seed"],
        constant_liar=bool(init["constant_liar"]),
        constraints_func=constraints_of if init["constrained"] else None,
    )
    study = optuna.create_study(directions=init["directions"], sampler=sampler)
    open_trials = {}
    reply({"ready": True, "optuna": optuna.__version__, "sampler": type(sampler).__name__})
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "ask":
            trial = study.ask(space)
            open_trials[trial.number] = trial
            reply({"id": trial.number, "params": trial.params})
        elif cmd == "tell":
            trial = open_trials.pop(msg["id"])
            if init["constrained"]:
                trial.set_user_attr("constraints", msg["constraints"])
            values = msg["values"]
            study.tell(trial, values[0] if len(values) == 1 else values)
            reply({"ok": True})
        elif cmd == "close":
            break
        else:
            reply({"error": "unknown command " + str(cmd)})


if __name__ == "__main__":
    main()
