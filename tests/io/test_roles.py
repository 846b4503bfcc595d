"""segkit.io.roles: ColumnRoles as a value that round-trips through JSON."""

from __future__ import annotations

import json

from segkit.io import ColumnRoles


def test_column_roles_to_dict_round_trips():
    roles = ColumnRoles(customer_id="ID", campaigns=["Response"], detected=["customer_id"], kind="customers")
    assert ColumnRoles(**roles.to_dict()) == roles
    assert json.loads(json.dumps(roles.to_dict()))["campaigns"] == ["Response"]
