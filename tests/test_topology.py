"""The thinned map topology the maps draw (crimjust_data/topology.py)."""

from __future__ import annotations

import json

from crimjust_data import countries, paths, topology
from crimjust_data.figures import PAGE_CONFIG


def test_the_served_file_is_exactly_the_thinning_of_the_full_one() -> None:
    full = json.loads(paths.WORLD_50M.read_text(encoding="utf-8"))
    served = json.loads(paths.MAP_TOPOLOGY.read_text(encoding="utf-8"))
    assert served == topology.thin(full), "run: python -m crimjust_data.topology"


def test_every_country_keeps_its_shape_with_fewer_points() -> None:
    full = json.loads(paths.WORLD_50M.read_text(encoding="utf-8"))
    thin = topology.thin(full)
    ids = [g.get("id") for g in full["objects"]["countries"]["geometries"]]
    assert [g.get("id") for g in thin["objects"]["countries"]["geometries"]] == ids
    for geometry in thin["objects"]["countries"]["geometries"]:
        assert geometry.get("arcs"), geometry.get("id")  # small islands (BRB, GRD, CPV) too
    assert {"BRB", "GRD", "CPV", "KNA"} <= set(ids)
    points = sum(len(arc) for arc in thin["arcs"])
    assert points < sum(len(arc) for arc in full["arcs"]) / 3


def test_pages_fetch_the_thinned_file_from_the_app() -> None:
    url = PAGE_CONFIG["topojsonURL"]
    assert url.startswith("/app/static/")  # enableStaticServing: ./static, never a CDN
    assert (paths.STATIC_DIR / url.removeprefix("/app/static/") / "world_50m.json").is_file()


def test_the_saved_land_is_exactly_the_land_of_the_full_file() -> None:
    import shapely

    ids, geometries = countries.land()
    expected_ids, expected = countries.land_from_topology()
    assert ids.tolist() == expected_ids.tolist(), "run: python -m crimjust_data.topology"
    assert len(ids) == 258 and {"BRB", "CPV", "RUS", "FJI"} <= set(ids.tolist())
    same = shapely.equals_exact(geometries, expected, tolerance=0)
    assert same.all(), [str(i) for i in ids[~same]]
    assert shapely.is_valid(geometries).all()
