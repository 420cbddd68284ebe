"""Render every screen of the desktop app on the demo site, at 1366x768 and 1024x768, to
docs/screenshots/<size>/NN-name.png.

Run: ``make screenshots`` (or ``python docs/make_screenshots.py``; ``--only instructions``
shoots again only the pictures of that part, the others stay). Each size is shot in
its own process: on a real X server (Xvfb at that size, the openbox window manager, as
tests/x11/ do) when the tools are installed, so the window is maximised by a real window
manager and the pictures are the whole screen, frames and dialogs included; otherwise
offscreen on a screen of that size (the window and each dialog alone, no frame). The demo
site is provisioned in a temporary folder, so nothing here touches real data.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

if __name__ == "__main__" and "--size" not in sys.argv:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the driver itself shows nothing

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app import theme
from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from app.main_window import MainWindow
from app.movement_dialogs import CorrectMovementDialog, DischargeDialog, TransferDialog
from app.paper_entry import PaperEntryDialog
from app.settings import Settings
from continuity.domain.crisis import DegradedStatus, LogCategory
from continuity.domain.identity import IdentityStatus
from continuity.domain.records import PatientSummary
from continuity.provisioning import provision_demo
from continuity.services import crisis, undo
from continuity.session import Workspace

SCREENSHOTS = Path(__file__).parent / "screenshots"
SIZES = ("1366x768", "1024x768")
# A synthetic INS Datamatrix (ANS layout: IS01 header, S1 INS ... S7 birth place; GS between
# the variable fields): a woman born in May 1982 in Rouen, no real person.
DEMO_DATAMATRIX = (
    "IS01" + "0" * 22 + "S1282057654004275S21.2.250.1.213.1.4.8\x1dS3CAMILLE LOUISE\x1dS4BERTIN\x1d"
    "S5FS614-05-1982S776540"
)
OUT = SCREENSHOTS  # this size's folder (set by main)
ON_X11 = False  # shots of the whole X screen (xwd), else of the widget alone


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait(condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    waited = 0
    while not condition() and waited < timeout_ms:
        settle(50)
        waited += 50
    if not condition():
        raise SystemExit("screen did not become ready in time")


def shot(widget: QWidget, name: str, alone: bool = False) -> None:
    """The whole X screen (``ON_X11``), else the widget; ``alone``: the widget in any case."""
    settle()
    path = OUT / f"{name}.png"
    if ON_X11 and not alone:
        from tests.x11.xsession import XSession

        settle(300)  # the X server has drawn what Qt sent
        XSession.attach(os.environ["DISPLAY"]).screenshot(path)
    else:
        widget.grab().save(str(path))
    print(path)


def login(win: MainWindow, user: str, password: str) -> None:
    if win.controller.is_unlocked:
        win.controller.lock()
    settle()
    win.unlock_view.username.setText(user)
    win.unlock_view.password.setText(password)
    win.unlock_view.button.click()
    wait(lambda: win.stack.currentIndex() == 1)
    wait(lambda: not win.controller.executor.busy)


def seed_crisis(workspace: Workspace) -> None:
    with workspace.unlock("crise", "demo-crise-2026") as session:
        crisis.set_status(session, "DPI", DegradedStatus.DEGRADED, "Cyberattaque : DPI arrêté")
        crisis.set_status(session, "GAM", DegradedStatus.DEGRADED, "Serveurs isolés")
        crisis.set_status(session, "LABO", DegradedStatus.RECOVERY, "Résultats sur papier")
        crisis.set_status(session, "URG", DegradedStatus.DEGRADED, "Procédure papier")
        for text, cat in (
            ("Déclenchement de la cellule de crise", LogCategory.DECISION),
            ("Bascule des urgences en procédure dégradée", LogCategory.ACTION),
            ("Point de situation à 14 h avec l'ARS", LogCategory.INFO),
            ("Imprimantes du 2e étage hors service", LogCategory.ALERT),
        ):
            crisis.add_log_entry(session, text, cat)


W = TypeVar("W", bound=QWidget)


def _top(kind: type[W], name: str | None = None) -> W:
    wait(
        lambda: any(
            isinstance(w, kind) and w.isVisible() and (name is None or w.objectName() == name)
            for w in QApplication.topLevelWidgets()
        )
    )
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, kind) and w.isVisible() and (name is None or w.objectName() == name)
    ][-1]


def shoot_ward_safety(win: MainWindow, controller: Controller, current: PatientSummary) -> None:
    """The duplicate warning (Enter uses the existing patient), undo of a discharge, the
    « sans lit » strip of a full ward, the help window."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from app.duplicate_dialog import DuplicateDialog
    from app.help_view import HelpWindow

    ward = win.ward
    assert ward is not None
    i = current.patient.identity
    dialog = AdmissionDialog(controller, win, preset_uf="URG")
    dialog.show()
    wait(lambda: dialog.bed.count() > 0)
    dialog.birth_name.setText(i.birth_name.title())
    dialog.first_names.setText(i.first_names[0].title())
    dialog.birth_date.setText(f"{i.birth_date:%d/%m/%Y}")
    dialog.sex.setCurrentIndex(dialog.sex.findData(i.sex.value))
    dialog.save()
    duplicate = _top(DuplicateDialog)
    shot(duplicate, "19-duplicate-warning", alone=True)  # xwd shows the form under it black
    duplicate.reject()
    dialog.keeper.discard()
    dialog.done(0)

    ward.select(current)
    ward.discharge()
    leaving = _top(DischargeDialog)
    ok = leaving.findChild(QPushButton, "okButton")
    assert ok is not None
    ok.click()
    wait(lambda: not controller.executor.busy and ward.buttons["cancelButton"].isEnabled())
    settle()
    ward.cancel_last()
    box = _top(QMessageBox, "confirmBox")
    shot(box, "20-undo-discharge")
    button = box.findChild(QPushButton, "confirmButton")
    assert button is not None
    button.click()
    wait(lambda: not controller.executor.busy)

    from continuity.domain.identity import Identity
    from continuity.services import patients

    with controller.workspace.unlock("ide.urg", "demo-urg-2026") as s:
        for name in ("Garnier", "Lemoine", "Renaud"):  # the two free beds, then the corridor
            free = [
                b.bed_code for b in patients.census(s, ["URG"])[0].beds if not b.occupant and not b.blocked
            ]
            patients.admit(
                s,
                "URG",
                identity=Identity.model_validate(
                    {
                        "birth_name": name.upper(),
                        "first_names": ["LOUISE"],
                        "birth_date": "1947-05-06",
                        "sex": "F",
                    }
                ),
                bed_code=free[0] if free else None,
                not_a_duplicate="données de démonstration",
            )
    ward.reload()
    wait(lambda: not controller.executor.busy)
    ward.board.scrollToBottom()
    shot(win, "21-bedless-strip")
    ward.admit()
    full = _top(AdmissionDialog)
    wait(lambda: full.full_note.isVisible())
    shot(full, "22-full-ward-admission")
    full.done(0)
    win.show_help()
    shot(_top(HelpWindow), "23-help")
    _top(HelpWindow).close()


