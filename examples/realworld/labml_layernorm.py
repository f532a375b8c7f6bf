"""ln.forward: LayerNorm from labml.ai's annotated paper implementations.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "ln.forward"
SOURCE = Source(
    repo="labmlai/annotated_deep_learning_paper_implementations",
    commit="e6b3c8a6a2cdae4071bcde1abeaaf9a2bc37bd53",
    license="MIT",
    path="labml_nn/normalization/layer_norm/__init__.py",
    lines=((42, 130),),
    sha256="08cb2c84de466f18fe8662189d0f984014a8b309843d52e3e352aeb7ee0a8a10",
)
NAME = "LayerNorm"
PRELUDE = "from typing import Union, List\n\nimport torch\nfrom torch import nn, Size\n"
EXPECTED = "counterexample"
WHY = "variance as E[x²] − E[x]² (mean_x2 − mean ** 2): catastrophic cancellation when the values share a large offset; the result loses every digit and can go negative"
WEIGHTS = {"gain": "gamma", "bias": "beta"}

__getattr__ = entry_object(globals())
