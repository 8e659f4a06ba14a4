"""The synthetic city: a reproducible population and years of history (seed/calibration.json)."""

from caremap.synthetic.city import CityError, CityReport, PlantedDuplicate, generate_city

__all__ = ["CityError", "CityReport", "PlantedDuplicate", "generate_city"]