def shoot_index(win: MainWindow, controller: Controller) -> None:
    """The admission's search over the patients here and the HIS identity index (« Index DPI »)."""
    import hashlib
    from datetime import UTC, datetime

    from continuity.domain.his_index import IndexEntry, IndexHeader
    from continuity.domain.identity import Identity
    from continuity.services.his_index import import_index

    people = [
        ("H2041187", "MARCHAND", ["LOUISE"], "1947-05-06", "F", "validee"),
        ("H1988302", "MARCHAND", ["PIERRE", "ANDRÉ"], "1951-11-23", "M", "validee"),
        ("H3310954", "MARCHANDEAU", ["ÉLODIE"], "1989-02-14", "F", "provisoire"),
    ]
    entries = [
        IndexEntry(
            ipp=ipp,
            identity=Identity.model_validate(
                {"birth_name": n, "first_names": f, "birth_date": b, "sex": x, "status": st}
            ),
        )
        for ipp, n, f, b, x, st in people
    ]
    header = IndexHeader(
        format="csv", taken_at=datetime(2026, 11, 30, 22, tzinfo=UTC), extraction="DEMO-1", count=len(entries)
    )
    with controller.workspace.unlock("crise", "demo-crise-2026") as s:  # the crisis cell imports it
        import_index(s, header, entries, hashlib.sha256(b"demo-index").hexdigest())
    dialog = AdmissionDialog(controller, win, preset_uf="URG")
    dialog.show()
    wait(lambda: dialog.bed.count() > 0)
    dialog.known_search.setFocus()
    dialog.known_search.setText("marchand")
    dialog._search_known()
    wait(lambda: dialog.known_list.count() > 0 and not controller.executor.busy)
    dialog.known_list.setCurrentRow(min(1, dialog.known_list.count() - 1))
    shot(dialog, "25-admission-from-his-index")
    dialog.keeper.discard()
    dialog.done(0)


