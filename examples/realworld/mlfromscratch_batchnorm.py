"""bn.forward: BatchNormalization layer from ML-From-Scratch.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "bn.forward"
SOURCE = Source(
    repo="eriklindernoren/ML-From-Scratch",
    commit="a2806c6732eee8d27762edd6d864e0c179d8e9e8",
    license="MIT",
    path="mlfromscratch/deep_learning/layers.py",
    lines=((10, 38), (290, 362)),
    sha256="534304bafec626c0319aa624f5829d57fa8872b961217845c55011b9f5b5aeb6",
)
NAME = "BatchNormalization"
PRELUDE = "import math\nimport copy\n\nimport numpy as np\n"
EXPECTED = "conforms"
WHY = "np.var is biased and ε is inside the root; ε is the attribute self.eps (0.01 from __init__, read by forward_pass), which conform's bn.forward convention sets to the contract's eps as it sets nn.BatchNorm1d's eps attribute (the report says so); with ε = 0.01 as shipped it is torch's batch norm at 0.01"
# a plain numpy class: gamma and beta are set in initialize() (after construction): --weights names them,
# attributes its code assigns; called with arrays (a numpy object) in training mode.
BUILD = "cls()"
WEIGHTS = {"gamma": "gamma", "beta": "beta"}
CALL = "f.forward_pass(x, training=True)"

__getattr__ = entry_object(globals())
