"""Deterministic synthetic seizures and criminal cases (docs/ARCHITECTURE.md, data flow).

No public table of case outcomes exists at this grain, so the demo invents both tables, and says
so in every row's `source`. The numbers are made up; the shape is meant to be plausible:

- cocaine leaves the Andean producers (Colombia most, then Peru and Bolivia) along four corridors:
  Pacific / Central America to North America, the Caribbean to North America or Europe, the
  Atlantic through West Africa to Europe, and containers straight to European ports; a fifth,
  regional corridor feeds the Southern Cone markets (paste/base, "paco", crack) and a thin sixth
  one reaches other markets (Australia, South Africa, Turkey);
- a seizure happens anywhere along its route (origin, a transit country or the destination), and
  its conveyance, size, drug form, agency and arrests follow from where it happened;
- seizures grow over time (coca cultivation and cocaine production rose strongly after 2014), have
  a mild seasonality and a weekly rhythm, and dip in the second quarter of 2020 (COVID-19);
- the kg seized in Latin America, the Caribbean and West Africa follow those regions' shares of
  the official UNODC totals (see `_SIZE`), so that the events cover a similar fraction of the
  official figure in each (issue 15);
- cases follow seizures into the justice system with country-specific prosecution and conviction
  rates and delays; every case ends (closed before charge, or a court outcome within at most ten
  years), and only the young ones are still pending at `end` (right-censoring).

Everything is drawn from one `numpy.random.default_rng(seed)`, vectorised over rows (one million
seizures take a few seconds), so the same seed and sizes always give identical frames.
"""

from __future__ import annotations

import datetime as dt
import gc
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from crimjust_data import countries
from crimjust_data.errors import CrimjustError
from crimjust_data.schemas import COLUMNS, CONVEYANCES, COOPERATION, DRUGS, OUTCOMES, STAGES
from crimjust_data.vocabulary import (
    AGREEMENT_NOTES,
    AGREEMENT_SOURCE,
    AGREEMENT_TITLE,
    DEMO_ACTIVITY_TITLES,
    DEMO_SOURCE,
)

DEFAULT_START = dt.date(2015, 1, 1)

REGIONS = ("latin_america", "caribbean", "west_africa", "europe", "north_america", "other")
AGENCIES = (
    "Customs",
    "National Police",
    "Navy/Coast Guard",
    "Anti-Narcotics Unit",
    "Joint Port Control Unit",
    "Border Police",
)

# Column positions in CONVEYANCES / DRUGS / OUTCOMES / STAGES / COOPERATION, for readability.
_CONTAINER, _VESSEL, _AIR, _LAND, _POSTAL, _UNKNOWN = range(6)
assert CONVEYANCES == ("container", "vessel", "air", "land", "postal", "unknown")
_HCL, _BASE, _CRACK, _UNSPECIFIED = range(4)
assert DRUGS == ("cocaine_hcl", "cocaine_base", "crack", "cocaine_unspecified")
_PENDING, _CONVICTED, _ACQUITTED, _DISMISSED = range(4)
assert OUTCOMES == ("pending", "convicted", "acquitted", "dismissed")
_INVESTIGATION, _PROSECUTION, _TRIAL, _CLOSED = range(4)
assert STAGES == ("investigation", "prosecution", "trial", "closed")
assert COOPERATION == ("none", "mla_request", "joint_investigation", "extradition")


class DemoParameterError(CrimjustError, ValueError):
    """The demo generator was asked for something it cannot make (negative size, bad dates)."""


@dataclass(frozen=True)
class DemoData:
    """Synthetic canonical tables (without version_id) and the source label they carry."""

    seizures: pd.DataFrame  # exactly schemas.COLUMNS["seizures"], in order
    cases: pd.DataFrame  # exactly schemas.COLUMNS["cases"], in order
    source: str
    # exactly schemas.COLUMNS["activities"]: invented ones, and one real, dated entry
    activities: pd.DataFrame


# --------------------------------------------------------------------------------------------
# Routes
# --------------------------------------------------------------------------------------------

_Weights = tuple[tuple[str, float], ...]
# Multipliers on the country's conveyance mix, by position on the route:
# (origin, departure, first transit, second transit, destination) x CONVEYANCES.
_Bias = tuple[tuple[float, ...], ...]
_NO_BIAS = (1.0,) * 6


@dataclass(frozen=True)
class _Corridor:
    """One trafficking corridor: who sends, through where, to whom, and where it gets caught."""

    name: str
    share: float  # share of seizures in 2015
    growth: float  # extra yearly log-growth of the share (the mix shifts over time)
    origins: _Weights
    departures: _Weights  # () = leaves from the origin country
    hubs: _Weights  # first transit country
    hub_prob: float
    second_hubs: _Weights
    second_hub_prob: float
    destinations: _Weights
    seized_at: tuple[float, float, float, float, float]  # same positions as _Bias
    bias: _Bias


_CENTRAL_AMERICA: _Weights = (
    ("PAN", 0.18),
    ("CRI", 0.18),
    ("GTM", 0.16),
    ("HND", 0.15),
    ("SLV", 0.05),
    ("NIC", 0.08),
    ("BLZ", 0.03),
    ("MEX", 0.17),
)
# Hub weights lean toward each country's share of its region's official UNODC seizures
# (dataUNODC 2018-2022: the Dominican Republic ~90% of the Caribbean's kg, Cabo Verde ~45% of West
# Africa's), softened so that every hub still shows up on the map and in the tables.
_CARIBBEAN_HUBS: _Weights = (
    ("DOM", 0.40),
    ("JAM", 0.12),
    ("TTO", 0.08),
    ("BHS", 0.08),
    ("HTI", 0.05),
    ("PRI", 0.07),
    ("BRB", 0.04),
    ("GRD", 0.04),
    ("LCA", 0.05),
    ("VCT", 0.07),
)
_WEST_AFRICA_HUBS: _Weights = (
    ("CPV", 0.20),
    ("GNB", 0.08),
    ("SEN", 0.11),
    ("GHA", 0.07),
    ("NGA", 0.12),
    ("CIV", 0.08),
    ("TGO", 0.04),
    ("BEN", 0.07),
    ("GIN", 0.08),
    ("GMB", 0.07),
    ("SLE", 0.03),
    ("LBR", 0.02),
    ("MRT", 0.03),
)
_EUROPE_PORTS: _Weights = (
    ("BEL", 0.22),
    ("NLD", 0.22),
    ("ESP", 0.20),
    ("DEU", 0.09),
    ("FRA", 0.08),
    ("ITA", 0.08),
    ("PRT", 0.05),
    ("GBR", 0.06),
)
_ANDEAN: _Weights = (("COL", 0.62), ("PER", 0.24), ("BOL", 0.14))

