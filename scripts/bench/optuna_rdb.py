"""Optuna's RDB storage on the same PostgreSQL server, for scripts/bench/store_throughput.sh: WORKERS processes
run no-op trials of one study (each trial is a claim, ask, and a completion, tell) until TRIALS are done; prints
claims+completions per second, as `lyra _store-bench` does. Comparison only: Lyra itself has no Python."""
import multiprocessing as mp
import sys
import time

import optuna


def work(url, name, n):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # RandomSampler: a no-op sampler, as Lyra's bench hands out trials without a model; Optuna's default TPE would
    # read every finished trial on each ask, measuring the sampler rather than the storage.
    study = optuna.load_study(study_name=name, storage=url, sampler=optuna.samplers.RandomSampler(seed=0))
    study.optimize(lambda t: t.suggest_float("x", 0, 1) * 0, n_trials=n)


def main():
    url, trials, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    name = "bench-%d" % time.time_ns()
    optuna.create_study(study_name=name, storage=url)
    per = [trials // workers + (1 if i < trials % workers else 0) for i in range(workers)]
    procs = [mp.Process(target=work, args=(url, name, n)) for n in per]
    start = time.time()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    seconds = time.time() - start
    print("%d trials, %d workers: %.2f s, %.0f claims+completions/s" % (trials, workers, seconds, 2 * trials / seconds))


if __name__ == "__main__":
    main()
