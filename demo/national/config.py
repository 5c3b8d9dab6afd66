"""What the national demo simulates."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class NationalConfig:
    residents: int = 6_000_000  # about this many in each 1 January stock
    municipalities: int = 100
    areas_per_municipality: int = 10
    first_year: int = 2016
    last_year: int = 2025
    area_share: float = 0.25  # residents living in one of the housing areas
    seed: str = "boligmonitor-national-1"

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def persons(self) -> int:
        # Birth dates spread over 1925-2025 and 0.25 % leave each year: the universe is
        # larger than a stock so that each stock holds about ``residents``.
        return int(self.residents * 1.075)

    @property
    def areas(self) -> int:
        return self.municipalities * self.areas_per_municipality

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def tiny(cls) -> NationalConfig:
        """For tests: a few thousand residents, three years."""
        return cls(residents=20_000, municipalities=5, areas_per_municipality=4, first_year=2022, last_year=2024)
