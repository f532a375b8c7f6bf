"""Independent implementations of the ``adam.update`` contract, right and wrong.

    fn(theta0[P], grads[T, P], lr, beta1, beta2, eps, weight_decay) -> theta_T[P]

T steps of torch.optim.Adam's rule from zero state (weight_decay is L2: λθ added to the gradient).
An optimizer class (a torch.optim.Optimizer subclass or a hand-written class with step()) is run by
the contract's optimizer convention: cls([p], lr=, betas=, eps=, weight_decay=), p.grad = g, step().
``ok_*`` must conform; ``bug_*`` must be rejected.
"""

import math

import torch

CLAIM = "adam.update"


def _adam(theta0, grads, lr, beta1, beta2, eps, weight_decay, **bug):
    """A hand-written Adam with switches for the planted bugs."""
    theta = theta0.clone()
    m = torch.zeros_like(theta)
    v = torch.zeros_like(theta)
    for step, g in enumerate(grads, start=1):
        if bug.get("decoupled"):
            theta = theta * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * (g.abs() if bug.get("v_from_g") else g * g)
        t = step - 1 if bug.get("t_from_0") else step
        if bug.get("no_correction"):
            m_hat, v_hat = m, v
        else:
            m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        den = (v_hat + eps).sqrt() if bug.get("eps_inside") else v_hat.sqrt() + eps
        theta = theta - lr * m_hat / den
    return theta


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    return _adam(theta0, grads, lr, beta1, beta2, eps, weight_decay)


def ok_torch_functional(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    """torch.optim.Adam driven by hand (foreach, the default on CPU for one tensor list)."""
    p = torch.nn.Parameter(theta0.clone())
    opt = torch.optim.Adam([p], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay)
    for g in grads:
        p.grad = g.clone()
        opt.step()
    return p.detach()


ok_torch_class = torch.optim.Adam  # the class itself, stepped by the contract's optimizer convention


class ok_HandWrittenAdam:
    """The cs231n/numpy-ml shape: a class with step(), the bias-corrected step size folded into lr_t."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, (self.b1, self.b2), self.eps, self.wd = lr, betas, eps, weight_decay
        self.t = 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self):
        self.t += 1
        for p, m, v in zip(self.params, self.m, self.v):
            g = p.grad + self.wd * p
            m.mul_(self.b1).add_(g, alpha=1 - self.b1)
            v.mul_(self.b2).addcmul_(g, g, value=1 - self.b2)
            step_size = self.lr / (1 - self.b1**self.t)
            denom = v.sqrt() / math.sqrt(1 - self.b2**self.t) + self.eps
            p.addcdiv_(m, denom, value=-step_size)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_no_bias_correction(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    return _adam(theta0, grads, lr, beta1, beta2, eps, weight_decay, no_correction=True)


def bug_t_from_zero(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    """1 − β^t with t counted from 0: division by zero at the first step."""
    return _adam(theta0, grads, lr, beta1, beta2, eps, weight_decay, t_from_0=True)


def bug_eps_inside_sqrt(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    return _adam(theta0, grads, lr, beta1, beta2, eps, weight_decay, eps_inside=True)


def bug_v_from_g(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    """v accumulates |g|, not g²."""
    return _adam(theta0, grads, lr, beta1, beta2, eps, weight_decay, v_from_g=True)


def bug_betas_swapped(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    return _adam(theta0, grads, lr, beta2, beta1, eps, weight_decay)


def bug_decoupled_decay(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    """AdamW's decay where the contract (torch.optim.Adam) adds λθ to the gradient."""
    return _adam(theta0, grads, lr, beta1, beta2, eps, weight_decay, decoupled=True)


class bug_StateResetEachStep(ok_HandWrittenAdam):
    """Re-creates m and v at every step (state not carried): right at T = 1 only."""

    def step(self):
        self.t = 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        super().step()


# ── cannot be called as the contract calls it ──────────────────────────────────────────────
def iface_returns_state(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    """Returns (θ_T, m, v): a tuple where the contract returns θ_T."""
    theta = _adam(theta0, grads, lr, beta1, beta2, eps, weight_decay)
    return theta, torch.zeros_like(theta), torch.zeros_like(theta)


class iface_NoBetasArgument:
    """An optimizer class whose constructor takes beta1=, beta2= instead of betas=."""

    def __init__(self, params, lr, beta1, beta2, eps, weight_decay):
        self.params = list(params)

    def step(self):
        pass
