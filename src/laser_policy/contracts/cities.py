"""The packaged model's region, for the edges that check data without a model in hand.

The region (province, its divisions with their GB/T 2260 codes, short names, the map)
lives in the policy model (``region.yaml``, read by :mod:`laser_policy.policy.region`);
this module reads the packaged model's region once and names it for the data contracts:
``HUBEI`` (the province), ``HUBEI_DIVISIONS`` (its 17 divisions) and
:func:`normalise_city`, which take another region when one is given.
"""

from __future__ import annotations

from laser_policy.model import model_path
from laser_policy.policy.region import Region

#: the region of the packaged model (鄂政办发〔2024〕35号: 湖北省)
PACKAGED_REGION = Region.from_folder(model_path())

HUBEI = PACKAGED_REGION.province

HUBEI_DIVISIONS: tuple[str, ...] = PACKAGED_REGION.division_names


def normalise_city(value: str, region: Region = PACKAGED_REGION) -> str | None:
    """The full name of a division of ``region``, or None when it is not one.

    >>> normalise_city("武汉")
    '武汉市'
    >>> normalise_city("恩施州")
    '恩施土家族苗族自治州'
    >>> normalise_city("长沙市") is None
    True
    """
    return region.normalise_city(value)
