"""Optuna peer for the service benchmark: N worker processes, one study each, ask/tell loops.

Each worker creates its own study in an RDBStorage on PostgreSQL (Debian's python3-optuna with
SQLAlchemy + psycopg2), or, with a redis:// storage URL, in the journal storage on Redis
(JournalStorage(JournalRedisStorage), the fastest shared storage Optuna 3.1 has), then loops ask -> evaluate a cheap synthetic objective -> tell until the
duration ends or the trial cap is reached, timing each ask+tell (the analogue of a Sextant cycle:
suggestion create + observation create). Prints one JSON object with the totals and percentiles.

Usage: /usr/bin/python3 bench/service/optuna_peer.py --storage postgresql+psycopg2://postgres@127.0.0.1:5432/db
                                                    [--workers 8] [--duration 30] [--max-trials 100000]
       /usr/bin/python3 bench/service/optuna_peer.py --storage redis://127.0.0.1:6379 --redis-prefix peer-123: …
"""

import argparse
import json
import math
import multiprocessing as mp
import os
import time
import warnings


def open_storage(storage_url, redis_prefix):
    import optuna

    if storage_url.startswith("redis://"):
        return optuna.storages.JournalStorage(optuna.storages.JournalRedisStorage(storage_url, prefix=redis_prefix))
    # One engine per process (SQLAlchemy pools are not fork-safe); a small pool suffices for one loop.
    return optuna.storages.RDBStorage(storage_url, engine_kwargs={"pool_size": 2, "max_overflow": 0})


def worker(index, storage_url, redis_prefix, duration, max_trials, seed, queue):
    try:
        queue.put(run_worker(index, storage_url, redis_prefix, duration, max_trials, seed))
    except Exception as exc:  # noqa: BLE001 - report, do not leave the parent waiting
        queue.put({"trials": 0, "errors": 1, "latencies": [], "failure": repr(exc)})


def run_worker(index, storage_url, redis_prefix, duration, max_trials, seed):
    import optuna

    warnings.filterwarnings("ignore")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = open_storage(storage_url, redis_prefix)
    study = optuna.create_study(
        study_name=f"peer-{os.getpid()}-{index}",
        storage=storage,
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=seed + index),
    )
    latencies = []
    errors = 0
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline and len(latencies) < max_trials:
        t0 = time.perf_counter()
        try:
            trial = study.ask()
            x = trial.suggest_float("x", -5.0, 10.0)
            y = trial.suggest_float("y", 0.0, 15.0)
            k = trial.suggest_int("k", 1, 32)
            value = (y - 5.1 / (4 * math.pi**2) * x**2 + 5 / math.pi * x - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x) + 10 + 0.01 * k
            study.tell(trial, value)
        except Exception:  # noqa: BLE001 - a load benchmark counts errors, it does not stop on them
            errors += 1
            continue
        latencies.append((time.perf_counter() - t0) * 1000.0)
    return {"trials": len(latencies), "errors": errors, "latencies": latencies}


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--storage", required=True)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--max-trials", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--redis-prefix", default="optuna-peer:")
    args = parser.parse_args()

    import optuna

    if not args.storage.startswith("redis://"):
        # Create the schema once: eight processes creating it at the same time race on CREATE TABLE.
        optuna.storages.RDBStorage(args.storage)
    queue = mp.get_context("spawn").Queue()
    ctx = mp.get_context("spawn")
    started = time.monotonic()
    procs = [ctx.Process(target=worker, args=(i, args.storage, args.redis_prefix, args.duration, args.max_trials, args.seed, queue)) for i in range(args.workers)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=args.duration + 300) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    wall = time.monotonic() - started
    lat = sorted(v for r in results for v in r["latencies"])
    trials = sum(r["trials"] for r in results)
    print(json.dumps({
        "optuna": optuna.__version__,
        "storage": "journal-redis" if args.storage.startswith("redis://") else "rdb",
        "workers": args.workers,
        "duration": args.duration,
        "wall_seconds": round(wall, 3),
        "trials": trials,
        "trials_per_second": round(trials / args.duration, 3),
        "errors": sum(r["errors"] for r in results),
        "failures": [r["failure"] for r in results if "failure" in r],
        "latency_ms": {
            "p50": round(percentile(lat, 0.5), 3),
            "p95": round(percentile(lat, 0.95), 3),
            "p99": round(percentile(lat, 0.99), 3),
            "max": round(lat[-1], 3) if lat else 0.0,
            "mean": round(sum(lat) / len(lat), 3) if lat else 0.0,
        },
    }))


if __name__ == "__main__":
    main()