def shoot_sync(win: MainWindow, controller: Controller) -> None:
    """The hand-back tab against the tests' HIS peer: one patient refused, then resent."""
    from tests.peers.hl7_his import Hl7His

    view = win.sync_view
    assert view is not None
    win.tabs.setCurrentWidget(view)
    his = Hl7His().start()
    try:
        with controller.workspace.unlock("admin", "demo-admin-2026") as session:
            first = session.store.outbox.outbox_events(limit=1)[0]["patient_id"]
            refused = session.store.patients.get_patient(first)
            assert refused is not None
        his.state.refuse_patients.add(refused.provisional_ipp)
        view.target.setText(his.url)
        view.start()
        wait(lambda: view.start_button.isEnabled() and view.errors.rowCount() == 1, 30_000)
        shot(win, "14-sync-his-refusal")
        his.state.refuse_patients.clear()
        view.table.selectRow(0)
        view.resend()
        wait(lambda: not controller.executor.busy)
        view.start()
        wait(lambda: view.start_button.isEnabled() and view.errors.rowCount() == 0, 30_000)
        shot(win, "15-sync-his-restored")
    finally:
        his.stop()


def shoot_exchange(win: MainWindow, controller: Controller, tmp: Path) -> None:
    """A second demo workstation; the same identity corrected on both; a bad file in the inbox."""
    from continuity import signing
    from continuity.provisioning import DEMO_USERS, demo_site, provision
    from continuity.services import admin, exchange, patients
    from sync import bundles

    urg = controller.workspace
    med = Workspace(tmp / "med")
    users = {d.user.username: d for d in DEMO_USERS}
    provision(med, demo_site(), "MED-01", users["admin"].user, users["admin"].password)
    with urg.unlock("admin", "demo-admin-2026") as a, med.unlock("admin", "demo-admin-2026") as m:
        for name in ("crise", "ide.urg", "ide.med"):
            admin.add_user(m, users[name].user, users[name].password)
        exchange.import_key(m, exchange.export_key(a))
        # each declares the other's signing key, as IT does with `exchange peer add`
        exchange.declare_peer(m, "URG-01", signing.public_key_text(exchange.own_public_key(a)))
        exchange.declare_peer(a, "MED-01", signing.public_key_text(exchange.own_public_key(m)))
        first = bundles.write_bundle(a, tmp / "stick")
    assert first is not None
    with med.unlock("crise", "demo-crise-2026") as m:
        bundles.import_file(m, first, grace=0)
    for workspace, used in ((urg, "MARTIN"), (med, "DURAND")):
        with workspace.unlock("ide.urg", "demo-urg-2026") as s:
            line = next(
                b.occupant
                for b in patients.census(s, ["URG"])[0].beds
                if b.occupant
                and b.occupant.patient.source.value == "kit"
                and not b.occupant.patient.identity.placeholder
            )
            p = line.patient
            patients.update_identity(s, p.id, p.identity.model_copy(update={"used_name": used}), p.version)
    with med.unlock("ide.med", "demo-med-2026") as s:
        import random

        from continuity.provisioning import demo_identity

        free = next(b.bed_code for b in patients.census(s, ["MED"])[0].beds if not b.occupant)
        rng = random.Random(5)  # noqa: S311 - fictitious demo data
        patients.admit(
            s,
            "MED",
            identity=demo_identity(rng, s.clock().date()),
            bed_code=free,
            not_a_duplicate="données de démonstration",
        )
    with med.unlock("admin", "demo-admin-2026") as m:
        second = bundles.write_bundle(m, tmp / "stick")
    assert second is not None
    login(win, "crise", "demo-crise-2026")
    inbox = urg.folder / "depot-dpi"
    wait(lambda: inbox.is_dir())
    (inbox / "recensement-0800.csv").write_text(
        "ipp;nom_naissance;prenoms;date_naissance;sexe\n4100999;DUPONT;JEAN;31/02/1950;M\n", encoding="utf-8"
    )
    view = win.exchange_view
    assert view is not None
    win.tabs.setCurrentWidget(view)
    with urg.unlock("crise", "demo-crise-2026") as s:
        bundles.import_file(s, second, grace=0)
    wait(lambda: view.imports.rowCount() == 2)
    view.reload()
    wait(lambda: view.conflicts.rowCount() == 1)
    shot(win, "16-exchange-and-snapshots")
    from app.conflict_dialog import ConflictDialog

    row = view.conflicts.row_at(0)
    assert row is not None
    dialog = ConflictDialog(controller, row, win)
    dialog.show()
    shot(dialog, "17-exchange-conflict")
    dialog.reject()


