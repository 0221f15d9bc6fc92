"""The public API is exactly ``valuecrm.__all__``, and every name in it resolves."""

import valuecrm


def test_every_public_name_resolves():
    for name in valuecrm.__all__:
        assert getattr(valuecrm, name) is not None, name


def test_all_is_sorted_and_unique():
    assert valuecrm.__all__ == sorted(set(valuecrm.__all__))
