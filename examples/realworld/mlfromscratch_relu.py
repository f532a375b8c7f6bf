"""relu.derivative: ReLU activation (gradient) from ML-From-Scratch.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "relu.derivative"
SOURCE = Source(
    repo="eriklindernoren/ML-From-Scratch",
    commit="a2806c6732eee8d27762edd6d864e0c179d8e9e8",
    license="MIT",
    path="mlfromscratch/deep_learning/activation_functions.py",
    lines=((29, 34),),
    sha256="2f9182e6b8869978bc76bd9f0f92107be052e46f1b5349c7a8c63b6dce415bb2",
)
NAME = "ReLU"
PRELUDE = "import numpy as np\n"
EXPECTED = "counterexample"
WHY = "gradient(x) = np.where(x >= 0, 1, 0): relu'(0) = 1, a convention (not a bug) that differs from the contract's relu'(0) = 0 (its integer 0/1 array is exact: compared as float64)"
# an activation object: gradient(x) is the local derivative relu'(z) (the Activation layer multiplies it by
# the upstream gradient): judged against relu.derivative as shipped.
BUILD = "cls()"
CALL = "f.gradient(z)"

__getattr__ = entry_object(globals())