_CORRIDORS: tuple[_Corridor, ...] = (
    _Corridor(
        name="pacific",
        share=0.25,
        growth=0.0,
        origins=(("COL", 0.65), ("PER", 0.30), ("BOL", 0.05)),
        departures=(("ECU", 0.45), ("COL", 0.55)),
        hubs=_CENTRAL_AMERICA,
        hub_prob=0.95,
        second_hubs=(("MEX", 1.0),),
        second_hub_prob=0.5,
        destinations=(("USA", 0.9), ("CAN", 0.1)),
        seized_at=(0.30, 0.20, 0.25, 0.15, 0.18),
        bias=(
            (1.0, 1.5, 1.0, 1.0, 1.0, 1.0),
            (1.0, 2.5, 1.0, 0.7, 1.0, 1.0),
            (0.8, 1.2, 1.0, 1.4, 1.0, 1.0),
            (0.8, 1.0, 1.0, 1.6, 1.0, 1.0),
            (0.7, 1.0, 1.0, 1.3, 1.0, 1.0),
        ),
    ),
    _Corridor(
        name="caribbean",
        share=0.29,
        growth=-0.02,
        origins=(("COL", 0.85), ("PER", 0.10), ("BOL", 0.05)),
        departures=(("VEN", 0.5), ("COL", 0.5)),
        hubs=_CARIBBEAN_HUBS,
        hub_prob=1.0,
        second_hubs=(),
        second_hub_prob=0.0,
        destinations=(
            ("USA", 0.50),
            ("ESP", 0.12),
            ("NLD", 0.12),
            ("GBR", 0.10),
            ("FRA", 0.10),
            ("BEL", 0.06),
        ),
        seized_at=(0.14, 0.16, 0.40, 0.0, 0.30),
        bias=(
            (1.0, 1.5, 1.0, 1.0, 1.0, 1.0),
            (0.7, 2.0, 1.2, 0.5, 1.0, 1.0),
            _NO_BIAS,
            _NO_BIAS,
            (0.5, 0.7, 2.5, 0.5, 1.5, 1.0),
        ),
    ),
    _Corridor(
        name="atlantic",
        share=0.10,
        growth=0.04,
        origins=(("COL", 0.45), ("PER", 0.30), ("BOL", 0.25)),
        departures=(
            ("BRA", 0.40),
            ("VEN", 0.20),
            ("GUY", 0.10),
            ("SUR", 0.10),
            ("ECU", 0.10),
            ("COL", 0.10),
        ),
        hubs=_WEST_AFRICA_HUBS,
        hub_prob=1.0,
        second_hubs=(),
        second_hub_prob=0.0,
        destinations=(
            ("ESP", 0.25),
            ("PRT", 0.15),
            ("FRA", 0.15),
            ("NLD", 0.15),
            ("BEL", 0.10),
            ("ITA", 0.10),
            ("GBR", 0.10),
        ),
        seized_at=(0.11, 0.27, 0.42, 0.0, 0.24),
        bias=(
            (1.5, 1.2, 1.0, 1.0, 1.0, 1.0),
            (2.0, 1.8, 0.8, 0.4, 0.5, 1.0),
            (1.0, 1.2, 1.0, 1.0, 1.0, 1.0),
            _NO_BIAS,
            (1.0, 1.3, 2.0, 0.6, 1.0, 1.0),
        ),
    ),
    _Corridor(
        name="direct_europe",
        share=0.24,
        growth=0.06,
        origins=_ANDEAN,
        departures=(("ECU", 0.38), ("COL", 0.30), ("BRA", 0.20), ("PAN", 0.12)),
        hubs=(),
        hub_prob=0.0,
        second_hubs=(),
        second_hub_prob=0.0,
        destinations=_EUROPE_PORTS,
        seized_at=(0.12, 0.38, 0.0, 0.0, 0.50),
        bias=(
            (2.0, 1.0, 1.0, 1.0, 1.0, 1.0),
            (4.0, 0.8, 0.6, 0.3, 0.5, 1.0),
            _NO_BIAS,
            _NO_BIAS,
            (3.0, 0.8, 0.5, 0.5, 0.7, 1.0),
        ),
    ),
    _Corridor(
        name="southern_cone",
        share=0.14,
        growth=0.0,
        origins=(("BOL", 0.50), ("PER", 0.40), ("COL", 0.10)),
        departures=(),
        hubs=(("PRY", 1.0),),
        hub_prob=0.35,
        second_hubs=(),
        second_hub_prob=0.0,
        destinations=(("BRA", 0.50), ("ARG", 0.28), ("CHL", 0.16), ("URY", 0.06)),
        seized_at=(0.40, 0.0, 0.15, 0.0, 0.45),
        bias=((0.3, 0.5, 1.5, 3.0, 1.0, 1.0),) * 5,
    ),
    _Corridor(
        name="other_markets",
        share=0.03,
        growth=0.03,
        origins=_ANDEAN,
        departures=(("BRA", 0.40), ("CHL", 0.20), ("ECU", 0.20), ("PAN", 0.20)),
        hubs=(),
        hub_prob=0.0,
        second_hubs=(),
        second_hub_prob=0.0,
        destinations=(("AUS", 0.50), ("ZAF", 0.25), ("TUR", 0.25)),
        seized_at=(0.10, 0.40, 0.0, 0.0, 0.50),
        bias=(
            _NO_BIAS,
            (3.0, 1.0, 1.0, 0.5, 1.0, 1.0),
            _NO_BIAS,
            _NO_BIAS,
            (2.0, 1.0, 1.5, 0.3, 1.5, 1.0),
        ),
    ),
)

# --------------------------------------------------------------------------------------------
# Countries: conveyance mix, drug forms, places, justice systems
# --------------------------------------------------------------------------------------------

_PRODUCERS = frozenset({"COL", "PER", "BOL"})
_CENTRAL = frozenset({"PAN", "CRI", "GTM", "HND", "SLV", "NIC", "MEX", "BLZ"})

# Conveyance mix by kind of country, over CONVEYANCES.
_CONVEYANCE_MIX: dict[str, tuple[float, ...]] = {
    "producer": (0.12, 0.30, 0.08, 0.40, 0.02, 0.08),
    "south_america": (0.30, 0.15, 0.12, 0.33, 0.04, 0.06),
    "central_america": (0.15, 0.30, 0.08, 0.40, 0.01, 0.06),
    "caribbean": (0.10, 0.32, 0.45, 0.03, 0.05, 0.05),
    "west_africa": (0.15, 0.30, 0.35, 0.10, 0.04, 0.06),  # couriers through Lagos, Accra, Dakar
    "europe": (0.45, 0.04, 0.25, 0.08, 0.14, 0.04),
    "north_america": (0.08, 0.12, 0.20, 0.42, 0.13, 0.05),
    "other": (0.40, 0.05, 0.30, 0.05, 0.15, 0.05),
    "BOL": (0.05, 0.0, 0.15, 0.70, 0.02, 0.08),  # landlocked; narco-planes
    "PRY": (0.10, 0.20, 0.15, 0.45, 0.02, 0.08),  # river barges on the Paraguay-Paraná waterway
}

# Drug forms by region, over DRUGS, with country overrides.
_DRUG_MIX: dict[str, tuple[float, ...]] = {
    "latin_america": (0.81, 0.05, 0.003, 0.137),
    "caribbean": (0.865, 0.0, 0.005, 0.13),
    "west_africa": (0.868, 0.0, 0.002, 0.13),
    "europe": (0.895, 0.0, 0.005, 0.10),
    "north_america": (0.85, 0.0, 0.03, 0.12),
    "other": (0.858, 0.0, 0.002, 0.14),
    "COL": (0.557, 0.35, 0.003, 0.09),
    "PER": (0.507, 0.40, 0.003, 0.09),
    "BOL": (0.457, 0.45, 0.003, 0.09),
    "BRA": (0.55, 0.14, 0.16, 0.15),
    "ARG": (0.60, 0.25, 0.03, 0.12),  # paco
    "CHL": (0.58, 0.28, 0.02, 0.12),  # pasta base
    "USA": (0.70, 0.0, 0.16, 0.14),
    "DOM": (0.80, 0.0, 0.07, 0.13),
    "JAM": (0.80, 0.0, 0.07, 0.13),
}

