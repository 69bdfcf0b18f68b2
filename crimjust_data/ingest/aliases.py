"""Vocabularies in English, Spanish, French and Portuguese (issues 4 and 16): headers, units,
drug names and coded values.

Headers are matched as words (`header_words`): case, accents, punctuation, separators and stop
words are ignored, so 'CIDADE_APREENSAO', 'Cidade da apreensão' and 'cidade apreensao' are the
same header. The more specific name wins ('UNIDADE_MEDIDA' is the unit, not 'UNIDADE'), and a
caller's content check (`accepts`) decides whether a column named like a unit, country, date or
quantity holds one. A quantity header may carry its unit ('Quantidade (Kg)', 'Sum Qty (lbs)',
'peso_kg'): the unit is noted in `HeaderMapping.unit_from_header` and the values are converted to
kg by the normaliser (`unit_factor`; litres at 1 kg per litre; counts never become kg).
`drug_form` tells the cocaine form a drug name means, or None for anything that is not cocaine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crimjust_data.schemas import COLUMNS, DATE_COLUMNS, DRUGS, REQUIRED, TableName

__all__ = [
    "CHECKED_FIELDS",
    "HEADER_ALIASES",
    "SECONDARY_FIELDS",
    "UK_GALLON_LITRES",
    "UNIT_COLUMN",
    "UNIT_FACTORS_KG",
    "US_GALLON_LITRES",
    "VALUE_ALIASES",
    "HeaderMapping",
    "drug_form",
    "header_unit",
    "header_words",
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
    # metric: 'ton'/'tons' alone is not here, as a US short ton is 907 kg: it is refused
    ("t tn tm tonne tonnes tonelada toneladas metricton metrictons", 1000.0, False),
    ("shortton shorttons", 907.18474, False),
    ("longton longtons", 1016.0469088, False),
    ("lb lbs pound pounds libra libras livre livres", 0.45359237, False),
    ("oz ozs ounce ounces onza onzas once onces onca oncas", 0.028349523125, False),
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
# Header words
#
# A header is compared as words: case, accents, punctuation and separators are ignored and
# camelCase is split ('CIDADE_APREENSAO', 'Cidade da apreensão' and 'cidade apreensao' are the
# words cidade + apreensao); stop words (de, da, of, the...) are dropped unless nothing else is
# left ('Nº', 'Du').

_STOP_WORDS = _wordset(
    "de da do das dos del d l la las le les lo el los of the a em en in na no nas nos et e and "
    "au aux al por per par pour para for"
)


def header_words(text: object) -> tuple[str, ...]:
    """The words a header is matched on ('Data da Apreensão' -> ('data', 'apreensao'),
    'SeizureDate' -> ('seizure', 'date'))."""
    spaced = re.sub(r"(?<=[a-zà-ÿ])(?=[A-Z][a-zà-ÿ])", " ", str(text))  # camelCase, not 'mL'
    words = _words(spaced)
    kept = tuple(w for w in words if w not in _STOP_WORDS)
    return kept or tuple(words)


# ---------------------------------------------------------------------------------------------
# Header aliases: canonical column -> names analysts use, in four languages
#
# Written as prose, separated by commas. '=name' matches only a whole header (a bare noun such as
# 'seizure' or 'code', which inside a longer header means something else: 'Seizure date');
# '~name' is a weak alias, taken only when no header has a normal one ('Departamento' is a
# location only when there is no city or place column). Other names also match a header that
# contains all their words ('Cantidad decomisada' is a quantity).

# Words for 'identifier' or 'code' in the four languages: the id of every table.
_ID = (
    "id, ids, identifier, identificador, identifiant, identificação, identificación, "
    "=code, =codes, =código, =códigos, =cod, =cód, =número, =numéro, =number, =num, =no, =nº, "
    "=n, =nr, =nro, =ref, =reference, =referencia, =référence, =referência, =key, =clave, "
    "=chave, =clé, =record, =registro, =registo, =enregistrement"
)
# 'N° incautación', 'Code de l'affaire', 'Número da atividade': an id word and the thing named
_ID_WORDS = (
    "id n no num nr nro numero number code codigo cod ref reference referencia identifier "
    "identificador identifiant"
)
_SEIZURE_NOUNS = "seizure incautacion decomiso saisie apreensao ocorrencia event incident"
_CASE_NOUNS = "case caso expediente proceso affaire dossier processo"
_ACTIVITY_NOUNS = "activity actividad activite atividade"


def _ids_of(nouns: str) -> str:
    """Every id word beside every noun, in both orders ('id seizure', 'seizure id')."""
    return ", ".join(
        f"{a} {b}" for n in nouns.split() for i in _ID_WORDS.split() for a, b in ((i, n), (n, i))
    )


_COUNTRY = (
    "country, country name, country code, country iso3, country iso, =iso3, =iso, iso code, "
    "iso3 code, reporting country, seizing country, country or territory, country or area, "
    "país, nombre del país, país iso, código país, código del país, código iso, =nación, "
    "país que informa, pays, nom du pays, code pays, code du pays, code iso, pays déclarant, "
    "país code, nome do país, código do país, país declarante"
)
_DRUG = (
    "drug, drug name, drug type, type of drug, drug description, =substance, =product, "
    "droga, tipo de droga, nombre de la droga, sustancia, sustancia incautada, estupefaciente, "
    "tipo de estupefaciente, =producto, drogue, type de drogue, nom de la drogue, substance, "
    "stupéfiant, type de stupéfiant, =produit, substância, substancia, entorpecente, "
    "tipo de entorpecente, narcótico, tipo de narcótico, =produto, tipo de substância"
)
_QUANTITY = (
    "quantity, quantity seized, qty, sum qty, total qty, amount, amount seized, weight, "
    "net weight, gross weight, total weight, =kg, =kgs, =kilos, =kilograms, =kilogramos, "
    "cantidad, cantidad incautada, cantidad decomisada, cantidad total, peso, peso neto, "
    "peso bruto, peso total, quantité, quantité saisie, poids, poids net, poids brut, "
    "quantidade, quantidade apreendida, qtd, qtde, quant, peso líquido, masse, massa, "
    "~volume, ~volumen"
)
# Words that may stand beside a unit in a quantity header ('Kilos incautados', 'Total (kg)')
_QUANTITY_QUALIFIERS = _wordset(
    "total totals sum net gross seized neto neta bruto bruta incautado incautados incautada "
    "incautadas decomisado decomisados decomisada decomisadas brut brute saisi saisis saisie "
    "saisies apreendido apreendidos apreendida apreendidas liquido equivalent equivalente"
)
_SOURCE = (
    "source, data source, =dataset, fuente, fuente de datos, fuente de información, fonte, "
    "origen de los datos, source des données, fonte dos dados, fonte de dados"
)
_UNIT_HEADERS = (
    "unit, units, unit of measure, unit of measurement, measure unit, measurement unit, "
    "drug unit, quantity unit, amount unit, weight unit, =uom, =um, =u m, =measure, unidad, "
    "unidades, unidad de medida, =medida, unidad de peso, unité, unités, unité de mesure, "
    "=mesure, unidade, unidade de medida, unidade de peso"
)
# Headers that are never data for any table, though their words look like some
# ('HIDING_PLACE' is no place; 'UF' and 'AIS' are Brazilian state and police area codes).
_IGNORED = (
    "hiding place, concealment, concealment method, installation, routing, region, subregion, "
    "sub region, dia da semana, día de la semana, day of week, day of the week, weekday, "
    "jour de la semaine, hora, time, heure, hour, horário, horario, uf, ais"
)

_HEADERS: dict[TableName, dict[str, str]] = {
    "seizures": {
        "seizure_id": (
            f"{_ID}, {_ids_of(_SEIZURE_NOUNS)}, "
            "seizure id, seizure number, seizure no, seizure reference, seizure code, "
            "event id, incident id, record id, =seizure, id incautación, =incautación, "
            "número de incautación, código de incautación, id decomiso, =decomiso, "
            "número de decomiso, id saisie, =saisie, numéro de saisie, code de saisie, "
            "id apreensão, =apreensão, número da apreensão, código da apreensão, "
            "id ocorrência, número da ocorrência, boletim de ocorrência"
        ),
        "date": (
            "date, seizure date, date of seizure, incident date, event date, fecha, "
            "fecha de incautación, fecha del decomiso, fecha de la incautación, fecha del hecho, "
            "date de saisie, date de la saisie, date des faits, data, data da apreensão, "
            "data do fato, data da ocorrência"
        ),
        "country_iso3": _COUNTRY,
        "location": (
            "location, place, city, site, town, municipality, locality, place of seizure, "
            "seizure location, lugar, ubicación, localidad, sitio, ciudad, municipio, "
            "lugar de incautación, lugar del decomiso, lieu, localité, ville, commune, "
            "lieu de saisie, local, localização, localidade, cidade, município, "
            "cidade da apreensão, local da apreensão, ~departamento, ~department, ~département, "
            "~province, ~provincia, ~província, ~administrative division, "
            "~división administrativa, ~division administrative, ~divisão administrativa"
        ),
        "latitude": "latitude, latitud, lat, =y, coordinate y, coordenada y",
        "longitude": "longitude, longitud, lon, =long, lng, =x, coordinate x, coordenada x",
        "drug": _DRUG,
        "quantity_kg": _QUANTITY,
        "conveyance": (
            "conveyance, transport, transport mode, mode of transport, means of transport, "
            "type of transport, conveyance type, medio de transporte, modo de transporte, "
            "tipo de transporte, =medio, =modalidad, transporte, moyen de transport, "
            "mode de transport, type de transport, meio de transporte, =meio, =modal"
        ),
        "origin_iso3": (
            "origin, origin country, country of origin, producing country, country of production, "
            "production country, source country, origen, país de origen, país productor, "
            "país de producción, procedencia, país de procedencia, origine, pays d'origine, "
            "pays producteur, pays de production, provenance, pays de provenance, origem, "
            "país de origem, país produtor, procedência, país de procedência"
        ),
        "transit_iso3": (
            "transit, transit country, transit countries, departure country, country of departure, "
            "=departure, =via, tránsito, país de tránsito, países de tránsito, país de salida, "
            "país de partida, pays de transit, pays de départ, trânsito, país de trânsito, "
            "países de trânsito, país de saída"
        ),
        "destination_iso3": (
            "destination, destination country, country of destination, intended destination, "
            "destino, país de destino, destino final, pays de destination, destination finale"
        ),
        "agency": (
            "agency, seizing agency, seizing authority, law enforcement agency, agencia, "
            "institución, entidad, organismo, autoridad, agence, institution, =service, "
            "autorité, agência, instituição, órgão, órgão apreensor, autoridade"
        ),
        "arrests": (
            "arrests, arrested, persons arrested, detenidos, personas detenidas, arrestados, "
            "aprehendidos, capturados, arrestations, personnes arrêtées, interpellations, "
            "interpellés, detidos, pessoas detidas, presos"
        ),
        "source": _SOURCE,
    },
    "annual_seizures": {
        "country_iso3": f"{_COUNTRY}, =code, =codes, =código, =cod, =cód, =iso code",
        "year": (
            "year, reference year, año, anio, año de referencia, ano, ano de referência, année, "
            "annee, année de référence, =period, =periodo, =période"
        ),
        "drug": _DRUG,
        "quantity_kg": (
            f"{_QUANTITY}, =seizures, =seized, total seizures, quantity seized, =incautaciones, "
            "=decomisos, =incautado, =decomisado, =saisies, =saisi, =apreensões, =apreendido"
        ),
        "source": _SOURCE,
    },
    "cases": {
        "case_id": (
            f"{_ID}, {_ids_of(_CASE_NOUNS)}, "
            "case id, =case, case number, case code, case reference, =caso, id caso, "
            "número de caso, código del caso, =expediente, número de expediente, =affaire, "
            "=dossier, numéro de dossier, numéro d'affaire, id affaire, code de l'affaire, "
            "=processo, número do processo, id processo, código do processo"
        ),
        "country_iso3": _COUNTRY,
        "seizure_id": (
            f"{_ids_of(_SEIZURE_NOUNS)}, "
            "=seizure, id incautación, =incautación, id saisie, =saisie, "
            "id apreensão, =apreensão"
        ),
        "opened_date": (
            "opened, opened date, date opened, open date, fecha de apertura, fecha de inicio, "
            "date d'ouverture, data de abertura, data de início"
        ),
        "charged_date": (
            "charged, charged date, date charged, indictment date, fecha de acusación, "
            "fecha de imputación, date d'inculpation, date de mise en accusation, "
            "data da acusação, data da denúncia"
        ),
        "verdict_date": (
            "verdict, verdict date, date of verdict, judgment date, sentence date, "
            "fecha de sentencia, fecha del fallo, date du jugement, date du verdict, "
            "data da sentença"
        ),
        "defendants": (
            "defendants, accused, number of defendants, acusados, imputados, procesados, "
            "prévenus, accusés, réus, arguidos"
        ),
        "stage": "stage, phase, etapa, fase, estado procesal, étape, stade",
        "outcome": "outcome, result, resultado, decisión, issue, résultat, décision, decisão",
        "convicted_persons": (
            "convicted, convicted persons, persons convicted, condenados, personas condenadas, "
            "condamnés, personnes condamnées, pessoas condenadas"
        ),
        "sentence_months": (
            "sentence months, =sentence, sentence (months), =months, =pena, pena (meses), "
            "condena, condena (meses), peine, peine (mois), pena em meses, =meses, =mois"
        ),
        "cooperation": (
            "cooperation, international cooperation, cooperación, cooperación internacional, "
            "coopération, coopération internationale, cooperação, cooperação internacional"
        ),
        "source": _SOURCE,
    },
    "activities": {
        "activity_id": (
            f"{_ID}, {_ids_of(_ACTIVITY_NOUNS)}, "
            "activity id, =activity, activity number, activity code, id actividad, "
            "=actividad, número de actividad, código de actividad, identificador de actividad, "
            "id activité, =activité, numéro d'activité, code de l'activité, "
            "identifiant de l'activité, id atividade, =atividade, número da atividade, "
            "código da atividade, identificador da atividade"
        ),
        "start_date": (
            "start, start date, date, from, began, fecha de inicio, =inicio, =desde, fecha, "
            "date de début, début, du, data de início, =início, data"
        ),
        "end_date": (
            "end, end date, =to, until, ended, fecha de fin, =fin, =hasta, fecha de término, "
            "date de fin, au, jusqu'au, data de fim, data final, =fim, =até, data de término"
        ),
        "countries": (
            "countries, country, country code, country iso3, =iso3, países, país, pays, "
            "países participantes, pays participants, participating countries"
        ),
        "type": (
            "type, activity type, kind, tipo, tipo de actividad, type d'activité, tipo de atividade"
        ),
        "title": "title, name, activity name, título, nombre, titre, nom, nome",
        "partner": (
            "partner, implementing partner, organisation, organization, socio, socio ejecutor, "
            "organización, partenaire, organisation partenaire, parceiro, organização"
        ),
        "participants": (
            "participants, attendees, number of participants, participantes, asistentes, "
            "número de participantes, nombre de participants"
        ),
        "notes": (
            "notes, note, comments, remarks, description, notas, comentarios, observaciones, "
            "descripción, remarques, commentaires, observations, observações, comentários, "
            "descrição"
        ),
        "source": _SOURCE,
    },
}


@dataclass(frozen=True)
class _Alias:
    text: str  # as written, without its mark
    words: tuple[str, ...]
    joined: str  # the words without spaces: 'CIDADE_APREENSAO' and 'cidade da apreensão' meet
    whole_only: bool  # '=name': only a whole header
    weak: bool  # '~name': below every normal alias


def _aliases(names: str) -> list[_Alias]:
    found = []
    for name in _comma_list(names):
        text = name.strip()
        whole_only, weak = text.startswith("="), text.startswith("~")
        text = text.lstrip("=~")
        words = header_words(text)
        if words:
            found.append(_Alias(text, words, "".join(words), whole_only, weak))
    return found


def _fields(table: TableName) -> tuple[str, ...]:
    """The canonical columns of `table`, and the unit of its quantity if it has one."""
    extra = (UNIT_COLUMN,) if "quantity_kg" in COLUMNS[table] else ()
    return (*COLUMNS[table], *extra)


def _vocabulary(table: TableName) -> dict[str, list[_Alias]]:
    vocabulary: dict[str, list[_Alias]] = {}
    for column in _fields(table):
        names = _UNIT_HEADERS if column == UNIT_COLUMN else _HEADERS[table].get(column, "")
        vocabulary[column] = _aliases(f"{column}, {names}")
    return vocabulary


_VOCABULARIES: dict[TableName, dict[str, list[_Alias]]] = {t: _vocabulary(t) for t in _HEADERS}
_IGNORED_KEYS = frozenset(alias.joined for alias in _aliases(_IGNORED))

# `key` of every alias (and of its words without stop words) -> its column, the first column
# naming it: for callers that look a whole header up by `key`
HEADER_ALIASES: dict[TableName, dict[str, str]] = {
    t: {
        found: column
        for column, aliases in reversed(vocabulary.items())
        for alias in reversed(aliases)
        for found in (alias.joined, key(alias.text))
    }
    for t, vocabulary in _VOCABULARIES.items()
}

# Fields whose header is used only if the column's content passes the caller's check
CHECKED_FIELDS = frozenset(
    {
        "quantity_kg",
        UNIT_COLUMN,
        "country_iso3",
        "origin_iso3",
        "transit_iso3",
        "destination_iso3",
        "latitude",
        "longitude",
        *(c for columns in DATE_COLUMNS.values() for c in columns),
    }
)
# Fields a second header may also hold, checked row by row against the first by the caller
# (a country's name and its code). Not transit: several transit columns are several countries.
SECONDARY_FIELDS = frozenset({"country_iso3", "origin_iso3", "destination_iso3"})


# ---------------------------------------------------------------------------------------------
# Units named in a quantity header


# Units that head a quantity column by themselves ('Kg', 'Litros'); not 'g', 't', 'cc' or 'tm',
# which as a whole header are more likely something else.
_UNIT_HEADER_ALONE = (
    frozenset(u for u in UNIT_FACTORS_KG if len(u) > 2 or u in ("kg", "lb", "ml")) | _GALLON_WORDS
)


def _split_unit(header: object) -> tuple[str, tuple[str, ...]] | None:
    """(unit, the header's other words) when a header names a unit: 'Quantidade (Kg)',
    'Sum Qty (lbs)', 'Amount in grams', 'peso_kg', 'Litros', 'Cantidad (unidades)'."""
    text = str(header)
    for bracket in re.finditer(r"[(\[]([^()\[\]]*)[)\]]", text):
        inner = " ".join(_words(bracket[1]))
        unitish = [w for w in inner.split() if unit_factor(w) is not None or is_count_unit(w)]
        if inner and (unit_factor(inner) is not None or is_count_unit(inner) or len(unitish) > 1):
            # 'kg/unidades' is kept whole: no factor, so refused rather than read as kg
            rest = header_words(text[: bracket.start()] + " " + text[bracket.end() :])
            return inner, rest
    words = header_words(text)
    for size in (3, 2, 1):  # the longest unit first: 'us gallons' before 'gallons'
        for start in range(len(words) - size + 1):
            unit = " ".join(words[start : start + size])
            rest = words[:start] + words[start + size :]
            if unit_factor(unit) is None or (not rest and unit not in _UNIT_HEADER_ALONE):
                continue
            if start and words[start - 1].isdigit():  # 'Quantity (1000 kg)': no factor known
                unit = f"{words[start - 1]} {unit}"
                rest = words[: start - 1] + words[start + size :]
            return unit, rest
    return None


def header_unit(header: object) -> str | None:
    """The unit a quantity header names ('Quantidade (Kg)' -> 'kg', 'Sum Qty (lbs)' -> 'lbs',
    'Amount in grams' -> 'grams', 'Cantidad (unidades)' -> 'unidades'); None if it names none.
    A count in units is recognised only in brackets: 'Unidades' alone heads a unit column."""
    found = _split_unit(header)
    return found[0] if found else None


# ---------------------------------------------------------------------------------------------
# Header mapping

# How well a header matches a column: (whole header matched, normal alias, alias words)
_Score = tuple[int, int, int]


def _score(words: tuple[str, ...], aliases: list[_Alias]) -> _Score | None:
    joined, present = "".join(words), set(words)
    best: _Score | None = None
    for alias in aliases:
        if joined == alias.joined:
            score = (1, int(not alias.weak), len(alias.words))
        elif not alias.whole_only and present.issuperset(alias.words):
            score = (0, int(not alias.weak), len(alias.words))
        else:
            continue
        if best is None or score > best:
            best = score
    return best


def _candidates(header: str, table: TableName) -> list[tuple[_Score, str]]:
    """Every column `header` could be by its name, with how well it matches."""
    words = header_words(header)
    if not words or "".join(words) in _IGNORED_KEYS:
        return []
    found = []
    for column, aliases in _VOCABULARIES[table].items():
        score = _score(words, aliases)
        if column == "quantity_kg" and (split := _split_unit(header)) is not None:
            rest = split[1]
            if not rest or all(w in _QUANTITY_QUALIFIERS for w in rest):
                with_unit: _Score | None = (1, 1, 1)  # 'Kilos', 'Total (kg)'
            else:
                with_unit = _score(rest, aliases)
            if with_unit is not None and (score is None or with_unit > score):
                score = with_unit
        if score is not None:
            found.append((score, column))
    return found


@dataclass
class HeaderMapping:
    """Which header of the file holds which canonical column."""

    mapped: dict[str, str] = field(default_factory=dict)  # source header -> canonical column
    unknown: list[str] = field(default_factory=list)  # headers used for nothing
    missing_required: list[str] = field(default_factory=list)  # canonical columns not found
    unit_from_header: dict[str, str] = field(default_factory=dict)  # canonical -> unit ('g')
    # header -> column already held by a more specific header, that this one may also hold
    # (a country's code beside its name): to be checked row by row against the first
    secondary: dict[str, str] = field(default_factory=dict)
    # header -> the column its name suggested, which its content did not pass
    rejected: dict[str, str] = field(default_factory=dict)

    def source_of(self, canonical: str) -> str | None:
        """The file's header mapped to `canonical`, if any."""
        for source, target in self.mapped.items():
            if target == canonical:
                return source
        return None


def map_headers(
    columns: Iterable[object],
    table: TableName,
    overrides: dict[str, str] | None = None,
    accepts: Callable[[str, str], bool] | None = None,
) -> HeaderMapping:
    """Map a file's headers to the canonical columns of `table` (and UNIT_COLUMN).

    `overrides` (source header -> canonical column, or '' to ignore a header) wins over
    everything. The other headers are matched by name: a whole-header match above a match of
    words, a normal alias above a weak one, more alias words above fewer ('UNIDADE_MEDIDA' is
    the unit before 'UNIDADE'); the best pairs are taken first, one column per header and one
    header per column. `accepts(header, column)`, the caller's content check, is asked for the
    CHECKED_FIELDS: a header it refuses is not used for that column (it may take another), and
    the next candidate may take the column. A header matching a SECONDARY_FIELDS column already
    taken, whose content passes, is `secondary`; one whose content did not pass is `rejected`;
    the rest are `unknown`. Without `accepts` every content passes. 'source' is never reported
    missing: the file name stands in for it.
    """
    headers = list(dict.fromkeys(str(c) for c in columns))
    overrides = overrides or {}
    mapping = HeaderMapping()
    assigned: dict[str, str] = {}  # header -> column
    holder: dict[str, str] = {}  # column -> header
    for header in headers:
        target = overrides.get(header)
        if target and target not in holder:
            assigned[header], holder[target] = target, header

    verdicts: dict[tuple[str, str], bool] = {}

    def passes(header: str, column: str) -> bool:
        if accepts is None or column not in CHECKED_FIELDS:
            return True
        if (header, column) not in verdicts:
            verdicts[header, column] = bool(accepts(header, column))
        return verdicts[header, column]

    order = {column: i for i, column in enumerate(_fields(table))}
    pairs = [
        (score, index, order[column], header, column)
        for index, header in enumerate(headers)
        if header not in overrides
        for score, column in _candidates(header, table)
    ]
    pairs.sort(key=lambda p: (tuple(-s for s in p[0]), p[1], p[2]))
    refused: dict[str, str] = {}  # header -> the best column its content did not pass
    for __, __, __, header, column in pairs:
        if header in assigned or column in holder:
            continue
        if not passes(header, column):
            refused.setdefault(header, column)
            continue
        assigned[header], holder[column] = column, header
    for __, __, __, header, column in pairs:
        if header in assigned or header in mapping.secondary or column not in SECONDARY_FIELDS:
            continue
        if column in holder:
            if passes(header, column):
                mapping.secondary[header] = column
            else:
                refused.setdefault(header, column)

    mapping.mapped = {h: assigned[h] for h in headers if h in assigned}
    mapping.rejected = {
        h: refused[h]
        for h in headers
        if h in refused and h not in assigned and h not in mapping.secondary
    }
    mapping.unknown = [
        h
        for h in headers
        if h not in assigned and h not in mapping.secondary and h not in mapping.rejected
    ]
    quantity = holder.get("quantity_kg")
    if quantity is not None and (unit := header_unit(quantity)) is not None:
        mapping.unit_from_header["quantity_kg"] = unit
    mapping.missing_required = [c for c in REQUIRED[table] if c not in holder and c != "source"]
    return mapping


# ---------------------------------------------------------------------------------------------
# Value aliases: canonical value -> what analysts write

_VALUES: dict[str, dict[str, str]] = {
    # The Individual Drug Seizures' TRANSPORT values ('Commercial air', 'Private road',
    # 'Commercial sea', 'Mail'...) and what national files write, in four languages.
    "conveyance": {
        "container": (
            "container, containers, sea container, maritime container, shipping container, "
            "container ship, contenedor, contenedores, contenedor marítimo, conteneur, "
            "conteneurs, conteneur maritime, contêiner, contêineres, conteiner, contentor, "
            "contentores"
        ),
        "vessel": (
            "vessel, ship, boat, yacht, go fast, gofast, semi submersible, semisubmersible, "
            "sea, maritime, commercial sea, private sea, sea freight, fishing vessel, "
            "buque, barco, lancha, lancha rápida, velero, embarcación, semisumergible, "
            "mar, marítimo, marítima, marítimo comercial, marítimo privado, barco pesquero, "
            "navire, bateau, voilier, embarcation, mer, maritime commercial, maritime privé, "
            "bateau de pêche, navio, embarcação, veleiro, marítimo, barco de pesca"
        ),
        "air": (
            "air, aircraft, plane, airplane, air passenger, air passengers, air cargo, "
            "air freight, commercial air, private air, aéreo, aérea, avión, avioneta, "
            "aéreo comercial, aéreo privado, carga aérea, vía aérea, aérien, aérienne, avion, "
            "fret aérien, aérien commercial, aérien privé, voie aérienne, avião, aeronave, "
            "via aérea"
        ),
        "land": (
            "land, road, truck, lorry, car, bus, vehicle, rail, railway, train, pedestrian, "
            "on foot, foot, private road, commercial road, terrestrial, terrestre, carretera, "
            "vía terrestre, camión, vehículo, automóvil, coche, autobús, ferrocarril, tren, "
            "peatón, a pie, terrestre comercial, terrestre privado, route, routier, routière, "
            "camion, voiture, véhicule, autocar, ferroviaire, piéton, à pied, voie terrestre, "
            "rodoviário, rodoviária, rodovia, caminhão, veículo, carro, ônibus, ferroviário, "
            "trem, pedestre, a pé, via terrestre"
        ),
        "postal": (
            "postal, post, mail, express mail, parcel, parcels, courier, express courier, "
            "correo, correo postal, correo expreso, paquete, paquete postal, encomienda, "
            "mensajería, poste, colis, colis postal, courrier, courrier express, envoi postal, "
            "correio, correios, encomenda, pacote, remessa postal, sedex"
        ),
        "unknown": (
            "unknown, not known, other, others, unspecified, not specified, nd, n d, na, n a, "
            "desconocido, no conocido, sin dato, sin información, otro, otros, "
            "no especificado, inconnu, non connu, autre, autres, non précisé, non spécifié, "
            "desconhecido, não conhecido, outro, outros, não informado, não especificado, "
            "sem informação"
        ),
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


# Words that qualify a conveyance without changing it ('Transporte aéreo comercial' is air)
_CONVEYANCE_QUALIFIERS = _wordset(
    "commercial private transport transportation by via mode means comercial privado privada "
    "particular transporte medio modo commerciale prive privee moyen meio de del da do des du "
    "la el le the por par em en"
)


def value_alias(column: str, value: object) -> str | None:
    """The canonical value of a coded column ('conveyance', 'outcome', 'stage', 'type'...) that
    `value` names in any of the four languages; None if not recognised. A conveyance is also
    recognised by its words ('Transporte aéreo comercial' -> air) when they all agree."""
    table = VALUE_ALIASES.get(column, {})
    found = table.get(key(value))
    if found is not None or column != "conveyance":
        return found
    words = [w for w in _words(str(value)) if w not in _CONVEYANCE_QUALIFIERS]
    found = table.get("".join(words)) if words else None
    if found is not None:
        return found
    meanings = {table.get(w) for w in words}
    return meanings.pop() if len(meanings) == 1 else None  # every word means one, and the same
