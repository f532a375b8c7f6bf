"""reg.l2.update: LogisticRegression._NLL_grad from numpy-ml, penalty='l2'.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import numpy as np
from _gallery import Source, entry_target, to_numpy, to_torch

CONTRACT = "reg.l2.update"
SOURCE = Source(
    repo="ddbourgin/numpy-ml",
    path="numpy_ml/linear_models/logistic.py",
    commit="b0359af5285fbf9699d64fd5ec059493228af03e",
    license="GPL-3.0",
    lines=((5, 168),),
    sha256="fac2b1d0d7d8b53d61e19ceec3a1b5817d1680e029cd095d8396d1c53959f588",
)
NAME = "LogisticRegression"
PRELUDE = "import numpy as np\n"
EXPECTED = "counterexample"
WHY = "penalty gradient with the wrong sign: _NLL_grad returns −((y − ŷ)X + γ·β)/N, the gradient of (−loglik − R)/N, while its own _NLL is (R − loglik)/N; the step adds lr·λ·θ instead of subtracting it"
REASON = "model method that builds the data gradient from (X, y, ŷ): the adapter passes N = 1, X = grad, y − ŷ = −1 (so the data term is exactly grad), sets beta = θ, and takes the step fit takes"
ADAPTS = ("numpy", "module construction", "update step")


def adapter(ns):
    def update(theta, grad, lr, lam):
        theta, grad = to_numpy(theta, grad)
        model = ns["LogisticRegression"](penalty="l2", gamma=lam)
        model.beta = theta.reshape(-1)
        X = grad.reshape(1, -1)  # one example: (y - y_pred) @ X = -grad
        step = model._NLL_grad(X, np.zeros(1), np.ones(1))
        return to_torch((model.beta - lr * step).reshape(theta.shape))

    return update


target = entry_target(globals())
