"""Published BG/NBD and Gamma-Gamma estimates on CDNOW (Fader, Hardie & Lee 2005), weekly units."""

from __future__ import annotations

import pandas as pd

PUBLISHED_PARAMS = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
PUBLISHED_GG = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
