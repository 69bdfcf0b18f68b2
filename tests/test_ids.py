"""Record ids compared as a reader sees them (issue 17, #5): the SQL key equals Python's id_key on
both backends, and an id written another way is refused as already loaded in an earlier version.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from crimjust_data import ids
from crimjust_data.ids import id_key
from crimjust_data.ingest.pipeline import import_file
from crimjust_data.store import Store

# Ids as spreadsheets and other systems write them: case, every kind of space and invisible
# character, letters whose lower case is special ('İ', a final sigma, titlecase digraphs, signs
# that lower-case to letters), other scripts, and text that SQL quotes or patterns treat apart.
AWKWARD = [
    "k1", "K1", " k1", "k1\ufeff", "\ufeffk1", "w\u200b1", "w1", "É-1", "é-1", "Ä", "ä",
    "ÀÉÎÕÜ-Ÿ", "Straße", "STRASSE", "ǅ-1", "ǆ-1", "Ǳ", "ǲ", "İstanbul", "ISTANBUL", "ı",
    "ΟΔΥΣΣΕΥΣ", "ΟΔΥΣΣΕΥΣ-7", "ΑΣ.Β", "ΑΣ1", "Α'Σ", "Σ", "ΣΑ", "ΑΣΣ", "ΑΣ.Σ", "ἈΣ", "ΆΣ\u0301Β",
    "\u2126", "\u212a1", "\u212b", "ﬁ", "Ⅳ", "Ⓐ", "Ꭰ", "ᏸ", "𐐀", "𞤀", "Ა", "a\u00a0b",
    "a\u3000b", "a\u2028b", "a\x1cb", "a\x85b", "a\tb\n", "a\u00adb", "a\u180eb", "a\u2060b",
    "a\u200c\u200db", "", "   ", "o'brien", "x%y_z", "a\\b", "a.b:c", "🙂", "e\u0301",
    "\u0130\u0307", "Σ\u0345", "'; DROP TABLE seizures; --", "SZ-0001/2023", "ЖЁЛТЫЙ-5",
]  # fmt: skip


def sql_keys(corpus: list[str], query: object, key: str) -> list[str]:
    """`key` (an id_key_sql of the column `value`) of each text, computed by `query`, a
    backend's query function, over the table `ids` holding the texts."""
    frame = query(f"SELECT {key} AS key FROM ids ORDER BY position")  # type: ignore[operator]
    assert len(frame) == len(corpus)
    return list(frame["key"])


def mismatches(corpus: list[str], keys: list[str]) -> list[tuple[str, str, str]]:
    return [(t, id_key(t), k) for t, k in zip(corpus, keys, strict=True) if id_key(t) != k]