def shoot_exercise(app: QApplication, real: Workspace, settings: Settings) -> None:
    """The same workstation in a crisis exercise: its own store, EXERCICE everywhere."""
    from continuity import maintenance

    with real.unlock("crise", "demo-crise-2026") as session:
        drill = maintenance.start_exercise(session)
    controller = Controller(drill, settings.idle_minutes)
    win = MainWindow(controller, settings)
    win.show()
    login(win, "ide.urg", "demo-urg-2026")
    shot(win, "18-exercise-mode")
    controller.shutdown()
    win.close()


def shoot_civ(win: MainWindow, controller: Controller) -> None:
    """The identity-vigilance cell's queue: a returning patient typed twice (heard alike), a
    compound name written two ways with the day and month swapped, a doubtful identity."""
    from continuity.domain.identity import Identity
    from continuity.domain.movement import DischargeMode
    from continuity.services import patients

    def person(name: str, first: str, born: str, **extra: object) -> Identity:
        return Identity.model_validate(
            {"birth_name": name, "first_names": [first], "birth_date": born, "sex": "M", **extra}
        )

    with controller.workspace.unlock("ide.urg", "demo-urg-2026") as s:
        before = patients.admit(s, "URG", identity=person("GAUTHIER", "PHILIPPE", "1952-04-09"))
        patients.discharge(s, before.stay.id, DischargeMode.HOME)
        for ident in (
            person("GAUTIER", "FILIPE", "1952-04-09"),
            person("MARTIN-DUPONT", "JEAN-PIERRE", "1961-03-07"),
            person("MARTIN DUPONT", "JEAN", "1961-07-03"),
            person("INCONNU", "LUC", "1980-01-01", doubtful=True),
        ):
            patients.admit(s, "URG", identity=ident, not_a_duplicate="données de démonstration")
    login(win, "civ", "demo-civ-2026")
    view = win.civ_view
    assert view is not None
    wait(lambda: view.queue.rowCount() > 0 and view.compare.rowCount() > 0)
    settle(600)
    shot(win, "28-identity-vigilance")


INSTRUCTION_SHOTS = (
    "29-ward-instruction",
    "30-ward-main-courante-entry",
    "31-crisis-instructions",
    "32-crisis-out-of-contact",
)
PARTS = {"instructions": INSTRUCTION_SHOTS}


def shoot_instructions(win: MainWindow, controller: Controller) -> None:
    """The crisis cell's instructions on a ward (the bar until acknowledged), a ward's main
    courante entry, then the crisis cell: the instructions with their acknowledgements, and
    the workstations not heard from (the demo's two others have never sent a bundle)."""
    from app.log_entry_dialog import LogEntryDialog
    from continuity.services import instructions

    with controller.workspace.unlock("crise", "demo-crise-2026") as s:
        first = instructions.send_instruction(
            s, "Passage en procédure papier pour toutes les admissions et les mouvements."
        )
        instructions.send_instruction(
            s,
            "Urgences en délestage : les patients régulés par le SAMU sont orientés vers le CH "
            "voisin jusqu'à nouvel ordre. Prévenir l'IOA et le médecin d'accueil.",
            ["URG"],
        )
        instructions.send_instruction(s, "Point de situation de la cellule de crise à 16 h.", ["MED", "CHIR"])
    login(win, "ide.urg", "demo-urg-2026")
    wait(lambda: win.instruction_bar.isVisible())
    shot(win, "29-ward-instruction")
    with controller.workspace.unlock("ide.urg", "demo-urg-2026") as s:
        instructions.acknowledge(s, first.id)
    dialog = win.write_log_entry()
    assert isinstance(dialog, LogEntryDialog)
    wait(lambda: dialog.isVisible() and "—" in dialog.uf.currentText())
    dialog.category.setCurrentIndex(dialog.category.findData(LogCategory.ALERT.value))
    dialog.text.setPlainText(
        "Plus de bracelets d'identification vierges aux urgences : stock du 1er étage demandé."
    )
    shot(dialog, "30-ward-main-courante-entry")
    dialog.save()
    wait(lambda: not dialog.isVisible())

    login(win, "crise", "demo-crise-2026")
    view = win.crisis
    assert view is not None
    win.tabs.setCurrentWidget(view)
    view.lower_tabs.setCurrentIndex(1)
    view.instruction_input.setText("Reprise du DPI prévue à 18 h : ne pas ressaisir avant confirmation.")
    wait(lambda: view.instructions_model.rowCount() == 3)
    settle(600)
    shot(win, "31-crisis-instructions")
    view.instruction_input.clear()
    view.lower_tabs.setCurrentIndex(2)
    settle(600)
    shot(win, "32-crisis-out-of-contact")


