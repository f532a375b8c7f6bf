"""dlproofs: executable proofs of deep-learning math.

Claim records live in ``derivations/``; the engine here checks their SymPy derivations step by
step, cross-validates them against PyTorch on Hypothesis inputs and renders proofs/.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