# Typical seizure size by conveyance (median kg, log-sd), and region multipliers on the median.
#
# Calibration (issue 15): each region's event kg follows its share of the official UNODC totals
# (dataUNODC 2018-2022, cocaine, yearly mean: Latin America ~1,115 t, the Caribbean ~16 t,
# West Africa ~8 t), so that the loaded events cover about the same fraction of the official
# figure in all three regions. Latin America holds ~98% of those kg but not 98% of the events
# (about 57%; the Caribbean about 9%, West Africa about 5%, set by the corridors' `seized_at`
# weights): the events there are smaller. That is the real pattern, not a fudge: most seizures
# recorded in the Caribbean and West Africa are air couriers, small boats and pirogues, and
# rip-on/rip-off bags of tens of kilograms in containers, while the multi-tonne loads on those
# routes are mostly taken at sea by other countries' navies (and counted by them) or at the
# destination ports. West Africa gets rather more, smaller events than fewer, larger ones: its
# demo kg then rests on enough events not to swing with the seed. Colombia, Costa Rica and
# Panama seize more per event than their neighbours (laboratory and stockpile busts, large
# maritime loads), hence the country multipliers.
_SIZE = {
    "median": np.array([350.0, 500.0, 3.5, 30.0, 0.4, 15.0]),
    "sigma": np.array([1.1, 0.9, 0.85, 1.3, 1.0, 1.5]),
}
_SIZE_BY_REGION: dict[str, tuple[float, ...]] = {
    "latin_america": (1.3, 1.3, 3.0, 1.5, 1.0, 1.5),
    "caribbean": (0.15, 0.25, 0.8, 0.4, 1.0, 0.4),
    "west_africa": (0.17, 0.22, 0.8, 0.4, 1.0, 0.6),
    "europe": (1.5, 1.8, 1.0, 0.8, 1.0, 1.0),
    "north_america": (0.8, 1.0, 1.0, 0.8, 1.0, 1.0),
    "other": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
}
_SIZE_BY_COUNTRY: dict[str, float] = {
    "COL": 2.2,
    "CRI": 1.6,
    "PAN": 1.3,
    "DOM": 1.5,  # Caucedo and Haina container terminals, navy interceptions south of the island
    "CPV": 1.8,  # boarded vessels on the Atlantic route
    # small islands and states whose official totals are a few kilograms to a few hundred a year
    "BRB": 0.5,
    "GRD": 0.5,
    "LCA": 0.5,
    "VCT": 0.5,
    "HTI": 0.5,
    "GNB": 0.5,
    "GHA": 0.5,
    "LBR": 0.5,
    "MRT": 0.5,
}
_SIZE_CAP = np.array([25_000.0, 15_000.0, 2_000.0, 8_000.0, 50.0, 5_000.0])
# Caps are lower and sizes less spread out where the demo holds only a few dozen events a year:
# one record-sized seizure (Cabo Verde's 9.5 t in 2019 is real) would be most of the region's
# demo kg for years, and the region's share would swing with the seed instead of following the
# official totals. Multipliers on _SIZE_CAP and on the log-sd.
_CAP_BY_REGION = {"caribbean": 0.2, "west_africa": 0.2}
_SIGMA_BY_REGION = {"caribbean": 0.7, "west_africa": 0.55}
_DRUG_SIZE = np.array([1.0, 0.8, 0.15, 1.0])

# Who seizes, by conveyance (over AGENCIES).
_AGENCY_MIX = np.array(
    [
        (0.50, 0.12, 0.03, 0.15, 0.20, 0.00),  # container
        (0.10, 0.05, 0.65, 0.15, 0.05, 0.00),  # vessel
        (0.50, 0.25, 0.00, 0.20, 0.00, 0.05),  # air
        (0.12, 0.50, 0.00, 0.18, 0.00, 0.20),  # land
        (0.85, 0.10, 0.00, 0.05, 0.00, 0.00),  # postal
        (0.15, 0.55, 0.05, 0.25, 0.00, 0.00),  # unknown
    ]
)
# Arrests by conveyance: share with nobody arrested (abandoned or jettisoned loads, containers
# contaminated without the owner's knowledge), else 1 + Poisson(mean).
_NO_ARREST = np.array([0.55, 0.40, 0.08, 0.18, 0.55, 0.45])
_MORE_ARRESTS = np.array([1.0, 1.6, 0.2, 1.0, 0.1, 0.8])

# Spread of seizure points around the country's centroid, in degrees (default by region).
_SPREAD_BY_REGION = {
    "latin_america": 1.5,
    "caribbean": 0.15,
    "west_africa": 0.8,
    "europe": 1.2,
    "north_america": 5.0,
    "other": 2.0,
}
_SPREAD: dict[str, float] = {
    "BRA": 5.0,
    "ARG": 4.0,
    "MEX": 4.0,
    "PER": 2.5,
    "COL": 2.5,
    "BOL": 2.0,
    "VEN": 2.0,
    "CHL": 2.0,
    "ECU": 1.0,
    "PAN": 0.6,
    "CRI": 0.6,
    "SLV": 0.4,
    "BLZ": 0.4,
    "URY": 0.8,
    "DOM": 0.5,
    "HTI": 0.4,
    "JAM": 0.3,
    "BHS": 0.6,
    "PRI": 0.2,
    "TTO": 0.15,
    "BRB": 0.05,
    "GRD": 0.05,
    "LCA": 0.05,
    "VCT": 0.05,
    "CPV": 0.3,
    "GMB": 0.2,
    "GNB": 0.4,
    "NGA": 2.0,
    "MRT": 2.0,
    "USA": 6.0,
    "CAN": 3.0,
    "AUS": 6.0,
    "ZAF": 2.5,
    "TUR": 2.5,
    "NLD": 0.5,
    "BEL": 0.4,
    "PRT": 0.8,
    "ESP": 2.0,
    "FRA": 2.5,
    "DEU": 2.0,
    "ITA": 2.0,
    "GBR": 1.5,
}

