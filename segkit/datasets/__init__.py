"""Seeded demo data with planted segments.

:func:`make_demo` generates a synthetic customer base the way a retailer's CRM and shop
systems would export it: a customer table (demographic, geographic, psychographic,
technographic and campaign-history columns, with a few missing and impossible values) and a
purchase log (multi-line invoices, returns, guest orders without a customer id, a few
exact duplicate lines). Every customer belongs to one of five planted segments whose
ground truth is returned with the data, so tests and workshops can check that the kit
finds them. Everything is drawn with numpy from one seed; nothing is downloaded.

The package: :mod:`~segkit.datasets.planted` (the planted segments and the catalogue they
buy from, as data), :mod:`~segkit.datasets.draw` (drawing customers and purchases from
them) and :mod:`~segkit.datasets.demo` (:func:`make_demo`, :class:`DemoData`).

Examples
--------
>>> from segkit.datasets import make_demo
>>> demo = make_demo(600, random_state=1)
>>> demo.customers.shape[0], demo.truth.nunique()
(600, 5)
>>> demo.segment_profiles.loc[0, "name"]
'Loyal high spenders'
"""

from segkit.datasets.demo import DemoData, make_demo
from segkit.datasets.planted import CATEGORIES, CHANNELS, DEVICES, INTERESTS, SEGMENTS

__all__ = ["DemoData", "SEGMENTS", "make_demo", "CATEGORIES", "CHANNELS", "DEVICES", "INTERESTS"]
