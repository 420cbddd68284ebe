"""Turn pydantic validation errors into bilingual ``InvalidInput`` errors.

Domain validators raise ``PydanticCustomError`` with a code from ``MESSAGES``;
pydantic's own error types get a French/English wording here as well, so no
English-only library text ever reaches a ward nurse.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from continuity.errors import Detail, FieldError, InvalidInput

# What a pattern declared for the HIS's identifiers may use (``continuity.his_ids.check_pattern``).
PATTERN_RULE = (
    "caractères, classes [..], \\d \\w, et leurs répétitions {m,n} ? * + ; ni groupes, ni "
    "alternatives |, ni références arrière, ni répétitions imbriquées",
    "characters, classes [..], \\d \\w, and their repetitions {m,n} ? * +; no groups, no "
    "alternation |, no backreferences, no nested repetitions",
)

M = TypeVar("M", bound=BaseModel)

# code -> (French, English); templates may use {placeholders} from the error context.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("champ obligatoire", "required field"),
    "string_too_short": ("trop court", "too short"),
    "string_too_long": (
        "trop long (au plus {max_length} caractères)",
        "too long (at most {max_length} characters)",
    ),
    "too_short": ("au moins {min_length} valeur(s) attendue(s)", "at least {min_length} value(s) expected"),
    "too_long": ("au plus {max_length} valeur(s)", "at most {max_length} value(s)"),
    "date_parsing": (
        "date invalide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)",
        "invalid date (expected YYYY-MM-DD or DD/MM/YYYY)",
    ),
    "date_from_datetime_parsing": ("date invalide", "invalid date"),
    "date_type": ("date invalide", "invalid date"),
    "datetime_parsing": ("date et heure invalides", "invalid date and time"),
    "datetime_from_date_parsing": ("date et heure invalides", "invalid date and time"),
    "timezone_aware": ("fuseau horaire manquant", "time zone missing"),
    "enum": ("valeur non reconnue (attendu : {expected})", "unknown value (expected: {expected})"),
    "literal_error": ("valeur non reconnue (attendu : {expected})", "unknown value (expected: {expected})"),
    "string_type": ("texte attendu", "text expected"),
    "int_parsing": ("nombre entier attendu", "whole number expected"),
    "int_type": ("nombre entier attendu", "whole number expected"),
    "bool_parsing": ("oui/non attendu", "yes/no expected"),
    "list_type": ("liste attendue", "list expected"),
    "extra_forbidden": ("champ inconnu", "unknown field"),
    "string_pattern_mismatch": ("format invalide", "invalid format"),
    "name.chars": (
        "caractères non autorisés : lettres, espace, tiret et apostrophe seulement",
        "characters not allowed: letters, space, hyphen and apostrophe only",
    ),
    "name.empty": ("doit contenir au moins une lettre", "must contain at least one letter"),
    "date.future": ("date dans le futur", "date in the future"),
    "date.too_old": ("date antérieure à {min_year} : impossible", "date before {min_year}: impossible"),
    "insee.format": (
        "code INSEE invalide (5 caractères, ex. 76540 ou 2A004)",
        "invalid INSEE code (5 characters, e.g. 76540 or 2A004)",
    ),
    "ins.invalid": (
        "matricule INS invalide (15 chiffres, clé de contrôle)",
        "invalid INS number (15 digits with check key)",
    ),
    "ins.sex": ("le matricule INS ne correspond pas au sexe", "INS number does not match the sex"),
    "ins.birth": (
        "le matricule INS ne correspond pas à la date de naissance",
        "INS number does not match the birth date",
    ),
    "ins.birth_place": (
        "le matricule INS ne correspond pas au lieu de naissance (code INSEE)",
        "INS number does not match the birth place (INSEE code)",
    ),
    "ins.required": ("le statut {status} exige un matricule INS", "status {status} requires an INS number"),
    "placeholder.status": (
        "une identité d'attente (inconnu) reste provisoire",
        "a placeholder (unknown) identity must stay provisional",
    ),
    "identity.doubtful_fictitious": (
        "une identité ne peut pas être à la fois douteuse et fictive",
        "an identity cannot be both doubtful and fictitious",
    ),
    "identity.attribute_status": (
        "une identité douteuse ou fictive reste provisoire",
        "a doubtful or fictitious identity stays provisional",
    ),
    "placeholder.word": (
        "un seul mot de lettres (au plus {max_length} ; ni espace, ni tiret, ni chiffre)",
        "one word of letters (at most {max_length}; no space, hyphen or digit)",
    ),
    "placeholder.duplicate": ("mot en double : {word}", "duplicate word: {word}"),
    "code.format": (
        "code invalide (lettres majuscules, chiffres, tiret ; 1 à 20 caractères)",
        "invalid code (capital letters, digits, hyphen; 1 to 20 characters)",
    ),
    "username.format": (
        "identifiant invalide (2 à 32 caractères : a-z, 0-9, point, tiret, souligné)",
        "invalid user name (2 to 32 characters: a-z, 0-9, dot, hyphen, underscore)",
    ),
    "duplicate.code": ("code en double : {code}", "duplicate code: {code}"),
    "block.order": ("bloc d'identifiants vide ou inversé", "empty or reversed identifier block"),
    "block.range": ("bloc d'identifiants hors de 1..999999999", "identifier block outside 1..999999999"),
    "block.overlap": (
        "les blocs d'identifiants de {a} et {b} se chevauchent",
        "identifier blocks of {a} and {b} overlap",
    ),
    "ufs.required": ("le rôle soignant exige au moins une UF", "ward staff role requires at least one UF"),
    "text.blank": ("texte vide", "empty text"),
    "text.control": (
        "caractère de contrôle non autorisé ({char})",
        "control character not allowed ({char})",
    ),
    "his_id.pattern": (
        "expression régulière invalide ou non admise (seulement : " + PATTERN_RULE[0] + ")",
        "invalid or unsafe regular expression (only: " + PATTERN_RULE[1] + ")",
    ),
    "movement.fields": ("{detail_fr}", "{detail_en}"),
    "his.emergency_uf": (
        "UF d'urgence {code} inconnue du site ([his] emergency_ufs)",
        "emergency UF {code} is not a UF of the site ([his] emergency_ufs)",
    ),
    "signing_key.format": (
        "clé de signature invalide (clé publique base64 de 44 caractères, ou empreinte de 8 groupes "
        "de 4 chiffres hexadécimaux)",
        "invalid signing key (44-character base64 public key, or a fingerprint of 8 groups of 4 "
        "hexadecimal digits)",
    ),
    "ins.oid": (
        "domaine d'INS inconnu (OID 1.2.250.1.213.1.4.8, .9, .10 ou .11)",
        "unknown INS domain (OID 1.2.250.1.213.1.4.8, .9, .10 or .11)",
    ),
    "his.kits_own": (
        "{name} : c'est le nom des propres identifiants provisoires du kit (CONTINUITE…, "
        "urn:continuite:…), pas celui du DPI",
        "{name}: that is the name of the kit's own provisional identifiers (CONTINUITE…, "
        "urn:continuite:…), not the HIS's",
    ),
    "oid.format": (
        "OID invalide (chiffres séparés par des points, par exemple 1.2.250.1.999.1.1)",
        "invalid OID (numbers separated by dots, for example 1.2.250.1.999.1.1)",
    ),
    "oid.same_domain": (
        "{first} et {second} ont le même OID : un OID nomme un seul domaine d'identifiants",
        "{first} and {second} have the same OID: one OID names one identifier domain",
    ),
    "oid.ins": (
        "{name} : OID de l'INS, jamais celui d'un domaine de l'établissement",
        "{name}: an OID of the INS, never that of a domain of the establishment",
    ),
    "finess.format": (
        "numéro FINESS invalide (9 caractères : département puis 7 chiffres)",
        "invalid FINESS number (9 characters: département then 7 digits)",
    ),
    "endpoint.format": (
        "destination invalide (mllp://hôte:port, mllps://…, fhir+https://…, file:DOSSIER)",
        "invalid endpoint (mllp://host:port, mllps://…, fhir+https://…, file:FOLDER)",
    ),
    "device_id.format": (
        "identifiant d'appareil Syncthing invalide (56 caractères A-Z et 2-7, en 8 groupes de 7 "
        "séparés par des tirets)",
        "invalid Syncthing device ID (56 characters A-Z and 2-7, in 8 groups of 7 separated by dashes)",
    ),
    "device_id.check": (
        "identifiant d'appareil Syncthing mal recopié (caractère de contrôle faux)",
        "Syncthing device ID mistyped (wrong check character)",
    ),
    "syncthing_address.format": (
        "adresse Syncthing invalide (tcp://ADRESSE:PORT, ex. tcp://10.99.0.11:22000)",
        "invalid Syncthing address (tcp://ADDRESS:PORT, e.g. tcp://10.99.0.11:22000)",
    ),
    "syncthing.duplicate_device": (
        "appareil Syncthing déclaré deux fois : {device}",
        "Syncthing device declared twice: {device}",
    ),
    "syncthing.workstation": (
        "poste {code} absent du fichier de site",
        "workstation {code} not in the site file",
    ),
}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "birth_name": ("nom de naissance", "birth name"),
    "used_name": ("nom utilisé", "used name"),
    "first_names": ("prénoms de naissance", "first names"),
    "used_first_name": ("prénom utilisé", "used first name"),
    "birth_date": ("date de naissance", "birth date"),
    "sex": ("sexe", "sex"),
    "birth_place_insee": ("lieu de naissance (INSEE)", "birth place (INSEE)"),
    "ins": ("matricule INS", "INS number"),
    "ins_unverified": ("matricule INS (non vérifié)", "INS number (unverified)"),
    "ins_oid": ("domaine de l'INS", "INS domain"),
    "birth_place_name": ("commune de naissance", "town of birth"),
    "collection_mode": ("mode de recueil de l'identité", "identity collection mode"),
    "document_type": ("justificatif d'identité", "identity document"),
    "insi_queried_on": ("date d'interrogation INSi", "INSi query date"),
    "doubtful": ("identité douteuse", "doubtful identity"),
    "fictitious": ("identité fictive", "fictitious identity"),
    "document_expires_on": ("date d'expiration du justificatif", "identity document expiry date"),
    "validated_by": ("identité validée par", "identity validated by"),
    "validated_on": ("identité validée le", "identity validated on"),
    "finess": ("DPI : numéro FINESS", "HIS: FINESS number"),
    "ipp_oid": ("DPI : OID du domaine des IPP", "HIS: OID of the IPP domain"),
    "nda_oid": ("DPI : OID du domaine des NDA", "HIS: OID of the NDA domain"),
    "movement_oid": ("DPI : OID des identifiants de mouvement", "HIS: OID of the movement ids"),
    "provisional_ipp_oid": ("OID des IPP provisoires du kit", "OID of the kit's provisional IPPs"),
    "provisional_nda_oid": ("OID des NDA provisoires du kit", "OID of the kit's provisional NDAs"),
    "status": ("statut", "status"),
    "ipp": ("IPP", "IPP"),
    "code": ("code", "code"),
    "name": ("nom", "name"),
    "username": ("identifiant", "user name"),
    "role": ("rôle", "role"),
    "ufs": ("UF", "UF"),
    "text": ("texte", "text"),
    "at": ("date et heure", "date and time"),
    "endpoint": ("DPI : destination", "HIS: endpoint"),
    "exercise_endpoint": ("DPI : destination d'exercice", "HIS: exercise endpoint"),
    "idle_lock_minutes": ("verrouillage après inactivité (minutes)", "idle lock (minutes)"),
    "snapshot_max_age_hours": ("âge maximal de l'instantané (heures)", "snapshot maximum age (hours)"),
    "undo_hours": ("délai d'annulation d'un mouvement (heures)", "undo window of a movement (hours)"),
    "placeholder_name": ("nom des identités d'attente", "placeholder name"),
    "placeholder_words": ("mots des identités d'attente", "placeholder words"),
    "estimated_birth_year": ("année de naissance estimée", "estimated birth year"),
    "ipp_pattern": ("DPI : format des IPP", "HIS: IPP pattern"),
    "nda_pattern": ("DPI : format des NDA", "HIS: NDA pattern"),
    "authority": ("DPI : autorité d'affectation", "HIS: assigning authority"),
    "ipp_system": ("DPI : système des IPP", "HIS: IPP system"),
    "nda_system": ("DPI : système des NDA", "HIS: NDA system"),
    "note": ("note", "note"),
    "display_name": ("nom affiché", "display name"),
    "reason": ("motif", "reason"),
    "destination_detail": ("précision sur la destination", "destination detail"),
}


def custom(error_code: str, /, **ctx: Any) -> PydanticCustomError:
    """Build a validator error whose code has a bilingual message in ``MESSAGES``."""
    return PydanticCustomError(error_code, MESSAGES[error_code][1], ctx)


def _render(code: str, ctx: dict[str, Any] | None, fallback: str) -> tuple[str, str]:
    fr, en = MESSAGES.get(code, (fallback, fallback))
    values = ctx or {}
    try:
        return fr.format(**values), en.format(**values)
    except (KeyError, IndexError):
        return fr, en


# Errors of a whole record (a model validator: no field in their location), by the field
# they are about, for a form to show them by that field's input.
CODE_FIELDS: dict[str, str] = {
    "ins.sex": "ins",
    "ins.birth": "ins",
    "ins.birth_place": "ins",
    "ins.required": "ins",
    "placeholder.status": "status",
    "identity.doubtful_fictitious": "doubtful",
    "identity.attribute_status": "status",
}


# A field kept under another name than the form's input it came from.
INPUT_OF_FIELD: dict[str, str] = {"ins_unverified": "ins"}


def bilingual_error(exc: ValidationError, what_fr: str, what_en: str) -> InvalidInput:
    details: list[Detail] = []
    fields: list[FieldError] = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = [str(p) for p in err["loc"]]
        field = next((p for p in loc if p in FIELD_LABELS), loc[0] if loc else "")
        label_fr, label_en = FIELD_LABELS.get(field, (field, field))
        fr, en = _render(err["type"], err.get("ctx"), err["msg"])
        inline_fr, inline_en = fr, en  # under the field's input: no need to name it
        if len(loc) > 1 and loc[-1].isdigit():
            number = int(loc[-1]) + 1
            label_fr, label_en = f"{label_fr} n°{number}", f"{label_en} #{number}"
            inline_fr, inline_en = f"n°{number} : {fr}", f"#{number}: {en}"
        details.append((f"{label_fr} : {fr}", f"{label_en}: {en}") if field else (fr, en))
        where = INPUT_OF_FIELD.get(field, field) or CODE_FIELDS.get(err["type"], "")
        fields.append(FieldError(where, inline_fr, inline_en))
    return InvalidInput(
        f"{what_fr} : saisie invalide.", f"{what_en}: invalid input.", details=details, fields=fields
    )


def build(model: type[M], data: dict[str, Any], what_fr: str, what_en: str) -> M:
    """Validate ``data`` into ``model`` or raise a bilingual ``InvalidInput``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise bilingual_error(exc, what_fr, what_en) from None