# Main ports (one or two), international airport and main city of the route countries.
_PLACES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "COL": (("Cartagena", "Buenaventura"), "El Dorado International Airport, Bogotá", "Bogotá"),
    "PER": (("Callao", "Paita"), "Jorge Chávez International Airport, Lima", "Lima"),
    "BOL": (("Santa Cruz dry port",), "Viru Viru International Airport, Santa Cruz", "Santa Cruz"),
    "ECU": (("Guayaquil", "Posorja"), "José Joaquín de Olmedo Airport, Guayaquil", "Guayaquil"),
    "BRA": (("Santos", "Paranaguá"), "Guarulhos International Airport, São Paulo", "São Paulo"),
    "VEN": (("Puerto Cabello", "La Guaira"), "Simón Bolívar International Airport", "Caracas"),
    "GUY": (("Georgetown",), "Cheddi Jagan International Airport", "Georgetown"),
    "SUR": (("Paramaribo",), "Johan Adolf Pengel International Airport", "Paramaribo"),
    "ARG": (("Buenos Aires", "Rosario"), "Ezeiza International Airport", "Buenos Aires"),
    "CHL": (("San Antonio", "Valparaíso"), "Arturo Merino Benítez Airport, Santiago", "Santiago"),
    "PRY": (("Asunción", "Villeta"), "Silvio Pettirossi International Airport", "Asunción"),
    "URY": (("Montevideo",), "Carrasco International Airport", "Montevideo"),
    "PAN": (("Colón", "Balboa"), "Tocumen International Airport", "Panama City"),
    "CRI": (("Moín", "Caldera"), "Juan Santamaría International Airport", "San José"),
    "GTM": (("Puerto Quetzal", "Santo Tomás de Castilla"), "La Aurora Airport", "Guatemala City"),
    "HND": (("Puerto Cortés",), "Ramón Villeda Morales Airport, San Pedro Sula", "San Pedro Sula"),
    "SLV": (("Acajutla",), "Monseñor Óscar Arnulfo Romero Airport", "San Salvador"),
    "NIC": (("Corinto",), "Augusto C. Sandino International Airport", "Managua"),
    "BLZ": (("Belize City",), "Philip S. W. Goldson International Airport", "Belize City"),
    "MEX": (("Manzanillo", "Lázaro Cárdenas"), "Mexico City International Airport", "Tijuana"),
    "DOM": (("Caucedo", "Haina"), "Las Américas International Airport", "Santo Domingo"),
    "JAM": (("Kingston",), "Norman Manley International Airport", "Kingston"),
    "TTO": (("Port of Spain", "Point Lisas"), "Piarco International Airport", "Port of Spain"),
    "BHS": (("Nassau", "Freeport"), "Lynden Pindling International Airport", "Nassau"),
    "HTI": (("Port-au-Prince", "Cap-Haïtien"), "Toussaint Louverture Airport", "Port-au-Prince"),
    "PRI": (("San Juan", "Ponce"), "Luis Muñoz Marín International Airport", "San Juan"),
    "BRB": (("Bridgetown",), "Grantley Adams International Airport", "Bridgetown"),
    "GRD": (("St. George's",), "Maurice Bishop International Airport", "St. George's"),
    "LCA": (("Castries", "Vieux Fort"), "Hewanorra International Airport", "Castries"),
    "VCT": (("Kingstown",), "Argyle International Airport", "Kingstown"),
    "CPV": (("Praia", "Mindelo"), "Nelson Mandela International Airport, Praia", "Praia"),
    "GNB": (("Bissau",), "Osvaldo Vieira International Airport", "Bissau"),
    "SEN": (("Dakar",), "Blaise Diagne International Airport", "Dakar"),
    "GHA": (("Tema", "Takoradi"), "Kotoka International Airport, Accra", "Accra"),
    "NGA": (("Lagos", "Onne"), "Murtala Muhammed International Airport, Lagos", "Lagos"),
    "CIV": (("Abidjan", "San-Pédro"), "Félix Houphouët-Boigny Airport, Abidjan", "Abidjan"),
    "TGO": (("Lomé",), "Gnassingbé Eyadéma International Airport", "Lomé"),
    "BEN": (("Cotonou",), "Cardinal Bernardin Gantin Airport, Cotonou", "Cotonou"),
    "GIN": (("Conakry",), "Conakry International Airport", "Conakry"),
    "GMB": (("Banjul",), "Banjul International Airport", "Banjul"),
    "SLE": (("Freetown",), "Lungi International Airport", "Freetown"),
    "LBR": (("Monrovia",), "Roberts International Airport", "Monrovia"),
    "MRT": (("Nouakchott", "Nouadhibou"), "Nouakchott–Oumtounsy Airport", "Nouakchott"),
    "ESP": (("Algeciras", "Valencia"), "Adolfo Suárez Madrid-Barajas Airport", "Madrid"),
    "NLD": (("Rotterdam",), "Amsterdam Airport Schiphol", "Amsterdam"),
    "BEL": (("Antwerp",), "Brussels Airport", "Brussels"),
    "PRT": (("Sines", "Leixões"), "Humberto Delgado Airport, Lisbon", "Lisbon"),
    "FRA": (("Le Havre", "Dunkirk"), "Paris Charles de Gaulle Airport", "Paris"),
    "ITA": (("Gioia Tauro", "Livorno"), "Rome Fiumicino Airport", "Rome"),
    "DEU": (("Hamburg", "Bremerhaven"), "Frankfurt Airport", "Frankfurt"),
    "GBR": (("Felixstowe", "London Gateway"), "London Heathrow Airport", "London"),
    "USA": (("Miami", "Philadelphia"), "Miami International Airport", "San Diego"),
    "CAN": (("Montreal", "Vancouver"), "Toronto Pearson International Airport", "Toronto"),
    "AUS": (("Sydney", "Melbourne"), "Sydney Airport", "Sydney"),
    "ZAF": (("Durban", "Cape Town"), "O. R. Tambo International Airport", "Johannesburg"),
    "TUR": (("Mersin", "Ambarlı"), "Istanbul Airport", "Istanbul"),
}

# Justice systems by region: (prosecution rate, conviction rate, speed factor on delays,
# sentence factor). Each country then gets a fixed offset derived from its ISO3 code.
_JUSTICE: dict[str, tuple[float, float, float, float]] = {
    "latin_america": (0.62, 0.66, 1.25, 1.0),
    "caribbean": (0.58, 0.60, 1.60, 0.9),
    "west_africa": (0.50, 0.55, 1.40, 0.8),
    "europe": (0.76, 0.80, 0.80, 0.9),
    "north_america": (0.80, 0.85, 0.70, 1.3),
    "other": (0.65, 0.70, 1.00, 1.0),
}


# --------------------------------------------------------------------------------------------
# Static lookup tables over a country index
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Choice:
    """A categorical distribution over country indices."""

    index: np.ndarray  # int country indices
    p: np.ndarray  # probabilities (sum 1)

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if len(self.index) == 0:
            return np.full(size, -1, dtype=np.int64)
        return self.index[rng.choice(len(self.p), size=size, p=self.p)]


@dataclass(frozen=True)
class _CompiledCorridor:
    spec: _Corridor
    origins: _Choice
    departures: _Choice
    hubs: _Choice
    second_hubs: _Choice
    destinations: _Choice
    seized_at: np.ndarray  # (5,)
    bias: np.ndarray  # (5, 6)


@dataclass(frozen=True)
class _Tables:
    iso3: np.ndarray  # object array of ISO3 codes, the country index
    region: np.ndarray  # index into REGIONS
    latitude: np.ndarray
    longitude: np.ndarray
    spread: np.ndarray  # degrees
    conveyance_mix: np.ndarray  # (k, 6)
    drug_mix: np.ndarray  # (k, 4)
    prosecution: np.ndarray
    conviction: np.ndarray
    speed: np.ndarray
    severity: np.ndarray
    size: np.ndarray  # (k, 6 conveyances): multiplier on the median seizure size
    cap: np.ndarray  # (k, 6 conveyances): largest seizure, kg
    sigma: np.ndarray  # (k, 6 conveyances): log-sd of the seizure size
    labels: np.ndarray  # (k, 6 conveyances, 2 variants) object: location label or None
    corridors: tuple[_CompiledCorridor, ...]


def _stable_unit(iso3: str, salt: str) -> float:
    """A number in [-1, 1) fixed by the ISO3 code (not by the seed): country character."""
    return zlib.crc32(f"{salt}:{iso3}".encode()) / 2**31 - 1.0


