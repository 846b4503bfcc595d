"""The MBG/NBD model (Batislam, Denizel & Filiztekin 2007, "Empirical validation and
comparison of models for customer base analysis", *International Journal of Research in
Marketing* 24(3)): BG/NBD in which a customer may drop out right after the first purchase.

Under BG/NBD the dropout coin is tossed after each *repeat* purchase, so a customer who
bought once and never again is alive with probability 1 however long ago that was. MBG/NBD
tosses it after every purchase, the first included: such a customer's P(alive) falls as
time passes without a purchase, as an analyst expects (on CDNOW, RFM "Lost" customers come
out well below "Champions", where BG/NBD puts them at 1).

The likelihood is BG/NBD's with ``B(a, b + x + 1)`` for ``B(a, b + x)`` and ``a / (b + x)``
for ``a / (b + x - 1)``, for every customer:

``L = B(a, b+x+1)/B(a, b) * G(r+x) a^r / G(r) * [(alpha+T)^-(r+x) + a/(b+x) (alpha+t_x)^-(r+x)]``

Examples
--------
>>> import pandas as pd
>>> model = ModifiedBetaGeoModel()
>>> model.params_ = pd.Series({"r": 0.525, "alpha": 6.18, "a": 0.891, "b": 1.614})
>>> [round(float(p), 3) for p in model.probability_alive([0, 0], [0.0, 0.0], [2.0, 38.0])]
[0.61, 0.392]
"""

from __future__ import annotations

from segkit.value.bgnbd import BetaGeoModel

__all__ = ["ModifiedBetaGeoModel"]


class ModifiedBetaGeoModel(BetaGeoModel):
    """MBG/NBD model of repeat purchasing: BG/NBD with drop-out possible after the first purchase.

    Purchasing while alive is Poisson with rate ``lambda ~ Gamma(r, alpha)``; after each
    purchase, the first one included, a customer drops out with probability
    ``p ~ Beta(a, b)``. Attributes as :class:`~segkit.value.BetaGeoModel`.

    Examples
    --------
    >>> from segkit.value import ModifiedBetaGeoModel
    >>> model = ModifiedBetaGeoModel().fit([0, 2, 5, 1, 0, 3], [0.0, 20.0, 30.0, 5.0, 0.0, 35.0],
    ...                                    [40.0, 38.0, 36.0, 39.0, 35.0, 37.0])
    >>> p = model.probability_alive([0, 0], [0.0, 0.0], [5.0, 40.0])
    >>> bool(p[1] < p[0] < 1)  # the longer a one-off buyer stays away, the less likely alive
    True
    """

    name = "MBG/NBD"
    one_off_can_leave = True
    modified = True
