"""``bfgs_polish`` (the Newton-like finish of the fits) gives up, never raises, when its
updated Hessian becomes singular: the caller then falls back to a general method."""

from __future__ import annotations

import numpy as np

from valuecrm.models._newton import bfgs_polish


def test_a_nearly_flat_gradient_makes_it_give_up_not_raise():
    # the gradient moves by 1e-17 per unit step: the BFGS update of the identity along the
    # step gives the eigenvalue 1 + (1e-17 - 1), which is 0 in floating point
    def linear(theta: np.ndarray) -> tuple[float, np.ndarray]:
        return float(np.sum(theta)), np.ones(2) + 1e-17 * theta

    assert bfgs_polish(linear, np.zeros(2), np.eye(2), gtol=0.0, xtol=0.0) is None


def test_a_quadratic_is_minimised():
    hessian = np.array([[2.0, 0.5], [0.5, 1.0]])
    centre = np.array([1.0, -2.0])

    def quadratic(theta: np.ndarray) -> tuple[float, np.ndarray]:
        d = theta - centre
        return float(d @ hessian @ d / 2), hessian @ d

    found = bfgs_polish(quadratic, np.zeros(2), hessian, gtol=1e-12)
    assert found is not None and np.allclose(found, centre)