def _labels_for(iso3: str) -> list[list[str | None]]:
    """Location labels by conveyance (2 variants each) for one country."""
    place = _PLACES.get(iso3)
    if place is None:
        generic: list[str | None] = [
            "Seaport",
            "At sea",
            "International airport",
            "International mail centre",
            "Road checkpoint",
            None,
        ]
        return [[label, label] for label in generic]
    ports, airport, city = place
    port_pair = (ports[0], ports[-1])
    return [
        [
            p if p.startswith("Port of") or p.endswith(" port") else f"Port of {p}"
            for p in port_pair
        ],
        [f"At sea off {p}" for p in port_pair],
        [airport, airport],
        [f"Road checkpoint near {city}", f"Highway patrol, {city} region"],
        [f"International mail centre, {city}"] * 2,
        [city, None],
    ]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Lookups for every country that appears on a demo route and in the reference table."""
    reference = countries.reference().set_index("iso3")
    known = set(countries.known_iso3())
    names: set[str] = set()
    for corridor in _CORRIDORS:
        for weights in (
            corridor.origins,
            corridor.departures,
            corridor.hubs,
            corridor.second_hubs,
            corridor.destinations,
        ):
            names.update(code for code, _ in weights)
    codes = sorted(code for code in names if code in known and code in reference.index)
    position = {code: i for i, code in enumerate(codes)}
    ref = reference.loc[codes]
    regions = [r if r in REGIONS else "other" for r in ref["region"].astype(str)]
    region = np.array([REGIONS.index(r) for r in regions], dtype=np.int64)

    def kind(code: str, reg: str) -> str:
        if code in _CONVEYANCE_MIX:
            return code
        if code in _PRODUCERS:
            return "producer"
        if code in _CENTRAL:
            return "central_america"
        if reg == "latin_america":
            return "south_america"
        return reg

    conveyance_mix = np.array(
        [_CONVEYANCE_MIX[kind(c, r)] for c, r in zip(codes, regions, strict=True)]
    )
    drug_mix = np.array(
        [_DRUG_MIX.get(c, _DRUG_MIX[r]) for c, r in zip(codes, regions, strict=True)]
    )
    justice = np.array([_JUSTICE[r] for r in regions])
    prosecution = np.clip(
        justice[:, 0] + 0.12 * np.array([_stable_unit(c, "prosecution") for c in codes]), 0.4, 0.85
    )
    conviction = np.clip(
        justice[:, 1] + 0.14 * np.array([_stable_unit(c, "conviction") for c in codes]), 0.45, 0.9
    )
    speed = justice[:, 2] * np.exp(0.25 * np.array([_stable_unit(c, "speed") for c in codes]))
    spread = np.array(
        [_SPREAD.get(c, _SPREAD_BY_REGION[r]) for c, r in zip(codes, regions, strict=True)]
    )
    size = np.array(
        [
            np.array(_SIZE_BY_REGION[r]) * _SIZE_BY_COUNTRY.get(c, 1.0)
            for c, r in zip(codes, regions, strict=True)
        ]
    )
    cap = np.array([_SIZE_CAP * _CAP_BY_REGION.get(r, 1.0) for r in regions])
    sigma = np.array([_SIZE["sigma"] * _SIGMA_BY_REGION.get(r, 1.0) for r in regions])
    labels = np.empty((len(codes), len(CONVEYANCES), 2), dtype=object)
    for i, code in enumerate(codes):
        for j, pair in enumerate(_labels_for(code)):
            labels[i, j, 0], labels[i, j, 1] = pair

    def choice(weights: _Weights) -> _Choice:
        kept = [(position[c], w) for c, w in weights if c in position and w > 0]
        index = np.array([i for i, _ in kept], dtype=np.int64)
        p = np.array([w for _, w in kept], dtype=float)
        return _Choice(index, p / p.sum() if len(p) else p)

    compiled = []
    for corridor in _CORRIDORS:
        origins, destinations = choice(corridor.origins), choice(corridor.destinations)
        if len(origins.index) == 0 or len(destinations.index) == 0:
            continue
        compiled.append(
            _CompiledCorridor(
                spec=corridor,
                origins=origins,
                departures=choice(corridor.departures),
                hubs=choice(corridor.hubs),
                second_hubs=choice(corridor.second_hubs),
                destinations=destinations,
                seized_at=np.array(corridor.seized_at, dtype=float),
                bias=np.array(corridor.bias, dtype=float),
            )
        )
    return _Tables(
        iso3=np.array(codes, dtype=object),
        region=region,
        latitude=ref["latitude"].to_numpy(dtype=float),
        longitude=ref["longitude"].to_numpy(dtype=float),
        spread=spread,
        conveyance_mix=conveyance_mix,
        drug_mix=drug_mix,
        prosecution=prosecution,
        conviction=conviction,
        speed=speed,
        severity=justice[:, 3],
        size=size,
        cap=cap,
        sigma=sigma,
        labels=labels,
        corridors=tuple(compiled),
    )


# --------------------------------------------------------------------------------------------
# Vectorised drawing helpers
# --------------------------------------------------------------------------------------------


def _choose_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of `probs` (non-negative weights, each row with a positive sum)."""
    cdf = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cdf[:, -1]
    picked = (cdf <= u[:, None]).sum(axis=1)
    return np.minimum(picked, probs.shape[1] - 1)


def _years(start: dt.date, days: np.ndarray) -> np.ndarray:
    """Fractional years since 2015-01-01 for day offsets from `start`."""
    return ((start - DEFAULT_START).days + days) / 365.25