def _offscreen_platform(size: str, folder: Path) -> str:
    """The offscreen platform on one screen of ``size`` (Qt's offscreen configuration file)."""
    width, height = (int(n) for n in size.split("x"))
    config = folder / f"offscreen-{size}.json"
    screen = {"name": "OffscreenScreen", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [{**screen, "logicalDpi": 96}]}))
    return f"offscreen:configfile={config}"


def drive(sizes: tuple[str, ...], only: str | None = None) -> int:
    """Each size in its own process, on a real X server of that size when there is one."""
    from tests.x11.xsession import XSession, missing_tools

    here = Path(__file__).resolve()
    missing = missing_tools()
    if missing:
        print(f"Pas de serveur X de test ({', '.join(missing)}) : captures hors écran / offscreen shots")
    for size in sizes:
        out = SCREENSHOTS / size
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.png"):
            if only is None or old.stem in PARTS[only]:
                old.unlink()
        command = [sys.executable, str(here), "--size", size, "--out", str(out)]
        if only is not None:
            command += ["--only", only]
        with tempfile.TemporaryDirectory() as tmp:
            if missing:
                env = {**os.environ, "QT_QPA_PLATFORM": _offscreen_platform(size, Path(tmp))}
                done = subprocess.run(command, env=env, check=False)
            else:
                with XSession(size, Path(tmp) / "x11-logs") as x:
                    done = subprocess.run([*command, "--x11"], env=x.env, check=False)
        if done.returncode != 0:
            return done.returncode
    return 0


