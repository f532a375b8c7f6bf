"""JAX implementations judged by ``dlproofs conform`` (needs the extra: pip install 'dlproofs[jax]').

Outside examples/conform/ because that gallery imports every file and jax is optional;
tests/test_conform_jax.py judges these (and skips when jax is not installed). Each function is
plain ``jax.numpy``: conform calls it with jax arrays (float64, under ``jax.enable_x64``) and
compares the returned ``jax.Array``. ``ok_*`` conform, ``bug_*`` are counterexamples, ``iface_*``
cannot be called as the contract calls them (exit 2). Try:

    dlproofs conform bn.forward examples/jax/jax_gallery.py:ok_bn_forward
    dlproofs conform bn.forward examples/jax/jax_gallery.py:bug_bn_unbiased_variance
    dlproofs conform bn.forward examples/jax/jax_gallery.py:ok_bn_forward_jit
    dlproofs conform bn.forward examples/jax/jax_gallery.py:iface_bn_float32             # exit 2: dtype
    dlproofs conform bn.forward examples/jax/jax_gallery.py:iface_bn_float32 --dtype float32
    dlproofs conform bn.backward examples/jax/jax_gallery.py:ok_bn_backward_vjp         # a tuple of jax arrays
"""

import jax
import jax.numpy as jnp

# ── bn.forward: fn(x[N, C], gamma[C], beta[C], eps) -> y[N, C] ──────────────────────────────


def ok_bn_forward(x, gamma, beta, eps):
    mu = jnp.mean(x, axis=0)
    var = jnp.mean((x - mu) ** 2, axis=0)  # biased: / N
    return gamma * (x - mu) / jnp.sqrt(var + eps) + beta


ok_bn_forward_jit = jax.jit(ok_bn_forward)  # compiled: eps is traced like the arrays


def bug_bn_unbiased_variance(x, gamma, beta, eps):
    """jnp.var(ddof=1): divides by N - 1 (the makemore BatchNorm1d mistake)."""
    mu = jnp.mean(x, axis=0)
    return gamma * (x - mu) / jnp.sqrt(jnp.var(x, axis=0, ddof=1) + eps) + beta


def iface_bn_float32(x, gamma, beta, eps):
    """Computes in float32 whatever it is given: exit 2 in the default float64 mode; under
    --dtype float32 its inputs are already float32 and it is judged at float32's epsilon."""
    return ok_bn_forward(x.astype(jnp.float32), gamma.astype(jnp.float32), beta.astype(jnp.float32), eps)


# ── softmax.forward: fn(z[N, K]) -> p[N, K] ──────────────────────────────────────────────────


def ok_softmax(z):
    return jax.nn.softmax(z, axis=-1)


def ok_softmax_max_shift(z):
    e = jnp.exp(z - jnp.max(z, axis=-1, keepdims=True))
    return e / jnp.sum(e, axis=-1, keepdims=True)


def bug_softmax_wrong_axis(z):
    return jax.nn.softmax(z, axis=0)


# ── relu.backward: fn(z[...], grad_out[...]) -> grad_in[...] ────────────────────────────────


def ok_relu_backward(z, grad_out):
    return jnp.where(z > 0, grad_out, 0.0)


def ok_relu_backward_vjp(z, grad_out):
    """jax's own derivative: jax.nn.relu's gradient at 0 is 0, the contract's convention."""
    _, vjp = jax.vjp(jax.nn.relu, z)
    return vjp(grad_out)[0]


def bug_relu_backward_ge(z, grad_out):
    """relu'(0) = 1: the mask z >= 0."""
    return jnp.where(z >= 0, grad_out, 0.0)


# ── xent.grad: fn(z[N, K], y[N] int64) -> dz[N, K] (y arrives as an integer jax array) ────────


def ok_xent_grad(z, y):
    return (jax.nn.softmax(z, axis=-1) - jax.nn.one_hot(y, z.shape[1], dtype=z.dtype)) / z.shape[0]


def ok_xent_grad_autodiff(z, y):
    def loss(zz):
        logp = jax.nn.log_softmax(zz, axis=-1)
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))

    return jax.grad(loss)(z)


def bug_xent_grad_sum(z, y):
    """Sum reduction where the contract (F.cross_entropy's default) takes the mean."""
    return jax.nn.softmax(z, axis=-1) - jax.nn.one_hot(y, z.shape[1], dtype=z.dtype)


# ── bn.backward: fn(grad_out[N, C], x[N, C], gamma[C], eps) -> (dx, dgamma, dbeta): a tuple of jax arrays ──


def ok_bn_backward_vjp(grad_out, x, gamma, eps):
    """jax's reverse mode through the forward pass; beta enters only through its gradient."""
    beta = jnp.zeros_like(gamma)
    _, vjp = jax.vjp(lambda x, g, b: ok_bn_forward(x, g, b, eps), x, gamma, beta)
    return vjp(grad_out)


def bug_bn_backward_no_mean_terms(grad_out, x, gamma, eps):
    """dx = γ·grad_out/σ: drops the two terms that come from μ and σ depending on x."""
    mu = jnp.mean(x, axis=0)
    inv = 1.0 / jnp.sqrt(jnp.mean((x - mu) ** 2, axis=0) + eps)
    xhat = (x - mu) * inv
    return gamma * grad_out * inv, jnp.sum(grad_out * xhat, axis=0), jnp.sum(grad_out, axis=0)