def _day_weights(start: dt.date, n_days: int) -> np.ndarray:
    """Relative seizure intensity for each day: trend x season x weekday x COVID-19 dip."""
    days = np.arange(n_days)
    dates = np.datetime64(start, "D") + days
    years = _years(start, days)
    # Production and seizures rose strongly after 2014, then grew more slowly after mid-2021.
    trend = np.exp(0.12 * np.minimum(years, 6.5) + 0.03 * np.maximum(years - 6.5, 0.0))
    month = dates.astype("datetime64[M]").astype(np.int64) % 12
    season = np.array([0.95, 0.90, 1.00, 1.05, 1.05, 1.00, 0.92, 0.92, 1.00, 1.08, 1.10, 1.03])
    weekday = (dates.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    rhythm = np.array([1.05, 1.1, 1.1, 1.1, 1.05, 0.8, 0.6])
    covid = np.ones(n_days)
    for first, last, factor in (
        ("2020-03-16", "2020-03-31", 0.75),
        ("2020-04-01", "2020-04-30", 0.50),
        ("2020-05-01", "2020-05-31", 0.60),
        ("2020-06-01", "2020-06-30", 0.80),
    ):
        covid[(dates >= np.datetime64(first)) & (dates <= np.datetime64(last))] = factor
    return trend * season[month] * rhythm[weekday] * covid


def _draw_days(rng: np.random.Generator, start: dt.date, n_days: int, size: int) -> np.ndarray:
    """Sorted day offsets from `start`, drawn with the intensity of `_day_weights`."""
    weights = _day_weights(start, n_days)
    return np.sort(rng.choice(n_days, size=size, p=weights / weights.sum()))


def _to_datetime(start: dt.date, days: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    """Day offsets as datetime64[ns]; NaT where `present` is False."""
    values = (np.datetime64(start, "D") + days.astype("timedelta64[D]")).astype("datetime64[ns]")
    if present is not None:
        values[~present] = np.datetime64("NaT")
    return values


def _ids(prefix: str, n: int) -> np.ndarray:
    """prefix + 1..n zero-padded to 7 digits, as an object array of str."""
    if n == 0:
        return np.empty(0, dtype=object)
    numbers = np.strings.zfill(np.arange(1, n + 1).astype(np.str_), 7)
    return np.strings.add(prefix, numbers).astype(object)


def _same(value: object, n: int) -> np.ndarray:
    """An object array holding `value` n times (one shared object; np.full would copy strings)."""
    values = np.empty(n, dtype=object)
    values.fill(value)
    return values


def _lognormal(
    rng: np.random.Generator, median: np.ndarray | float, sigma: np.ndarray | float, size: int
) -> np.ndarray:
    """Lognormal draws given their median and log-standard deviation (scalars or per row)."""
    return np.asarray(median) * np.exp(np.asarray(sigma) * rng.standard_normal(size))


@dataclass(frozen=True)
class _Routes:
    corridor: np.ndarray  # index into tables.corridors
    nodes: np.ndarray  # (n, 5) country indices, -1 where the route has no such step
    position: np.ndarray  # where on the route it was seized (0..4)
    country: np.ndarray


def _draw_routes(rng: np.random.Generator, tables: _Tables, years: np.ndarray) -> _Routes:
    """A route and the place on it where each seizure happened; the mix shifts with `years`."""
    n = len(years)
    corridors = tables.corridors
    share = np.array([c.spec.share for c in corridors])
    growth = np.array([c.spec.growth for c in corridors])
    corridor = _choose_rows(rng, share[None, :] * np.exp(np.outer(years, growth)))
    nodes = np.full((n, 5), -1, dtype=np.int64)
    weights = np.zeros((n, 5))
    for k, compiled in enumerate(corridors):
        rows = np.flatnonzero(corridor == k)
        m = len(rows)
        if m == 0:
            continue
        origin = compiled.origins.draw(rng, m)
        departure = compiled.departures.draw(rng, m)
        departure[departure == origin] = -1  # leaves from the producer country itself
        hub = compiled.hubs.draw(rng, m)
        hub[rng.random(m) >= compiled.spec.hub_prob] = -1
        second = compiled.second_hubs.draw(rng, m)
        second[(rng.random(m) >= compiled.spec.second_hub_prob) | (second == hub)] = -1
        destination = compiled.destinations.draw(rng, m)
        block = np.column_stack([origin, departure, hub, second, destination])
        w = np.where(block >= 0, compiled.seized_at[None, :], 0.0)
        w[:, 0] += np.where(departure < 0, compiled.seized_at[1], 0.0)
        nodes[rows] = block
        weights[rows] = w
    position = _choose_rows(rng, weights)
    country = nodes[np.arange(n), position]
    return _Routes(corridor=corridor, nodes=nodes, position=position, country=country)


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


def _seizures(
    rng: np.random.Generator,
    tables: _Tables,
    n: int,
    start: dt.date,
    n_days: int,
    source: str,
    seed: int,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The seizures frame, plus the internal arrays the cases are drawn from."""
    days = _draw_days(rng, start, n_days, n)
    years = _years(start, days)
    routes = _draw_routes(rng, tables, years)
    country = routes.country

    # Conveyance: the country's mix, bent by the corridor and the position on the route.
    bias = np.stack([c.bias for c in tables.corridors])[routes.corridor, routes.position]
    conveyance = _choose_rows(rng, tables.conveyance_mix[country] * bias)

    # Drug form; crack is a retail product, not shipped by sea or air freight.
    drug = _choose_rows(rng, tables.drug_mix[country])
    drug[(drug == _CRACK) & (conveyance <= _AIR)] = _HCL

    # Quantity: lognormal by conveyance and region, slowly growing loads, capped.
    median = _SIZE["median"][conveyance] * tables.size[country, conveyance] * _DRUG_SIZE[drug]
    median *= np.exp(0.025 * years)
    quantity = _lognormal(rng, median, tables.sigma[country, conveyance], n)
    quantity = np.maximum(np.round(np.minimum(quantity, tables.cap[country, conveyance]), 3), 0.001)

    # Place: near the centroid; at-sea seizures further out (they may be offshore).
    spread = tables.spread[country] * np.where(conveyance == _VESSEL, 1.8, 1.0)
    offset = rng.standard_normal((n, 2)) * spread[:, None] * 0.5
    latitude = np.round(np.clip(tables.latitude[country] + offset[:, 0], -89.9, 89.9), 4)
    longitude = tables.longitude[country] + offset[:, 1] / np.maximum(
        np.cos(np.radians(latitude)), 0.2
    )
    longitude = np.round((longitude + 180.0) % 360.0 - 180.0, 4)
    location = tables.labels[country, conveyance, rng.integers(0, 2, n)]
    agency = _choose_rows(rng, _AGENCY_MIX[conveyance])
    arrests = np.where(
        rng.random(n) < _NO_ARREST[conveyance], 0, 1 + rng.poisson(_MORE_ARRESTS[conveyance])
    )

    # Route as reported: origin and destination sometimes unknown unless seized there;
    # the transit countries sometimes not reported.
    nodes = routes.nodes
    origin = nodes[:, 0].copy()
    origin[(routes.position != 0) & (rng.random(n) < 0.05)] = -1
    destination = nodes[:, 4].copy()
    destination[(routes.position != 4) & (rng.random(n) < 0.07)] = -1
    transit = nodes[:, 1:4].copy()
    transit[rng.random(n) < 0.15] = -1
    transit_lists = _transit_lists(tables, transit)

    iso3 = np.append(tables.iso3, None)  # index -1 -> None
    frame = pd.DataFrame(
        {
            "seizure_id": pd.Series(_ids(f"DEMO-S{seed}-", n), dtype=object),
            "date": _to_datetime(start, days),
            "country_iso3": pd.Series(iso3[country], dtype=object),
            "location": pd.Series(location, dtype=object),
            "latitude": latitude,
            "longitude": longitude,
            "drug": pd.Series(np.array(DRUGS, dtype=object)[drug], dtype=object),
            "quantity_kg": quantity,
            "conveyance": pd.Series(np.array(CONVEYANCES, dtype=object)[conveyance], dtype=object),
            "origin_iso3": pd.Series(iso3[origin], dtype=object),
            "transit_iso3": pd.Series(transit_lists, dtype=object),
            "destination_iso3": pd.Series(iso3[destination], dtype=object),
            "agency": pd.Series(np.array(AGENCIES, dtype=object)[agency], dtype=object),
            "arrests": pd.array(arrests, dtype="Int64"),
            "source": pd.Series(_same(source, n), dtype=object),
        },
        columns=list(COLUMNS["seizures"]),
    )
    internals = {
        "days": days,
        "country": country,
        "origin_region": np.where(nodes[:, 0] >= 0, tables.region[nodes[:, 0]], -1),
        "quantity": quantity,
        "arrests": arrests,
    }
    return frame, internals


def _transit_lists(tables: _Tables, transit: np.ndarray) -> list[list[str]]:
    """One fresh Python list of ISO3 codes per row, built from the few distinct routes."""
    base = len(tables.iso3) + 1
    key = np.zeros(len(transit), dtype=np.int64)
    for column in range(transit.shape[1]):
        key = key * base + (transit[:, column] + 1)
    unique, inverse = np.unique(key, return_inverse=True)
    templates = []
    for code in unique.tolist():
        steps = []
        for _ in range(transit.shape[1]):
            code, step = divmod(code, base)
            if step:
                steps.append(str(tables.iso3[step - 1]))
        templates.append(tuple(reversed(steps)))
    # Lists are tracked by the cyclic garbage collector; a million of them would trigger many
    # full collections while they are built, none of which can free anything.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [list(templates[i]) for i in inverse.tolist()]
    finally:
        if enabled:
            gc.enable()


_MAX_COURT_DAYS = 10 * 365  # the longest a case stays in court, or in investigation


def _cases(
    rng: np.random.Generator,
    tables: _Tables,
    n: int,
    seizures: pd.DataFrame,
    internals: dict[str, np.ndarray],
    start: dt.date,
    n_days: int,
    source: str,
    seed: int,
) -> pd.DataFrame:
    """Criminal cases following the seizures, right-censored at the last day of the span."""
    last = n_days - 1
    n_seizures = len(seizures)
    linked_n = min(round(0.8 * n), n_seizures)
    unlinked_n = n - linked_n

    # Linked cases: seizures with arrests are likelier to become cases (weighted sampling without
    # replacement via exponential keys).
    keys = rng.exponential(size=n_seizures) / (0.4 + internals["arrests"])
    linked = (
        np.sort(np.argpartition(keys, linked_n - 1)[:linked_n]) if linked_n else np.array([], int)
    )

    # Unlinked cases: same country mix and dates as the seizures, no seizure record.
    free_days = _draw_days(rng, start, n_days, unlinked_n)
    free_routes = _draw_routes(rng, tables, _years(start, free_days))
    free_origin = free_routes.nodes[:, 0]

    country = np.concatenate([internals["country"][linked], free_routes.country])
    base_day = np.concatenate([internals["days"][linked], free_days])
    origin_region = np.concatenate(
        [
            internals["origin_region"][linked],
            np.where(free_origin >= 0, tables.region[free_origin], -1),
        ]
    )
    quantity = np.concatenate([internals["quantity"][linked], np.full(unlinked_n, np.nan)])
    arrests = np.concatenate([internals["arrests"][linked], np.full(unlinked_n, 1)])
    is_linked = np.arange(n) < linked_n
    region = tables.region[country]
    crossed = (origin_region >= 0) & (origin_region != region)

    # Opened days to weeks after the seizure.
    opened = base_day + np.where(is_linked, np.floor(_lognormal(rng, 6.0, 1.0, n)), 0).astype(int)
    opened = np.minimum(opened, last)
    years = _years(start, opened)

    # Cooperation: more when the cocaine crossed regions, and growing over the years.
    coop_base = np.where(crossed[:, None], [[0.22, 0.08, 0.05]], [[0.06, 0.015, 0.01]])
    coop_base = coop_base * np.clip(0.7 + 0.08 * years, 0.6, 1.5)[:, None]
    cooperation = _choose_rows(rng, np.column_stack([1.0 - coop_base.sum(axis=1), coop_base]))
    cooperating = cooperation > 0

    # Charging: country rate, higher with cooperation, lower when nobody was arrested.
    speed = tables.speed[country]
    p_charge = tables.prosecution[country] + 0.06 * cooperating
    p_charge = np.where(is_linked & (arrests == 0), 0.6 * p_charge, p_charge)
    will_charge = rng.random(n) < np.clip(p_charge, 0.0, 0.95)
    charged_day = opened + np.floor(_lognormal(rng, 75.0 * np.sqrt(speed), 0.8, n)).astype(int)
    charged = will_charge & (charged_day <= last)

    # Court outcome months to a few years after the charge: median about a year (longer where
    # courts are slow), a long tail, cut at _MAX_COURT_DAYS (a case does not stay in court
    # forever: it ends in a verdict, a dismissal or a lapse). Cases never charged are all closed
    # before charge, most within a year; one in six lingers (a suspect abroad, a case shelved
    # and reopened) about three times longer. Every case therefore ends some day, and only the
    # young ones are still open at `end`: the right-censoring the case metrics handle.
    court_days = np.minimum(_lognormal(rng, 380.0 * speed, 0.65, n), _MAX_COURT_DAYS)
    verdict_day = charged_day + np.floor(court_days).astype(int)
    lingering = rng.random(n) < 1 / 6
    closure_median = 200.0 * speed * np.where(lingering, 3.0, 1.0)
    closure_days = np.minimum(_lognormal(rng, closure_median, 0.7, n), _MAX_COURT_DAYS)
    dismissal_day = opened + np.floor(closure_days).astype(int)
    dropped = ~will_charge & (dismissal_day <= last)
    has_verdict = (charged & (verdict_day <= last)) | dropped
    verdict_day = np.where(charged, verdict_day, dismissal_day)

    p_convict = tables.conviction[country] + 0.12 * cooperating + 0.04 * (quantity > 500)
    convicted = charged & has_verdict & (rng.random(n) < np.clip(p_convict, 0.0, 0.97))
    acquitted = charged & has_verdict & ~convicted & (rng.random(n) < 0.55)
    outcome = np.full(n, _PENDING)
    outcome[has_verdict] = _DISMISSED
    outcome[acquitted] = _ACQUITTED
    outcome[convicted] = _CONVICTED

    stage = np.where(
        has_verdict,
        _CLOSED,
        np.where(charged, np.where(last - charged_day < 270, _PROSECUTION, _TRIAL), _INVESTIGATION),
    )

    # Defendants: the people arrested with the load, else a small group (skewed to 1).
    defendants = np.minimum(rng.geometric(0.55, n), 8)
    defendants = np.clip(np.where(is_linked & (arrests > 0), arrests, defendants), 1, 8)
    convicted_persons = np.where(convicted, 1 + rng.binomial(defendants - 1, 0.65), 0)
    size_factor = np.where(is_linked, (np.nan_to_num(quantity, nan=100.0) / 100.0) ** 0.12, 1.0)
    sentence = _lognormal(rng, 60.0 * tables.severity[country] * size_factor, 0.45, n)
    sentence = np.where(convicted, np.clip(np.round(sentence), 24, 240), np.nan)

    seizure_id = np.concatenate(
        [seizures["seizure_id"].to_numpy(dtype=object)[linked], _same(None, unlinked_n)]
    )
    order = np.argsort(opened, kind="stable")  # case numbers follow the opening date
    frame = pd.DataFrame(
        {
            "case_id": pd.Series(_ids(f"DEMO-C{seed}-", n), dtype=object),
            "country_iso3": pd.Series(tables.iso3[country[order]], dtype=object),
            "seizure_id": pd.Series(seizure_id[order], dtype=object),
            "opened_date": _to_datetime(start, opened[order]),
            "charged_date": _to_datetime(start, charged_day[order], charged[order]),
            "verdict_date": _to_datetime(start, verdict_day[order], has_verdict[order]),
            "defendants": pd.array(defendants[order], dtype="Int64"),
            "stage": pd.Series(np.array(STAGES, dtype=object)[stage[order]], dtype=object),
            "outcome": pd.Series(np.array(OUTCOMES, dtype=object)[outcome[order]], dtype=object),
            "convicted_persons": pd.array(convicted_persons[order], dtype="Int64"),
            "sentence_months": sentence[order],
            "cooperation": pd.Series(
                np.array(COOPERATION, dtype=object)[cooperation[order]], dtype=object
            ),
            "source": pd.Series(_same(source, n), dtype=object),
        },
        columns=list(COLUMNS["cases"]),
    )
    return frame


# --------------------------------------------------------------------------------------------
# Program activities
# --------------------------------------------------------------------------------------------

# The one real entry: UNODC and INTERPOL signed their cooperation agreement under CRIMJUST on
# 30 August 2016. It names no country: it is marked on every CRIMJUST focus country.
AGREEMENT_2016 = {
    "activity_id": "CRIMJUST-UNODC-INTERPOL-2016",
    "start_date": dt.date(2016, 8, 30),
    "type": "agreement",
    "title": AGREEMENT_TITLE,
    "partner": "unodc",
    "notes": AGREEMENT_NOTES,
    "source": AGREEMENT_SOURCE,
}
# Where activities happen: a port or an airport, by country (the titles name them).
_ACTIVITY_PLACES: dict[str, str] = {
    "ECU": "Guayaquil",
    "COL": "Cartagena",
    "PER": "Callao",
    "BOL": "Santa Cruz",
    "BRA": "Santos",
    "PAN": "Colón",
    "CRI": "Limón",
    "GTM": "Puerto Quetzal",
    "HND": "Puerto Cortés",
    "MEX": "Manzanillo",
    "DOM": "Caucedo",
    "PRY": "Asunción",
    "ARG": "Buenos Aires",
    "URY": "Montevideo",
    "SLV": "Acajutla",
    "CPV": "Praia",
    "GNB": "Bissau",
    "SEN": "Dakar",
    "GHA": "Tema",
    "NGA": "Lagos",
    "CIV": "Abidjan",
    "TGO": "Lomé",
    "BEN": "Cotonou",
    "GMB": "Banjul",
}
# (type, weight, partner weights unodc/interpol/ti/other, participants range); the title
# templates are vocabulary.DEMO_ACTIVITY_TITLES (stored in English, shown translated).
_ACTIVITY_KINDS: tuple[tuple[str, float, tuple[float, ...], tuple[int, int] | None], ...] = (
    ("training", 0.34, (0.7, 0.2, 0.0, 0.1), (15, 45)),
    ("mentoring", 0.14, (0.8, 0.0, 0.15, 0.05), (4, 12)),
    ("joint_investigation", 0.14, (0.3, 0.7, 0.0, 0.0), None),
    ("legal_assistance", 0.10, (0.8, 0.1, 0.0, 0.1), (10, 30)),
    ("agreement", 0.08, (0.6, 0.2, 0.2, 0.0), None),
    ("equipment", 0.12, (0.7, 0.2, 0.0, 0.1), None),
    ("other", 0.08, (0.2, 0.0, 0.8, 0.0), (8, 25)),
)
_PARTNERS = ("unodc", "interpol", "transparency_international", "other")


def _activities(
    rng: np.random.Generator, start: dt.date, end: dt.date, source: str
) -> pd.DataFrame:
    """About five program activities a year in the CRIMJUST countries, plus the real 2016
    agreement when the period holds it. Joint investigations pair countries of two regions."""
    columns = list(COLUMNS["activities"])
    places = list(_ACTIVITY_PLACES)
    reference = countries.reference().set_index("iso3")
    days = (end - start).days + 1
    rows: list[dict[str, object]] = []
    count = round(days / 365.25 * 5)
    weights = np.array([kind[1] for kind in _ACTIVITY_KINDS])
    for number, offset in enumerate(np.sort(rng.integers(0, days, size=count)), start=1):
        kind, __, partner_weights, people = _ACTIVITY_KINDS[
            int(rng.choice(len(_ACTIVITY_KINDS), p=weights / weights.sum()))
        ]
        first = places[int(rng.integers(len(places)))]
        where = [first]
        if kind in ("joint_investigation", "agreement"):
            others = [
                c for c in places if reference.at[c, "region"] != reference.at[first, "region"]
            ]
            where.append(others[int(rng.integers(len(others)))])
        began = start + dt.timedelta(days=int(offset))
        length = {"training": 5, "mentoring": 90, "joint_investigation": 240}.get(kind)
        finished = None
        if length is not None:
            finished = min(
                began + dt.timedelta(days=int(rng.integers(length // 2, length + 1))), end
            )
        partner = _PARTNERS[int(rng.choice(4, p=np.array(partner_weights) / sum(partner_weights)))]
        rows.append(
            {
                "activity_id": f"DEMO-ACT-{number:03d}",
                "start_date": began,
                "end_date": finished,
                "countries": where,
                "type": kind,
                "title": DEMO_ACTIVITY_TITLES[kind].format(
                    place=_ACTIVITY_PLACES[first],
                    other=_ACTIVITY_PLACES[where[-1]],
                ),
                "partner": partner,
                "participants": None if people is None else int(rng.integers(*people)),
                "notes": None,
                "source": source,
            }
        )
    if start <= AGREEMENT_2016["start_date"] <= end:
        focus = reference.index[reference["crimjust_focus"]].tolist()
        rows.append({**AGREEMENT_2016, "end_date": None, "countries": focus, "participants": None})
    frame = pd.DataFrame(rows, columns=columns)
    for name in ("start_date", "end_date"):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]")
    frame["participants"] = frame["participants"].astype("Int64")
    return frame.sort_values(["start_date", "activity_id"], ignore_index=True)


def generate_demo(
    seed: int = 2016,
    seizures: int = 6000,
    cases: int = 3000,
    start: dt.date = DEFAULT_START,
    end: dt.date | None = None,
) -> DemoData:
    """Synthetic seizures and cases from `start` to `end` (today by default), fixed by `seed`.

    Same seed, sizes and dates give identical frames. About 80% of cases are linked to a demo
    seizure (as many as there are seizures allow); the rest have no seizure_id.
    """
    end = dt.date.today() if end is None else end
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        start = start.date() if isinstance(start, dt.datetime) else start
        end = end.date() if isinstance(end, dt.datetime) else end
    if seizures < 0 or cases < 0:
        raise DemoParameterError(
            f"sizes must not be negative (seizures={seizures}, cases={cases}): use 0 or more"
        )
    if seed < 0:
        raise DemoParameterError(f"seed must be 0 or more, not {seed}")
    if end < start:
        raise DemoParameterError(f"end date {end} is before start date {start}: swap them")
    if end > dt.date.today():
        raise DemoParameterError(f"end date {end} is in the future: use today or earlier")
    if start < dt.date(1990, 1, 1):
        raise DemoParameterError(f"start date {start} is before 1990: use a later start")
    source = DEMO_SOURCE.format(seed=seed)
    tables = _tables()
    rng = np.random.default_rng(seed)
    n_days = (end - start).days + 1
    seizure_frame, internals = _seizures(rng, tables, seizures, start, n_days, source, seed)
    case_frame = _cases(rng, tables, cases, seizure_frame, internals, start, n_days, source, seed)
    # a stream of its own: the seizures and cases of a seed stay what they were before
    activity_frame = _activities(np.random.default_rng([seed, 9]), start, end, source)
    return DemoData(
        seizures=seizure_frame, cases=case_frame, source=source, activities=activity_frame
    )
