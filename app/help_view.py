"""The help page (Aide, F1): the procedures of the degraded mode, in a non-modal window.

Every text is a translatable string of the ``HelpWindow`` context (the page is French
by default; English comes from ``app/i18n/continuity_en.ts`` like the rest). The
markup is built here, not in the translations: translators see sentences only.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

# Fits a 1024 x 768 screen with its task bar and the window's frame.
WIDTH, HEIGHT = 760, 620


class HelpWindow(QDialog):
    """Non-modal: the user reads it beside the form being filled; Esc or « Fermer » closes it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("helpWindow")
        self.setWindowTitle(self.tr("Aide — kit de continuité"))
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpText")
        self.browser.setOpenLinks(True)  # the table of contents points inside the page
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(self.page_html())
        self.browser.setAccessibleName(self.tr("Aide"))
        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("closeHelpButton")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self._fit_screen()
        self.browser.setFocus()

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = WIDTH, HEIGHT
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width() - 40)
            height = min(height, available.height() - 60)
        self.resize(width, height)

    # ------------------------------------------------------------------ content
    def sections(self) -> list[tuple[str, str, list[str]]]:
        """(anchor, heading, paragraphs) of each procedure, in the order of the page."""
        return [
            (
                "admettre",
                self.tr("Admettre un patient (Ctrl+N)"),
                [
                    self.tr(
                        "Patient → Admettre (Ctrl+N) ouvre le formulaire d'admission : UF, lit, "
                        "nom de naissance, prénoms, date de naissance et sexe. Entrée enregistre."
                    ),
                    self.tr(
                        "Un patient déjà connu se retrouve par la recherche (Ctrl+F) : tapez son nom "
                        "ou son numéro, ou scannez le code-barres de son bracelet ou de son "
                        "étiquette avec le lecteur : le patient s'ouvre directement."
                    ),
                    self.tr(
                        "Doublon possible : si l'identité saisie ressemble à une identité existante, "
                        "le kit les montre avant de créer quoi que ce soit. Vérifiez avec le patient "
                        "ou sa pièce d'identité. Le choix par défaut (Entrée) utilise le patient "
                        "existant ; ne créez une nouvelle identité que s'il s'agit bien d'un autre "
                        "patient."
                    ),
                    self.tr(
                        "Traits stricts d'abord, recopiés de la pièce d'identité : nom de naissance, "
                        "tous les prénoms de naissance dans l'ordre de l'état civil, date et lieu de "
                        "naissance, sexe. Nom et prénom utilisés viennent ensuite (traits "
                        "complémentaires)."
                    ),
                    self.tr(
                        "Statut « validée » : seulement si vous avez vu et vérifié une pièce "
                        "d'identité à haut niveau de confiance (carte d'identité, passeport, titre de "
                        "séjour ; pour un mineur, livret de famille ou extrait d'acte de naissance "
                        "avec la pièce d'un parent), non expirée ; votre nom et la date sont "
                        "enregistrés. La carte Vitale n'est pas une pièce d'identité. « Qualifiée » "
                        "est impossible hors ligne (INSi) : seules les identités du DPI le sont. "
                        "Identité douteuse ou fictive : cochez-le ; elle reste provisoire."
                    ),
                    self.tr(
                        "Code 2D (Datamatrix INS) d'un document : scannez-le dans le formulaire, le "
                        "curseur dans le nom de naissance ou dans le champ du code. Les traits "
                        "stricts se remplissent ; le matricule INS reste un trait non vérifié "
                        "jusqu'à la qualification par le DPI. Comparez avec la pièce d'identité."
                    ),
                    self.tr(
                        "« HOMONYME » sur le bracelet, les étiquettes et la fiche du patient : une "
                        "autre identité a les mêmes nom de naissance, premier prénom et date de "
                        "naissance. Vérifiez l'identité à chaque soin et à chaque prélèvement."
                    ),
                ],
            ),
            (
                "inconnu",
                self.tr("Patient inconnu ou inconscient"),
                [
                    self.tr(
                        "Cochez « Patient inconnu / inconscient (identité d'attente) » dans le "
                        "formulaire d'admission : le kit crée une identité d'attente provisoire, "
                        "avec un nom d'attente distinct pour chaque patient, pour ne jamais "
                        "confondre deux patients inconnus."
                    ),
                    self.tr(
                        "Dès que l'identité est connue, signalez-la à la cellule d'identitovigilance "
                        "(CIV) : elle la rapproche de l'identité du DPI au retour du SIH ; le séjour, "
                        "le lit et les mouvements restent les siens."
                    ),
                ],
            ),
            (
                "papier",
                self.tr("Saisir un formulaire papier (Ctrl+R)"),
                [
                    self.tr(
                        "Quand une admission a été faite sur un formulaire papier pré-numéroté "
                        "(Imprimer → Formulaires d'admission vierges), Patient → Saisir un "
                        "formulaire papier (Ctrl+R) : scannez le code-barres du formulaire ou tapez "
                        "ses 10 chiffres, puis recopiez le formulaire."
                    ),
                    self.tr(
                        "La date et l'heure d'admission sont celles écrites sur le papier. Un "
                        "formulaire ne peut être saisi qu'une fois."
                    ),
                ],
            ),
            (
                "annuler",
                self.tr("Annuler le dernier mouvement (Ctrl+Z)"),
                [
                    self.tr(
                        "Juste après un mouvement, le patient reste sélectionné (même sorti) et la "
                        "barre d'état propose « Annuler ce mouvement ». Sinon, sélectionnez le "
                        "patient, puis Patient → Annuler le dernier mouvement (Ctrl+Z) : le dernier "
                        "mouvement encore en vigueur (admission, mutation, absence, retour, sortie) "
                        "est annulé, après une confirmation qui nomme le patient. Une sortie annulée "
                        "rouvre le séjour dans son lit ; si ce lit a été repris, le kit en demande un "
                        "autre (ou sans lit)."
                    ),
                    self.tr(
                        "C'est possible pendant 24 heures par défaut (réglage du site) ; au-delà, "
                        "seule la cellule de crise peut annuler, depuis son recensement."
                    ),
                ],
            ),
            (
                "corriger",
                self.tr("Corriger un mouvement (Ctrl+M)"),
                [
                    self.tr(
                        "Un mouvement saisi à la mauvaise heure, ou une mutation dans le mauvais lit "
                        "ou la mauvaise UF, se corrige sans l'annuler : sélectionnez le patient, puis "
                        "Patient → Corriger un mouvement (Ctrl+M). Choisissez le mouvement (le dernier "
                        "est proposé), corrigez l'heure, et pour une admission ou une mutation l'UF et "
                        "le lit, puis dites pourquoi (motif obligatoire)."
                    ),
                    self.tr(
                        "Les mouvements restent dans l'ordre et le lit choisi doit avoir été libre à "
                        "cette heure-là. Le DPI reçoit une seule correction du même mouvement. Mêmes "
                        "droits que pour annuler : 24 heures par défaut, puis la cellule de crise."
                    ),
                ],
            ),
            (
                "verrouiller",
                self.tr("Verrouiller le poste (Ctrl+L)"),
                [
                    self.tr(
                        "Fichier → Verrouiller le poste (Ctrl+L) dès que vous quittez le poste ; il "
                        "se verrouille aussi seul après quelques minutes sans activité. Plus aucun "
                        "patient n'est affiché."
                    ),
                    self.tr(
                        "Les formulaires en cours sont gardés : ils réapparaissent tels quels quand "
                        "le même utilisateur déverrouille. Un autre utilisateur ne les voit pas."
                    ),
                ],
            ),
            (
                "muter",
                self.tr("Muter un patient (Ctrl+T)"),
                [
                    self.tr(
                        "Sélectionnez le patient, puis Patient → Muter (Ctrl+T) : choisissez l'UF et "
                        "le lit de destination, puis « Muter »."
                    ),
                    self.tr("Imprimer → Fiche de transfert du patient sélectionné accompagne le patient."),
                ],
            ),
            (
                "sortie",
                self.tr("Sortie (Ctrl+D)"),
                [
                    self.tr(
                        "Sélectionnez le patient, puis Patient → Sortie (Ctrl+D) : indiquez le mode "
                        "de sortie et, s'il y a lieu, la destination, puis « Enregistrer la sortie ». "
                        "Le lit est libéré."
                    ),
                ],
            ),
            (
                "consignes",
                self.tr("Consignes de la cellule de crise, main courante (Ctrl+J)"),
                [
                    self.tr(
                        "Une consigne de la cellule de crise pour votre UF s'affiche dans le bandeau "
                        "jaune au-dessus des onglets, et y reste jusqu'à ce qu'on en accuse réception : "
                        "lisez-la, puis « J'ai lu — accuser réception » (Alt+J). La cellule de crise "
                        "voit quel poste l'a lue, et quand. Plusieurs consignes viennent l'une après "
                        "l'autre, la plus ancienne d'abord (1/3, 2/3…)."
                    ),
                    self.tr(
                        "Crise → Écrire dans la main courante (Ctrl+J) : ce qui se passe dans votre "
                        "UF (une alerte, une décision, une action). L'entrée est datée, signée de "
                        "votre nom et part vers la cellule de crise avec le prochain lot d'échange."
                    ),
                ],
            ),
            (
                "imprimer",
                self.tr("Imprimer (menu Imprimer)"),
                [
                    self.tr(
                        "Le menu Imprimer prépare le recensement du service (Ctrl+P), le bracelet "
                        "(Ctrl+B) et les étiquettes du patient sélectionné, ceux de toute l'UF, la "
                        "fiche de transfert, le registre des mouvements, les formulaires "
                        "d'admission vierges et, pour la cellule de crise, le point de situation."
                    ),
                    self.tr(
                        "Chaque document s'ouvre en aperçu : « Imprimer » (Ctrl+P) ou « Enregistrer "
                        "en PDF » (Ctrl+S). Rien n'est écrit sur le poste sans votre demande."
                    ),
                ],
            ),
            (
                "identitovigilance",
                self.tr("Identitovigilance : revoir et fusionner des identités"),
                [
                    self.tr(
                        "Seule la cellule d'identitovigilance fusionne deux identités. Son onglet "
                        "« Identitovigilance » liste ce qui est à revoir : doublons possibles (même date "
                        "de naissance, ou jour et mois inversés, et noms proches à l'écrit ou à "
                        "l'oreille), identités encore provisoires après le délai, douteuses, fictives, "
                        "correspondances avec le DPI à décider."
                    ),
                    self.tr(
                        "Choisissez une ligne : les deux identités s'affichent côte à côte, les traits "
                        "stricts d'abord (en gras), ce qui diffère en rouge. « Garder A, fusionner B » "
                        "(Alt+G) ou « Garder B, fusionner A » (Alt+B) demande un motif puis une "
                        "confirmation : les séjours de l'identité fusionnée, avec leurs mouvements, "
                        "passent à l'identité gardée. Une fusion s'annule depuis « Fusions faites »."
                    ),
                ],
            ),
        ]

    def page_html(self) -> str:
        sections = self.sections()
        title = self.tr("Aide — mode dégradé")  # outside the f-string: lupdate reads it
        parts = [
            f"<h1>{escape(title)}</h1>",
            "<p>"
            + escape(
                self.tr(
                    "Le kit enregistre les admissions et les mouvements sur ce poste, chiffrés, "
                    "pendant la panne du système d'information ; tout est restitué au DPI à son "
                    "retour. F1 ouvre cette aide à tout moment."
                )
            )
            + "</p>",
            "<ul>"
            + "".join(f'<li><a href="#{anchor}">{escape(title)}</a></li>' for anchor, title, _ in sections)
            + "</ul>",
        ]
        for anchor, title, paragraphs in sections:
            parts.append(f'<h2><a name="{anchor}"></a>{escape(title)}</h2>')
            parts.extend(f"<p>{escape(p)}</p>" for p in paragraphs)
        return "\n".join(parts)
