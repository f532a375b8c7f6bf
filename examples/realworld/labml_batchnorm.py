"""bn.forward: BatchNorm from labml.ai's annotated paper implementations.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "bn.forward"
SOURCE = Source(
    repo="labmlai/annotated_deep_learning_paper_implementations",
    commit="e6b3c8a6a2cdae4071bcde1abeaaf9a2bc37bd53",
    license="MIT",
    path="labml_nn/normalization/batch_norm/__init__.py",
    lines=((102, 205),),
    sha256="2b8ab5746a7a915cef5d0585e1e5d08e20074bbdad7e4c7a987d2428c4e72fb4",
)
NAME = "BatchNorm"
PRELUDE = "import torch\nfrom torch import nn\n"
EXPECTED = "counterexample"
WHY = "variance as E[x²] − E[x]² (mean_x2 − mean ** 2): catastrophic cancellation when the values share a large offset; the result loses every digit and can go negative"
WEIGHTS = {"scale": "gamma", "shift": "beta"}

__getattr__ = entry_object(globals())
