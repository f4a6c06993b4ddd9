"""Python side of bench/recommender/anchor.ts: the `implicit` library's ALS on the same matrix.

    python3 bench/recommender/implicit_anchor.py <folder written by anchor.ts>

Reads from the folder:
  meta.json   hyperparameters, shape, runs, k
  train.tsv   user index, item index, r_ui (decayed event weight; float32 values) per line
  test.json   {"users": [u, ...], "items": [[i, ...], ...]} relevant items per test user
  ours_user_factors.f32 / ours_item_factors.f32 (optional) our trained factors, row-major float32

Confidence convention. implicit 0.7 does NOT compute C = 1 + alpha * r: `fit` multiplies the
matrix by `alpha` and the CG solver uses the stored value itself as the confidence c_ui (b gets
c_ui * y_i, A gets (c_ui - 1) * y_i y_i^T; see implicit/cpu/als.py, least_squares_cg). Our
trainer uses c_ui = 1 + alpha * r_ui. So this script hands implicit the matrix 1 + alpha * r with
implicit's alpha = 1.0: both sides then minimise exactly the same objective.

Prints one JSON object on the last line of stdout.
"""

import json
import os
import statistics
import sys
import time

# One BLAS thread: implicit parallelises over rows itself (num_threads) and warns otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.sparse as sp  # noqa: E402

import implicit  # noqa: E402
from implicit.cpu.als import AlternatingLeastSquares  # noqa: E402


def precision_recall(recommended, relevant_lists, k):
    p = r = 0.0
    for recs, relevant in zip(recommended, relevant_lists):
        rel = set(relevant)
        hits = sum(1 for i in list(recs)[:k] if int(i) in rel)
        p += hits / k
        r += hits / len(rel) if rel else 0.0
    n = max(1, len(relevant_lists))
    return p / n, r / n


def top_k_filtered(user_factors, item_factors, users, seen, k):
    """Brute-force top k by dot product with the already-seen items removed (ties: lower index)."""
    scores = user_factors[users] @ item_factors.T
    out = []
    for row, u in enumerate(users):
        s = scores[row].astype(np.float64)
        s[seen.indices[seen.indptr[u] : seen.indptr[u + 1]]] = -np.inf
        order = np.lexsort((np.arange(len(s)), -s))[:k]
        out.append(order)
    return out


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    with open(os.path.join(folder, "test.json")) as f:
        test = json.load(f)
    triples = np.loadtxt(os.path.join(folder, "train.tsv"), delimiter="\t", dtype=np.float64, ndmin=2)
    rows = triples[:, 0].astype(np.int32)
    cols = triples[:, 1].astype(np.int32)
    r = triples[:, 2].astype(np.float32)
    alpha = np.float32(meta["alpha"])
    confidence = (np.float32(1) + alpha * r).astype(np.float32)
    shape = (meta["nUsers"], meta["nItems"])
    c_ui = sp.csr_matrix((confidence, (rows, cols)), shape=shape, dtype=np.float32)
    c_ui.sum_duplicates()
    c_ui.sort_indices()

    def make_model(threads=meta["threads"]):
        model = AlternatingLeastSquares(
            factors=meta["factors"],
            regularization=meta["regularization"],
            alpha=1.0,  # confidence already 1 + alpha * r (see module docstring)
            dtype=np.float32,
            use_native=True,
            use_cg=True,
            iterations=meta["iterations"],
            calculate_training_loss=False,
            num_threads=threads,
            random_state=meta["seed"],
        )
        model.cg_steps = meta["cgSteps"]
        return model

    times = []
    model = None
    for _ in range(meta["runs"]):
        model = make_model()
        t0 = time.perf_counter()
        model.fit(c_ui, show_progress=False)
        times.append(time.perf_counter() - t0)

    # One fit on a single thread, for a per-core comparison (our one-thread trainer).
    single = make_model(1)
    t0 = time.perf_counter()
    single.fit(c_ui, show_progress=False)
    one_thread_seconds = time.perf_counter() - t0

    k = meta["k"]
    users = np.asarray(test["users"], dtype=np.int32)
    relevant = test["items"]
    t0 = time.perf_counter()
    ids, _scores = model.recommend(users, c_ui[users], N=k, filter_already_liked_items=True)
    recommend_seconds = time.perf_counter() - t0
    precision, recall = precision_recall(ids, relevant, k)

    result = {
        "implicit_version": implicit.__version__,
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "train_seconds": statistics.median(times),
        "train_seconds_runs": times,
        "train_seconds_one_thread": one_thread_seconds,
        "recommend_seconds": recommend_seconds,
        "precision_at_10": precision,
        "recall_at_10": recall,
        "users": int(len(users)),
        "nnz": int(c_ui.nnz),
        "confidence_convention": "implicit alpha=1.0 on a matrix of 1 + alpha*r",
    }

    # Cross-check of the metric code: our factors, scored and filtered here.
    uf = os.path.join(folder, "ours_user_factors.f32")
    itf = os.path.join(folder, "ours_item_factors.f32")
    if os.path.exists(uf) and os.path.exists(itf):
        ours_u = np.fromfile(uf, dtype=np.float32).reshape(shape[0], meta["factors"])
        ours_i = np.fromfile(itf, dtype=np.float32).reshape(shape[1], meta["factors"])
        recs = top_k_filtered(ours_u, ours_i, users, c_ui, k)
        result["ours_precision_at_10_recomputed"] = precision_recall(recs, relevant, k)[0]

    print(json.dumps(result))


if __name__ == "__main__":
    main()
