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

from crimjust_data.schemas import COLUMNS, REQUIRED, TableName

__all__ = [
    "HEADER_ALIASES",
    "UNIT_COLUMN",
    "UNIT_FACTORS_KG",
    "VALUE_ALIASES",
    "HeaderMapping",
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


# ---------------------------------------------------------------------------------------------
# Units of quantity

UNIT_FACTORS_KG: dict[str, float] = {}
for _names, _factor in (
    (
        "kg kgs kilo kilos kilogram kilograms kilogramme kilogrammes kilogramo kilogramos "
        "quilo quilos quilograma quilogramas",
        1.0,
    ),
    ("g gr grs gram grams gramme grammes gramo gramos grama gramas", 0.001),
    ("t tn tm ton tons tonne tonnes tonelada toneladas", 1000.0),
    ("lb lbs pound pounds libra libras livre livres", 0.45359237),
):
    for _name in _names.split():
        UNIT_FACTORS_KG[_name] = _factor


def unit_factor(unit: object) -> float | None:
    """kg per one `unit` ('g' -> 0.001, 'toneladas' -> 1000, 'lbs' -> 0.4536); None if unknown."""
    return UNIT_FACTORS_KG.get(key(unit))


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
