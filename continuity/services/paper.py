"""Pre-numbered blank admission forms: reserving their numbers, and checking one keyed back in.

When IT or a ward prints a stock of blank forms, each page carries a number
taken from this workstation's block, recorded here as reserved on paper. When
the outage is over (or the workstation is back), staff key each filled form in:
its number must carry a valid check digit, have been reserved here, and never
have been keyed in before; it then becomes the patient's provisional IPP, so
the paper and the record share one identifier.
"""

from __future__ import annotations

import uuid

from continuity.domain.records import PaperForm
from continuity.domain.users import Permission
from continuity.errors import Conflict, IdentifiersExhausted, InvalidInput, NotFound
from continuity.ids import format_id, parse_id
from continuity.services._common import require_uf
from continuity.session import Session

MAX_FORMS_PER_BATCH = 2000


def reserve_blank_forms(session: Session, uf_code: str, count: int) -> list[PaperForm]:
    """Take ``count`` numbers for blank forms of a UF, in one transaction."""
    uf = require_uf(session, uf_code)
    session.require(Permission.RESERVE_PAPER_FORMS, uf)
    if not 1 <= count <= MAX_FORMS_PER_BATCH:
        raise InvalidInput(
            f"Nombre de formulaires invalide : entre 1 et {MAX_FORMS_PER_BATCH}.",
            f"Invalid number of forms: between 1 and {MAX_FORMS_PER_BATCH}.",
        )
    store = session.store
    left = store.reference.remaining_numbers()
    if left < count:
        raise IdentifiersExhausted(
            f"Il ne reste que {left} numéro(s) provisoire(s) sur ce poste pour {count} "
            "formulaire(s) : imprimez-en moins ou demandez un nouveau bloc à l'informatique.",
            f"Only {left} provisional number(s) left on this workstation for {count} form(s): "
            "print fewer or ask IT for a new block.",
        )
    batch = str(uuid.uuid4())
    now = session.clock()
    forms: list[PaperForm] = []
    with store.transaction():
        for _ in range(count):
            form = PaperForm(
                number=format_id(store.reference.allocate_number()),
                uf_code=uf,
                batch=batch,
                reserved_at=now,
                reserved_by=session.actor,
            )
            store.paper.insert_paper_form(form)
            forms.append(form)
        store.audit.append_audit(
            session.actor,
            "paper.reserve",
            "paper_batch",
            batch,
            1,
            {"uf_code": uf, "count": count, "first": forms[0].number, "last": forms[-1].number},
        )
    return forms


def ufs_for_blank_forms(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the UFs this user may print blank forms for."""
    return [
        (code, name)
        for code, name in session.store.reference.list_ufs()
        if session.user.can(Permission.RESERVE_PAPER_FORMS, code)
    ]


def check_paper_form(session: Session, text: str) -> PaperForm:
    """The reserved, not yet keyed-in form whose number was scanned or typed."""
    session.require(Permission.RECORD_MOVEMENTS)
    number = format_id(parse_id(text))
    form = session.store.paper.paper_form(number)
    if form is None:
        raise NotFound(
            "Ce numéro n'a pas été imprimé sur un formulaire papier de ce poste : vérifiez la "
            "saisie, ou saisissez le formulaire sur le poste qui l'a imprimé.",
            "This number was not printed on a paper form by this workstation: check what was "
            "typed, or key the form in on the workstation that printed it.",
        )
    if form.used_at is not None:
        when = form.used_at.astimezone().strftime("%d/%m/%Y %H:%M")
        raise Conflict(
            f"Ce formulaire papier a déjà été saisi le {when} par {form.used_by} : "
            "il ne peut pas l'être deux fois.",
            f"This paper form was already keyed in on {when} by {form.used_by}: it cannot be keyed in twice.",
        )
    return form


def unused_counts(session: Session) -> dict[str, int]:
    """Blank forms printed and not yet keyed in, per UF (for the crisis cell and doctor)."""
    session.require(Permission.READ_STATUS)
    return session.store.paper.count_unused_paper_forms()
