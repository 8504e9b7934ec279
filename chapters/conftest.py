"""Pin the numeric kernels for the chapter notebooks that nbval runs (and refreshes).

Long training runs amplify last-bit differences, and numpy and OpenBLAS pick their SIMD
kernels by CPU at import time: the same code printed different sixth decimals on an AVX-512
machine and an AVX2 one. Kernels started by nbval inherit this process's environment, so
fixing the choice here makes the stored outputs reproducible on any x86-64 machine with AVX2
(every x86 server and laptop of the last decade). On other architectures these variables do
nothing.
"""

import os

os.environ["OPENBLAS_CORETYPE"] = "Haswell"  # OpenBLAS: the AVX2 kernels, whatever the CPU
os.environ["NPY_DISABLE_CPU_FEATURES"] = "X86_V4 AVX512_ICL AVX512_SPR"  # numpy: AVX2 loops
