"""The session computes with the pinned kernels (the root conftest.py), as the build does."""

import os


def test_this_process_uses_the_pinned_kernels():
    import numpy as np

    assert os.environ["OPENBLAS_CORETYPE"] == "Haswell"
    # numpy reports the features it found but was told not to use as disabled (not in the
    # runtime dispatch list), so AVX-512 loops are off even on a machine that has them.
    enabled = getattr(np._core._multiarray_umath, "__cpu_features__", {})
    assert not enabled.get("AVX512_SKX", False) and not enabled.get("AVX512_ICL", False)