def main() -> int:
    global OUT, ON_X11
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", help="one size, in this process (WxH, on the current display)")
    parser.add_argument("--out", type=Path, help="folder of that size's pictures")
    parser.add_argument("--x11", action="store_true", help="capture the whole X screen")
    parser.add_argument("--only", choices=sorted(PARTS), help="only the pictures of one part")
    args = parser.parse_args()
    if args.size is None:
        return drive(SIZES, args.only)
    OUT = args.out or SCREENSHOTS / args.size
    ON_X11 = args.x11
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace(Path(tmp) / "demo")
        provision_demo(workspace)
        seed_crisis(workspace)
        settings = Settings.load(workspace.folder)
        theme.apply(app, settings)
        controller = Controller(workspace, settings.idle_minutes)
        win = MainWindow(controller, settings)
        win.show()
        if args.only == "instructions":
            shoot_instructions(win, controller)
            controller.shutdown()
            win.close()
            return 0
        win.unlock_view.username.setText("ide.urg")
        shot(win, "01-unlock")

        login(win, "ide.urg", "demo-urg-2026")
        assert win.ward is not None
        shot(win, "02-ward-view")
        win.ward.search.setText("mar")
        win.ward.run_search()
        wait(lambda: not controller.executor.busy)
        shot(win, "03-ward-search")
        win.ward.search.clear()
        win.ward.run_search()

        dialog = AdmissionDialog(controller, win, preset_uf="URG")
        dialog.show()
        wait(lambda: dialog.bed.count() > 0)
        dialog.birth_name.setText("Lefèvre")
        dialog.first_names.setText("Jeanne, Marie")
        dialog.birth_date.setText("12/03/1950")
        shot(dialog, "04-admission-dialog")
        dialog.birth_name.setText("Dupont3")
        dialog.save()
        shot(dialog, "05-admission-errors")
        dialog.keeper.discard()  # dropped without the « Abandonner la saisie ? » question
        dialog.done(0)

        # the INS Datamatrix read by a scanner typing into the birth name (a synthetic code)
        scanned = AdmissionDialog(controller, win, preset_uf="URG")
        scanned.show()
        wait(lambda: scanned.bed.count() > 0)
        scanned.birth_name.setText(DEMO_DATAMATRIX)  # what the scanner types goes to its field
        scanned._read_scan()
        scanned.document_type.setCurrentIndex(scanned.document_type.findData("CN"))
        shot(scanned, "26-admission-datamatrix")
        scanned.keeper.discard()
        scanned.done(0)

        # a homonym of a patient in a bed, admitted with a doubtful identity: the panel says so
        from continuity.services import patients as patient_service

        with controller.workspace.unlock("ide.urg", "demo-urg-2026") as s:
            bed = next(b for b in patient_service.census(s, ["URG"])[0].beds if b.occupant)
            assert bed.occupant is not None
            twin = bed.occupant.patient.identity.model_copy(
                update={"used_name": None, "status": IdentityStatus.PROVISOIRE, "doubtful": True}
            )
            homonym = patient_service.admit(s, "URG", identity=twin, not_a_duplicate="homonyme, vérifié")
        win.ward.reload()
        wait(lambda: not controller.executor.busy)
        win.ward.show_patient(homonym.patient.id)
        wait(lambda: "HOMONYME" in win.ward.detail.text())
        win.view_scroll.ensureWidgetVisible(win.ward.detail)  # the panel is under the list
        settle()
        shot(win, "27-patient-panel-rniv")
        win.view_scroll.ensureVisible(0, 0)
        with controller.workspace.unlock("ide.urg", "demo-urg-2026") as s:  # gone for the next shots
            undo.cancel_last(s, homonym.stay.id)
        win.ward.reload()
        wait(lambda: not controller.executor.busy)

        wait(lambda: win.ward is not None and win.ward.model.rowCount() > 0)
        win.ward.table.selectRow(0)
        settle()
        current = win.ward.current
        assert current is not None
        transfer = TransferDialog(controller, current, win)
        transfer.show()
        wait(lambda: transfer.bed.count() > 0)
        shot(transfer, "06-transfer-dialog")
        transfer.reject()
        discharge = DischargeDialog(controller, current, win)
        discharge.show()
        shot(discharge, "07-discharge-dialog")
        discharge.reject()
        correction = CorrectMovementDialog(controller, current, win)
        correction.show()
        wait(lambda: correction.movement.count() > 0)
        shot(correction, "24-correct-movement")
        correction.reject()
        shoot_ward_safety(win, controller, current)
        shoot_index(win, controller)

        win.print_menu.census()
        wait(lambda: win.print_menu.last_dialog is not None and win.print_menu.last_dialog.isVisible())
        preview = win.print_menu.last_dialog
        assert preview is not None
        settle(800)
        shot(preview, "12-print-preview")
        preview.reject()
        entry = PaperEntryDialog(controller, win)
        entry.show()
        entry.number.setText("9001000124")
        entry.check()
        wait(lambda: entry.error.isVisible())
        shot(entry, "13-paper-form-entry-error")
        entry.reject()

        login(win, "crise", "demo-crise-2026")
        shot(win, "08-crisis-dashboard")
        assert win.ward is not None
        win.tabs.setCurrentWidget(win.ward)
        shot(win, "09-census-crisis-cell")
        shoot_civ(win, controller)

        login(win, "admin", "demo-admin-2026")
        shot(win, "10-administration")
        shoot_sync(win, controller)
        shoot_exchange(win, controller, Path(tmp))
        shoot_exercise(app, workspace, settings)

        settings.high_contrast = True
        settings.large_fonts = True
        theme.apply(app, settings)
        login(win, "ide.med", "demo-med-2026")
        shot(win, "11-ward-high-contrast-large-fonts")
        settings.high_contrast = settings.large_fonts = False
        theme.apply(app, settings)
        shoot_instructions(win, controller)
        controller.shutdown()
        win.close()
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
