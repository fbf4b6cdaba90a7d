"""The independent reference for whole-process timings: a minimal direct-highspy script.

    python benchmarks/reference_highs.py MODEL.npz

reads a model already in matrix form (CSC arrays, bounds, costs, integrality, as
``benchmarks/process_times.py`` writes them from capplan's build of the same scenario), solves
it with HiGHS with capplan's settings (1 thread, seed 0, relative gap 1e-4) and prints the
objective. Nothing else: no scenario reading, validation, plan, check or reports, so capplan's
``run`` against this script's whole process is the price of everything around the solve.
"""

import sys

import highspy
import numpy as np


def main(path: str) -> None:
    m = np.load(path)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", 1e-4)
    n_rows, n_cols = (int(v) for v in m["shape"])
    h.passModel(
        n_cols,
        n_rows,
        int(m["indptr"][-1]),
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize),
        float(m["offset"]),
        m["cost"],
        m["lower"],
        m["upper"],
        m["rlower"],
        m["rupper"],
        m["indptr"],
        m["indices"],
        m["data"],
        m["integrality"],
    )
    h.run()
    print(h.getInfo().objective_function_value)


if __name__ == "__main__":
    main(sys.argv[1])
