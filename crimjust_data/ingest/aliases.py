"""Header and value aliases in English, Spanish, French and Portuguese (issue 4).

Every match goes through `key`: case, accents, spaces and punctuation are ignored, so
'Fecha de apertura', 'fecha_apertura' and 'FECHA DE APERTURA ' are the same header.
A quantity header may carry its unit ('Cantidad (g)', 'peso_kg', 'Weight lb'): the unit is noted
in `HeaderMapping.unit_from_header` and the values are converted to kg by the normaliser.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from crimjust_data.schemas import COLUMNS, DRUGS, REQUIRED, TableName

__all__ = [
    "HEADER_ALIASES",
    "UK_GALLON_LITRES",
    "UNIT_COLUMN",
    "UNIT_FACTORS_KG",
    "US_GALLON_LITRES",
    "VALUE_ALIASES",
    "HeaderMapping",
    "drug_form",
    "is_count_unit",
    "is_liquid_unit",
    "key",
    "map_headers",
    "unit_factor",
    "value_alias",
]

# The auxiliary column holding the unit of quantity_kg ('unidad', 'unit'...); not stored.
UNIT_COLUMN = "quantity_unit"


def key(text: object) -> str:
    """Matching key: lower case, no accents, only letters and digits ('Fecha de apertura' ->
    'fechadeapertura', 'Pays d'origine' -> 'paysdorigine')."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", plain)


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.findall(r"[a-z0-9]+", plain)


def _comma_list(text: str) -> list[str]:
    """The comma-separated names of `text`."""
    return text.split(",")


def _wordset(text: str) -> frozenset[str]:
    """The space-separated words of `text`, as a set (vocabularies are written as prose)."""
    return frozenset(text.split())


# ---------------------------------------------------------------------------------------------
# Units of quantity
#
# Liquids count at 1 kg per litre, as UNODC converts them (a litre of liquid cocaine is recorded as
# a kilogram). A gallon is a US gallon unless the unit says it is the UK (imperial) one. Counts
# (units, tablets, packages, bricks...) have no known weight: they never become kg.

US_GALLON_LITRES = 3.785411784
UK_GALLON_LITRES = 4.54609

UNIT_FACTORS_KG: dict[str, float] = {}
_LIQUID_UNITS: set[str] = set()
for _names, _factor, _liquid in (
    (
        "kg kgs kilo kilos kilogram kilograms kilogramme kilogrammes kilogramo kilogramos "
        "quilo quilos quilograma quilogramas",
        1.0,
        False,
    ),
    ("g gr grs gram grams gramme grammes gramo gramos grama gramas", 0.001, False),
    (
        "mg milligram milligrams milligramme milligrammes miligramo miligramos miligrama "
        "miligramas",
        0.000001,
        False,
    ),
    ("t tn tm ton tons tonne tonnes tonelada toneladas", 1000.0, False),
    ("lb lbs pound pounds libra libras livre livres", 0.45359237, False),
    ("oz ounce ounces onza onzas once onces onca oncas", 0.028349523125, False),
    ("l lt lts ltr ltrs litre litres liter liters litro litros", 1.0, True),
    (
        "ml mls millilitre millilitres milliliter milliliters mililitro mililitros cc cm3",
        0.001,
        True,
    ),
    ("cl centilitre centilitres centiliter centiliters centilitro centilitros", 0.01, True),
    ("m3", 1000.0, True),
):
    for _name in _names.split():
        UNIT_FACTORS_KG[_name] = _factor
        if _liquid:
            _LIQUID_UNITS.add(_name)

_GALLON_WORDS = _wordset("gal gals gallon gallons galon galones galao galoes")
_UK_WORDS = _wordset(
    "uk imp imperial imperials imperiaux imperiale imperiales imperiais brit british britanico "
    "britanicos britannique britanniques britanico britanicos britanicas"
)
_US_WORDS = _wordset(
    "us usa american americano americanos americain americains estadounidense estadounidenses "
    "eua eeuu liquid liquido liquidos"
)

_COUNT_UNITS = frozenset(
    key(name)
    for name in _comma_list(
        # units, pieces
        "u, un, und, unds, ud, uds, unit, units, unidad, unidades, unidade, unidades, unite, "
        "unites, each, ea, pc, pcs, piece, pieces, pieza, piezas, peca, pecas, piece, pieces, "
        "item, items, article, articles, articulo, articulos, artigo, artigos, count, number, "
        "numero, nombre, quantidade de unidades, "
        # tablets, pills, capsules, doses
        "tablet, tablets, tab, tabs, tableta, tabletas, comprimido, comprimidos, comprime, "
        "comprimes, pill, pills, pildora, pildoras, pastilla, pastillas, pilule, pilules, "
        "capsule, capsules, capsula, capsulas, dose, doses, dosis, blister, blisters, "
        "ampoule, ampoules, ampolla, ampollas, ampola, ampolas, vial, vials, frasco, frascos, "
        "bottle, bottles, botella, botellas, flacon, flacons, garrafa, garrafas, "
        # plants, seeds
        "plant, plants, planta, plantas, plante, plantes, pe, pes, seed, seeds, semilla, "
        "semillas, graine, graines, semente, sementes, "
        # packages, bricks, wraps: no known weight, so counts
        "package, packages, pack, packs, packet, packets, parcel, parcels, paquete, paquetes, "
        "paquet, paquets, pacote, pacotes, brick, bricks, ladrillo, ladrillos, pan, panes, "
        "brique, briques, tijolo, tijolos, bag, bags, bolsa, bolsas, sac, sacs, saco, sacos, "
        "wrap, wraps, papelote, papelotes, papelito, papelitos, envelope, envelopes, sobre, "
        "sobres, bucha, buchas, trouxinha, trouxinhas, porcao, porcoes, pino, pinos, "
        "cigarette, cigarettes, cigarro, cigarros, cigarrillo, cigarrillos, joint, joints, "
        "baseado, baseados, cutting, cuttings, esqueje, esquejes, bouture, boutures, muda, mudas"
    )
    if key(name)
)


def _gallon_factor(words: list[str]) -> float | None:
    """kg per gallon named by `words` ('US gallons', 'gallon (UK)', 'galões imperiais')."""
    if not any(w in _GALLON_WORDS for w in words):
        return None
    rest = [w for w in words if w not in _GALLON_WORDS]
    if len(words) - len(rest) != 1:  # 'gallon gallon'
        return None
    if rest and all(w in _UK_WORDS for w in rest):
        return UK_GALLON_LITRES
    if all(w in _US_WORDS for w in rest):
        return US_GALLON_LITRES
    return None  # 'gallon (UK or US?)', 'gallons of something': not guessed


def unit_factor(unit: object) -> float | None:
    """kg per one `unit` ('g' -> 0.001, 'toneladas' -> 1000, 'lbs' -> 0.45359237, 'litros' -> 1,
    'US gallons' -> 3.785411784, 'gallon (UK)' -> 4.54609); None if unknown or a count."""
    found = UNIT_FACTORS_KG.get(key(unit))
    if found is not None:
        return found
    return _gallon_factor(_words(str(unit)))


def is_liquid_unit(unit: object) -> bool:
    """Is `unit` a volume (litres, ml, gallons), converted at 1 kg per litre?"""
    return key(unit) in _LIQUID_UNITS or _gallon_factor(_words(str(unit))) is not None


def is_count_unit(unit: object) -> bool:
    """Is `unit` a count (units, tablets, capsules, doses, pieces, plants, packages, bricks...),
    which has no known weight and so cannot become kg?"""
    k = key(unit)
    return bool(k) and (k in _COUNT_UNITS or k.removesuffix("s") in _COUNT_UNITS)


# ---------------------------------------------------------------------------------------------
# Drug names: the cocaine form a name means, in English, Spanish, French or Portuguese
#
# Words are compared without case, accents or punctuation. A name must be about cocaine (a word
# for cocaine, 'coca' with a form such as 'paste', or a street name of a form: crack, basuco,
# paco...). Coca leaf, bush, plant and seeds are not cocaine; neither is a mixture with another
# drug (its weight is not a cocaine weight). A name naming several forms ('Cocaine (base, paste
# and salts)') or none ('cocaína', 'liquid cocaine') is cocaine_unspecified.

_FORM_WORDS: dict[str, str] = {}
for _form, _names in (
    (
        "cocaine_hcl",
        "hcl hydrochloride hydrochlorides hydrochlorid clorhidrato clorhidratos chlorhydrate "
        "chlorhydrates cloridrato cloridratos hidrocloruro hidrocloreto hydrochlorure salt salts "
        "sal sales sel sels sais",
    ),
    (
        "cocaine_base",
        "base bases paste pastes pasta pastas pate pates basica basico pbc basuco bazuco "
        "bazooka bazuko paco merla freebase oxi smokable smokeable fumable",
    ),
    ("crack", "crack cracks pedra pedras piedra piedras caillou cailloux"),
):
    for _name in _names.split():
        _FORM_WORDS[_name] = _form

# Names of a form used without the word 'cocaine' ('pasta base', 'basuco', 'pedra de crack')
_STANDALONE_FORM_WORDS = _wordset(
    "base pasta pate basica basico pbc basuco bazuco bazooka bazuko paco merla freebase free "
    "libre livre oxi crack cracks pedra pedras"
)
_LIQUID_WORDS = _wordset("liquid liquida liquido liquide liquidos liquidas liquides")
_PLANT_WORDS = _wordset(
    "leaf leaves hoja hojas feuille feuilles folha folhas bush bushes shrub shrubs arbusto "
    "arbustos arbuste arbustes buisson buissons plant plants planta plantas plante plantes "
    "seed seeds semilla semillas graine graines semente sementes plantation plantations "
    "cultivo cultivos plantio pe pes mata matas cocal cocales"
)
_OTHER_DRUG_PREFIXES = (
    "cannab",
    "marihuan",
    "marijuan",
    "maconh",
    "hashi",
    "hachi",
    "haxix",
    "skunk",
    "heroin",
    "morphin",
    "morfin",
    "opium",
    "opio",
    "opiac",
    "opiat",
    "poppy",
    "amapola",
    "papoula",
    "pavot",
    "ecstas",
    "extasis",
    "mdma",
    "mda",
    "amphetamin",
    "anfetamin",
    "amfetamin",
    "methamphetamin",
    "metanfetamin",
    "metamfetamin",
    "lsd",
    "ketamin",
    "cetamin",
    "khat",
    "qat",
    "fentanil",
    "fentanyl",
    "tramadol",
    "captagon",
    "psilocyb",
    "ghb",
    "benzodiazepin",
    "diazepam",
    "methaqualon",
    "metacualon",
    "kratom",
    "lanca",
    "solvent",
    "inhalant",
    "tobacco",
    "tabaco",
    "tabac",
    "alcohol",
    "alcool",
)
_NEGATION_WORDS = _wordset(
    "excluding exclude excludes except without not excl sin excepto salvo sans hors sauf "
    "exceto sem nao non"
)
_DRUG_STOP_WORDS = _wordset(
    "de da do das dos del d l la las le les el los lo of the a and e et y o or ou"
)


def _is_other_drug(word: str) -> bool:
    return word.startswith(_OTHER_DRUG_PREFIXES)


def drug_form(text: object) -> str | None:
    """The cocaine form a drug name means: 'cocaine_hcl', 'cocaine_base', 'crack' or
    'cocaine_unspecified'; None for anything that is not cocaine (coca leaf, bush, plant or seeds,
    every other drug, a blank). Names in English, Spanish, French or Portuguese, in any case,
    with or without accents and punctuation ('Clorhidrato de cocaína', 'Coca paste', 'PBC',
    'pedra de crack', 'Cocaïne liquide', 'COCAÍNA', 'Cocaine (base, paste and salts)')."""
    if text is None or (isinstance(text, float) and text != text):  # None, NaN
        return None
    raw = str(text).strip().casefold()
    if raw in DRUGS:
        return raw
    words = _words(raw)
    if not words:
        return None
    if any(w in _PLANT_WORDS for w in words) or any(_is_other_drug(w) for w in words):
        return None
    cocaine = any(w.startswith(("cocain", "cocaïn")) for w in words)
    coca = any(w in ("coca", "cocas") for w in words)
    forms: set[str] = set()
    negated = False
    for w in words:
        if w in _NEGATION_WORDS:
            negated = True  # 'Cocaine (excluding crack)': the forms after it are left out
        elif w in _FORM_WORDS and not negated:
            forms.add(_FORM_WORDS[w])
    liquid = any(w in _LIQUID_WORDS for w in words)
    if not cocaine:
        if coca and not forms:
            return None  # 'coca' alone: the plant
        if not coca:  # a street name of a form, with nothing else in the name
            named = [w for w in words if w not in _DRUG_STOP_WORDS]
            if not named or not all(w in _STANDALONE_FORM_WORDS for w in named) or not forms:
                return None
    if liquid or len(forms) != 1:
        return "cocaine_unspecified"
    return forms.pop()


# ---------------------------------------------------------------------------------------------
# Header aliases: canonical column -> names analysts use (any spelling `key` folds together)

_COUNTRY = (
    "country, country code, country iso3, iso3, iso, país, pais, país iso, código país, "
    "codigo pais, pays, code pays, code du pays, país code, nación"
)
_DRUG = (
    "drug, drug type, type of drug, droga, tipo de droga, drogue, type de drogue, substance, "
    "sustancia, substância, substancia, producto, produit, produto, estupefaciente, stupéfiant"
)
_QUANTITY = (
    "quantity, quantity seized, amount, weight, net weight, cantidad, cantidad incautada, "
    "peso, peso neto, quantité, quantite saisie, poids, poids net, quantidade, "
    "quantidade apreendida, masse, massa, kg, kilos, kilogramos, kilograms"
)
_SOURCE = "source, fuente, fonte, origen de los datos, source des données, fonte dos dados"

_HEADERS: dict[TableName, dict[str, str]] = {
    "seizures": {
        "seizure_id": (
            "seizure id, id, seizure, seizure number, reference, ref, id incautación, "
            "incautación, número de incautación, no incautación, n incautación, referencia, "
            "código, id saisie, saisie, numéro de saisie, n saisie, référence, id apreensão, "
            "apreensão, número da apreensão, n apreensão, número, numéro, number, no, nº, n°"
        ),
        "date": (
            "date, seizure date, date of seizure, fecha, fecha de incautación, fecha incautación, "
            "date de saisie, date saisie, data, data da apreensão, data de apreensão"
        ),
        "country_iso3": _COUNTRY,
        "location": (
            "location, place, city, site, lugar, ubicación, localidad, sitio, ciudad, municipio, "
            "lieu, localité, ville, local, localização, localidade, cidade, município"
        ),
        "latitude": "latitude, latitud, lat, y",
        "longitude": "longitude, longitud, lon, long, lng, x",
        "drug": _DRUG,
        "quantity_kg": _QUANTITY,
        "conveyance": (
            "conveyance, transport, transport mode, mode of transport, means of transport, "
            "medio de transporte, modo de transporte, medio, modalidad, transporte, "
            "moyen de transport, mode de transport, meio de transporte, modo de transporte, "
            "meio"
        ),
        "origin_iso3": (
            "origin, origin country, country of origin, origen, país de origen, procedencia, "
            "origine, pays d'origine, provenance, origem, país de origem, procedência"
        ),
        "transit_iso3": (
            "transit, transit countries, transit country, tránsito, países de tránsito, "
            "país de tránsito, pays de transit, trânsito, países de trânsito, via"
        ),
        "destination_iso3": (
            "destination, destination country, country of destination, destino, "
            "país de destino, pays de destination, destino final"
        ),
        "agency": (
            "agency, seizing agency, agencia, institución, entidad, organismo, agence, "
            "institution, service, agência, instituição, órgão"
        ),
        "arrests": (
            "arrests, arrested, persons arrested, detenidos, personas detenidas, arrestados, "
            "aprehendidos, capturados, arrestations, personnes arrêtées, interpellations, "
            "interpellés, detidos, pessoas detidas, presos"
        ),
        "source": _SOURCE,
    },
    "annual_seizures": {
        "country_iso3": _COUNTRY,
        "year": "year, año, anio, ano, année, annee, period, periodo, période",
        "drug": _DRUG,
        "quantity_kg": _QUANTITY,
        "source": _SOURCE,
    },
    "cases": {
        "case_id": (
            "case id, id, case, case number, caso, id caso, número de caso, no caso, n caso, "
            "expediente, número de expediente, affaire, dossier, numéro de dossier, "
            "numéro d'affaire, id affaire, processo, número do processo, id processo, número, "
            "numéro, number, no, nº, n°"
        ),
        "country_iso3": _COUNTRY,
        "seizure_id": (
            "seizure id, seizure, id incautación, incautación, id saisie, saisie, "
            "id apreensão, apreensão"
        ),
        "opened_date": (
            "opened, opened date, date opened, open date, fecha de apertura, fecha apertura, "
            "fecha de inicio, date d'ouverture, date ouverture, data de abertura, "
            "data abertura, data de início"
        ),
        "charged_date": (
            "charged, charged date, date charged, indictment date, fecha de acusación, "
            "fecha acusación, fecha de imputación, date d'inculpation, date de mise en accusation, "
            "date inculpation, data da acusação, data de acusação, data da denúncia"
        ),
        "verdict_date": (
            "verdict, verdict date, date of verdict, judgment date, sentence date, "
            "fecha de sentencia, fecha sentencia, fecha del fallo, date du jugement, "
            "date de jugement, date du verdict, data da sentença, data de sentença"
        ),
        "defendants": (
            "defendants, accused, number of defendants, acusados, imputados, procesados, "
            "prévenus, accusés, réus, arguidos"
        ),
        "stage": "stage, phase, etapa, fase, estado procesal, étape, stade",
        "outcome": ("outcome, result, resultado, decisión, issue, résultat, décision, decisão"),
        "convicted_persons": (
            "convicted, convicted persons, persons convicted, condenados, personas condenadas, "
            "condamnés, personnes condamnées, condenados, pessoas condenadas"
        ),
        "sentence_months": (
            "sentence months, sentence, sentence (months), months, pena, pena (meses), "
            "pena meses, condena, condena (meses), peine, peine (mois), peine mois, "
            "pena em meses, meses, mois"
        ),
        "cooperation": (
            "cooperation, international cooperation, cooperación, cooperación internacional, "
            "coopération, coopération internationale, cooperação, cooperação internacional"
        ),
        "source": _SOURCE,
    },
    "activities": {
        "activity_id": (
            "activity id, id, activity, activity number, id actividad, actividad, "
            "número de actividad, id activité, activité, numéro d'activité, id atividade, "
            "atividade, número da atividade"
        ),
        "start_date": (
            "start, start date, date, from, began, fecha de inicio, fecha inicio, inicio, desde, "
            "fecha, date de début, début, date debut, du, data de início, data inicio, início, "
            "data"
        ),
        "end_date": (
            "end, end date, to, until, ended, fecha de fin, fecha fin, fin, hasta, "
            "fecha de término, date de fin, au, jusqu'au, data de fim, data final, fim, até, "
            "data de término"
        ),
        "countries": (
            "countries, country, country iso3, iso3, países, país, pays, países participantes, "
            "pays participants, participating countries"
        ),
        "type": (
            "type, activity type, kind, tipo, tipo de actividad, type d'activité, "
            "type activite, tipo de atividade"
        ),
        "title": "title, name, activity name, título, titulo, nombre, titre, nom, título, nome",
        "partner": (
            "partner, implementing partner, organisation, organization, socio, socio ejecutor, "
            "organización, partenaire, organisation partenaire, parceiro, organização"
        ),
        "participants": (
            "participants, attendees, number of participants, participantes, asistentes, "
            "número de participantes, nombre de participants, participants (nombre), "
            "número de participantes"
        ),
        "notes": (
            "notes, note, comments, remarks, description, notas, comentarios, observaciones, "
            "descripción, remarques, commentaires, observations, notas, observações, "
            "comentários, descrição"
        ),
        "source": _SOURCE,
    },
}

_UNIT_HEADERS = (
    "unit, units, unit of measure, unidad, unidad de medida, unidades, unité, unite de mesure, "
    "unidade, unidade de medida"
)


def _index(table: TableName) -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS[table]:
        index[key(column)] = column
        for alias in _HEADERS[table].get(column, "").split(","):
            if key(alias):
                index.setdefault(key(alias), column)
    if "quantity_kg" in COLUMNS[table]:
        for alias in _UNIT_HEADERS.split(","):
            index.setdefault(key(alias), UNIT_COLUMN)
    return index


HEADER_ALIASES: dict[TableName, dict[str, str]] = {t: _index(t) for t in _HEADERS}


@dataclass
class HeaderMapping:
    """Which header of the file holds which canonical column."""

    mapped: dict[str, str] = field(default_factory=dict)  # source header -> canonical column
    unknown: list[str] = field(default_factory=list)  # headers ignored
    missing_required: list[str] = field(default_factory=list)  # canonical columns not found
    unit_from_header: dict[str, str] = field(default_factory=dict)  # canonical -> unit ('g')

    def source_of(self, canonical: str) -> str | None:
        """The file's header mapped to `canonical`, if any."""
        for source, target in self.mapped.items():
            if target == canonical:
                return source
        return None


def _match(header: str, table: TableName) -> tuple[str | None, str | None]:
    """(canonical column, unit named in the header) for one header."""
    index = HEADER_ALIASES[table]
    found = index.get(key(header))
    words = _words(header)
    if words and words[-1] in UNIT_FACTORS_KG and "quantity_kg" in COLUMNS[table]:
        base = index.get("".join(words[:-1])) if len(words) > 1 else found
        if "quantity_kg" in (found, base):
            return "quantity_kg", words[-1]
    return found, None


def map_headers(
    columns: Iterable[object],
    table: TableName,
    overrides: dict[str, str] | None = None,
) -> HeaderMapping:
    """Map a file's headers to the canonical columns of `table`.

    `overrides` (source header -> canonical column, or '' to ignore a header) wins over aliases.
    The first header matching a column takes it; later ones are listed as unknown. 'source' is
    never reported missing: the file name stands in for it.
    """
    overrides = overrides or {}
    mapping = HeaderMapping()
    taken: set[str] = set()
    for column in (str(c) for c in columns):
        if column in overrides:
            target, unit = (overrides[column] or None), None
        else:
            target, unit = _match(column, table)
        if target is None or target in taken:
            mapping.unknown.append(column)
            continue
        taken.add(target)
        mapping.mapped[column] = target
        if unit is not None:
            mapping.unit_from_header[target] = unit
    mapping.missing_required = [c for c in REQUIRED[table] if c not in taken and c != "source"]
    return mapping


# ---------------------------------------------------------------------------------------------
# Value aliases: canonical value -> what analysts write

_VALUES: dict[str, dict[str, str]] = {
    "conveyance": {
        "container": (
            "container, containers, contenedor, contenedores, conteneur, conteneurs, contêiner, "
            "conteiner, contentor, contentores, maritime container, contenedor marítimo"
        ),
        "vessel": (
            "vessel, ship, boat, yacht, go fast, gofast, semi submersible, semisubmersible, "
            "buque, barco, lancha, lancha rápida, velero, embarcación, semisumergible, "
            "navire, bateau, voilier, embarcation, navio, barco, embarcação, veleiro, maritime, "
            "marítimo, sea"
        ),
        "air": (
            "air, aircraft, plane, airplane, air passenger, air cargo, aéreo, avión, avioneta, "
            "aérien, avion, aéreo, avião, aeronave, aérea"
        ),
        "land": (
            "land, road, truck, car, vehicle, terrestre, carretera, camión, vehículo, route, "
            "camion, voiture, véhicule, rodoviário, caminhão, veículo, terrestrial"
        ),
        "postal": (
            "postal, post, mail, parcel, courier, correo, paquete, encomienda, poste, colis, "
            "courrier, correio, encomenda, pacote"
        ),
        "unknown": "unknown, desconocido, sin dato, inconnu, desconhecido, nd, n d, na, n a",
    },
    "outcome": {
        "convicted": (
            "convicted, guilty, sentenced, condenado, condenada, condena, culpable, sentenciado, "
            "condamné, condamnée, coupable, condenado, condenação"
        ),
        "acquitted": (
            "acquitted, not guilty, absuelto, absuelta, absolución, acquitté, acquittée, "
            "acquittement, relaxé, absolvido, absolvida, absolvição"
        ),
        "dismissed": (
            "dismissed, withdrawn, archived, archivado, sobreseído, sobreseimiento, desestimado, "
            "classé, classé sans suite, non lieu, arquivado, arquivamento, extinto"
        ),
        "pending": (
            "pending, ongoing, open, in progress, pendiente, en curso, en trámite, abierto, "
            "en cours, en attente, ouvert, pendente, em andamento, em curso, aberto"
        ),
    },
    "stage": {
        "investigation": (
            "investigation, investigación, indagación, enquête, instruction, investigação, "
            "inquérito"
        ),
        "prosecution": (
            "prosecution, charged, acusación, imputación, fiscalía, poursuites, poursuite, "
            "mise en accusation, acusação, denúncia"
        ),
        "trial": "trial, juicio, juzgamiento, audiencia, procès, jugement, julgamento",
        "closed": (
            "closed, finished, cerrado, terminado, concluido, finalizado, clos, clôturé, "
            "terminé, encerrado, concluído, fechado"
        ),
    },
    "cooperation": {
        "none": "none, no, ninguna, ninguno, sin cooperación, aucune, non, nenhuma, não",
        "mla_request": (
            "mla, mla request, mutual legal assistance, asistencia judicial, "
            "asistencia judicial mutua, asistencia judicial recíproca, solicitud de asistencia, "
            "entraide, entraide judiciaire, demande d'entraide, auxílio judiciário, "
            "cooperação jurídica, assistência jurídica mútua"
        ),
        "joint_investigation": (
            "joint investigation, jit, joint investigation team, investigación conjunta, "
            "equipo conjunto de investigación, eci, enquête conjointe, "
            "équipe commune d'enquête, ece, investigação conjunta, equipe conjunta de investigação"
        ),
        "extradition": "extradition, extradición, extradição",
    },
    "type": {
        "training": (
            "training, course, workshop, capacitación, capacitacion, formación, curso, taller, "
            "entrenamiento, formation, atelier, stage, cours, treinamento, capacitação, "
            "formação, oficina"
        ),
        "mentoring": "mentoring, mentorship, mentoría, tutoría, mentorat, tutorat, mentoria",
        "joint_investigation": (
            "joint investigation, jit, joint investigation team, investigación conjunta, "
            "equipo conjunto de investigación, enquête conjointe, équipe commune d'enquête, "
            "investigação conjunta, equipe conjunta de investigação"
        ),
        "legal_assistance": (
            "legal assistance, mutual legal assistance, mla, asistencia jurídica, "
            "asistencia judicial, asistencia legal, entraide judiciaire, assistance juridique, "
            "assistência jurídica, auxílio judiciário"
        ),
        "agreement": (
            "agreement, memorandum, mou, memorandum of understanding, cooperation agreement, "
            "acuerdo, convenio, memorando de entendimiento, accord, convention, "
            "protocole d'accord, acordo, convênio, memorando de entendimento"
        ),
        "equipment": (
            "equipment, donation, equipment donation, equipo, equipamiento, donación, "
            "équipement, don, matériel, equipamento, doação"
        ),
        "other": "other, otro, otra, autre, outro, outra",
    },
    "partner": {
        "unodc": (
            "unodc, onudd, unodoc, united nations office on drugs and crime, "
            "oficina de las naciones unidas contra la droga y el delito, "
            "office des nations unies contre la drogue et le crime, "
            "escritório das nações unidas sobre drogas e crime"
        ),
        "interpol": "interpol, oipc, icpo, oipc interpol, icpo interpol",
        "transparency_international": (
            "transparency international, ti, transparencia internacional, "
            "transparence internationale, transparência internacional"
        ),
        "other": "other, otro, otra, autre, outro, outra",
    },
}

VALUE_ALIASES: dict[str, dict[str, str]] = {}
for _column, _groups in _VALUES.items():
    _table: dict[str, str] = {}
    for _canonical, _names in _groups.items():
        _table[key(_canonical)] = _canonical
        for _name in _names.split(","):
            if key(_name):
                _table.setdefault(key(_name), _canonical)
    VALUE_ALIASES[_column] = _table


def value_alias(column: str, value: object) -> str | None:
    """The canonical value of a coded column ('conveyance', 'outcome', 'stage', 'type'...) that
    `value` names in any of the four languages; None if not recognised."""
    return VALUE_ALIASES.get(column, {}).get(key(value))