def every_code_point() -> list[str]:
    """Each character a text value can hold (no NUL, no surrogate)."""
    return [chr(c) for c in range(1, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]


def sigma_contexts() -> list[str]:
    """A capital sigma beside letters, marks and punctuation, where Python decides between 'σ'
    and the final 'ς' by what comes before and after it."""
    neighbours = [
        chr(c)
        for block in (range(0x20, 0x250), range(0x300, 0x400), range(0x1F00, 0x2000))
        for c in block
        if chr(c).isprintable()
    ] + ["\u2018", "\u2019", "\u2024", "\u2027", "\ufe52", "\uff07"]
    return [
        text
        for c in neighbours
        for text in (f"Α{c}Σ", f"1{c}Σ", f"ΑΣ{c}", f"ΑΣ{c}Α", f"Σ{c}Σ", f"Α{c}Σ{c}")
    ]


def random_ids(count: int) -> list[str]:
    """Random ids over an alphabet of the characters above, some of them repeated."""
    alphabet = sorted(set("".join(AWKWARD)) | set("ΣσςΑαΒβ.' -_0123456789"))
    rng = random.Random(17)
    return ["".join(rng.choices(alphabet, k=rng.randint(1, 9))) for _ in range(count)]


def test_spaces_are_what_python_drops_as_whitespace() -> None:
    """SQL's \\s is ASCII only, so the SQL key lists Python's whitespace one by one."""
    python_spaces = {c for c in every_code_point() if re.fullmatch(r"\s", c)}
    assert set(ids.SPACES) == python_spaces
    assert not set(ids.SPACES) & set(ids.INVISIBLE)


def corpus() -> list[str]:
    return AWKWARD + every_code_point() + sigma_contexts() + random_ids(20_000)


def test_the_sql_key_is_id_key_on_duckdb() -> None:
    import duckdb

    texts = corpus()
    connection = duckdb.connect()
    connection.register("ids", pd.DataFrame({"position": range(len(texts)), "value": texts}))
    keys = sql_keys(texts, lambda sql: connection.execute(sql).df(), ids.id_key_sql("value"))
    assert mismatches(texts, keys) == []


def test_the_sql_key_is_id_key_on_postgres(postgres_url: str) -> None:
    """The test server's collation is C: lower() there changes ASCII letters only."""
    from crimjust_data.store.postgres_store import PostgresStore

    texts = corpus()
    store = PostgresStore(postgres_url)
    try:
        key = ids.id_key_sql("value", "postgres", store._id_collation)
        with store.scratch() as tx:
            frame = pd.DataFrame({"position": range(len(texts)), "value": texts})
            tx.stage("ids", frame, {"position": "BIGINT", "value": "TEXT"})
            keys = sql_keys(texts, tx.query, key)
    finally:
        store.close()
    assert mismatches(texts, keys) == []


def seizures_csv(path: Path, ids: list[str]) -> Path:
    lines = ["seizure_id,date,country_iso3,drug,quantity_kg"]
    lines += [f"{i},2023-0{n + 1}-01,COL,cocaine_hcl,{n + 1}" for n, i in enumerate(ids)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("k1", "K1"),
        ("K1", "k1"),
        ("w\u200b1", "w1"),
        ("k1", "k1\ufeff"),
        ("k1", "k\u00a01"),
        ("É-1", "é-1"),
        ("Ä1", "ä1"),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευς"),
    ],
)
def test_an_id_written_another_way_is_already_loaded(
    store: Store, tmp_path: Path, first: str, second: str
) -> None:
    """The attack: load an id, then the same id in another case or with an invisible character
    in a second file, appended. Both were loaded and counted; the second is refused now."""
    loaded = import_file(store, seizures_csv(tmp_path / "one.csv", [first, "other-1"]), "seizures")
    assert loaded.ok, loaded.errors
    again = import_file(store, seizures_csv(tmp_path / "two.csv", ["new-9", second]), "seizures")
    assert not again.ok
    # (the importer may have dropped a character that prints as nothing: the same id)
    assert [(e["row"], e["column"], id_key(e["value"])) for e in again.errors] == [
        (3, "seizure_id", id_key(second))
    ]
    message = again.errors[0]["message"]
    assert f"already loaded in version {loaded.version_id}" in message
    if again.errors[0]["value"] != first:
        assert f"written there as {first!r}" in message  # how the stored row writes it
    assert [v.version_id for v in store.versions()] == [loaded.version_id]
    assert int(store.query("SELECT count(*) AS n FROM active_seizures").iloc[0]["n"]) == 2


def test_distinct_ids_still_load(store: Store, tmp_path: Path) -> None:
    """Ids that differ in more than case and invisible characters are other records."""
    assert import_file(store, seizures_csv(tmp_path / "a.csv", ["k1", "ΑΣ"]), "seizures").ok
    outcome = import_file(store, seizures_csv(tmp_path / "b.csv", ["k2", "k-1", "ασ"]), "seizures")
    assert outcome.ok, outcome.errors  # 'ΑΣ' is 'ας' to Python's lower(), not 'ασ'
    assert outcome.rows == 3
