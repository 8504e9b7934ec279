"""Pin the numeric kernels for the whole test session: the chapter notebooks nbval runs (and
refreshes), the package tests, and the book builds those tests start.

Long training runs amplify last-bit differences, and numpy and OpenBLAS pick their SIMD
kernels by CPU at import time: the same code printed different sixth decimals on an AVX-512
machine and an AVX2 one, and an explorer state at exactly GD's stability threshold drew a
different picture. Kernels started by nbval and builds started by the tests inherit this
process's environment, and this process reads it when numpy is first imported, which is after
this file (the rootdir's conftest loads first). So the stored outputs, the build's explorer
states and the tests' own renders agree on any x86-64 machine with AVX2 (every x86 server and
laptop of the last decade). On other architectures these variables do nothing.
"""

import os
import sys

assert "numpy" not in sys.modules, "conftest.py: numpy was imported before the kernel pins"
os.environ["OPENBLAS_CORETYPE"] = "Haswell"  # OpenBLAS: the AVX2 kernels, whatever the CPU
os.environ["NPY_DISABLE_CPU_FEATURES"] = "X86_V4 AVX512_ICL AVX512_SPR"  # numpy: AVX2 loops
