<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AddUserDialog</name>
    <message>
        <location filename="../admin_view.py" line="234"/>
        <source>Ajouter un utilisateur</source>
        <translation>Add user</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="237"/>
        <source>ex. ide.cardio</source>
        <translation>e.g. nurse.cardio</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="240"/>
        <source>ex. IDE cardiologie (facultatif)</source>
        <translation>e.g. Cardiology nurse (optional)</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="245"/>
        <source>UF (obligatoires pour un soignant d&apos;unité)</source>
        <translation>Units (UF) (required for ward staff)</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="256"/>
        <source>Aucune UF sur ce site.</source>
        <translation>No unit (UF) on this site.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="259"/>
        <source>&amp;Identifiant :</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="260"/>
        <source>&amp;Nom affiché :</source>
        <translation>Display &amp;name:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="261"/>
        <source>&amp;Rôle :</source>
        <translation>&amp;Role:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="263"/>
        <source>&amp;Mot de passe :</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="264"/>
        <source>&amp;Confirmation :</source>
        <translation>&amp;Confirm password:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="268"/>
        <source>Au moins 8 caractères, pas un mot de passe courant (trois mots sans rapport conviennent). Entrée enregistre, Échap annule.</source>
        <translation>At least 8 characters, not a common password (three unrelated words will do). Enter saves, Esc cancels.</translation>
    </message>
</context>
<context>
    <name>AdminView</name>
    <message>
        <location filename="../admin_view.py" line="384"/>
        <source>Administration du poste</source>
        <translation>Workstation administration</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="404"/>
        <source>Utilisateurs du poste</source>
        <translation>Workstation users</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="407"/>
        <source>Ajouter un utilisateur…</source>
        <translation>Add user…</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="411"/>
        <source>Réinitialiser le mot de passe…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="414"/>
        <source>Désactiver</source>
        <translation>Deactivate</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="422"/>
        <source>Utilisateurs</source>
        <translation>Users</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="429"/>
        <source>Poste de travail</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="435"/>
        <source>Établissement :</source>
        <translation>Facility:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="436"/>
        <source>Poste :</source>
        <translation>Workstation:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="437"/>
        <source>Bloc de numéros provisoires :</source>
        <translation>Provisional number block:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="438"/>
        <source>Numéros restants :</source>
        <translation>Numbers remaining:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="439"/>
        <source>Dossier de données :</source>
        <translation>Data folder:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="440"/>
        <source>Taille de la base chiffrée :</source>
        <translation>Encrypted database size:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="441"/>
        <source>Version du schéma :</source>
        <translation>Schema version:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="442"/>
        <source>Version de SQLCipher :</source>
        <translation>SQLCipher version:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="443"/>
        <source>Utilisateurs :</source>
        <translation>Users:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="444"/>
        <source>Entrées du journal d&apos;audit :</source>
        <translation>Audit log entries:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="453"/>
        <source>Sauvegarder la base chiffrée…</source>
        <translation>Back up the encrypted database…</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="458"/>
        <source>Copie chiffrée de la base et du fichier des clés dans un nouveau dossier (clé USB ou partage de l&apos;informatique). Elle s&apos;ouvre avec les mots de passe et la clé de secours valables au moment de la sauvegarde : conservez-la comme la clé de secours.</source>
        <translation>Encrypted copy of the database and of the key file into a new folder (USB drive or IT share). It opens with the passwords and the recovery key valid at the time of the backup: keep it as safely as the recovery key.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="469"/>
        <source>Sauvegarde</source>
        <translation>Backup</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="531"/>
        <source>{0} à {1}</source>
        <translation>{0} to {1}</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="536"/>
        <source>{0} (+ {1} de journal WAL)</source>
        <translation>{0} (+ {1} of WAL journal)</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="539"/>
        <source>aucune (base non chiffrée)</source>
        <translation>none (database not encrypted)</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="541"/>
        <source>actifs : {0} ; désactivés : {1}</source>
        <translation>active: {0}; deactivated: {1}</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="547"/>
        <source>{0} Ko</source>
        <translation>{0} KB</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="548"/>
        <source>{0} Mo</source>
        <translation>{0} MB</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="594"/>
        <location filename="../admin_view.py" line="641"/>
        <source>Désactiver un utilisateur</source>
        <translation>Deactivate user</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="596"/>
        <source>Désactiver le compte « {0} » ({1}) ?

Son mot de passe n&apos;ouvrira plus la base sur ce poste ; l&apos;historique garde son nom.</source>
        <translation>Deactivate the account “{0}” ({1})?

Their password will no longer open the database on this workstation; the history keeps their name.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="599"/>
        <source>Désactiver le compte</source>
        <translation>Deactivate account</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="611"/>
        <source>Compte désactivé. La clé de la base a été changée : son ancien mot de passe n&apos;ouvre plus rien, même avec une ancienne copie des fichiers.</source>
        <translation>Account deactivated. The database key was changed: its old password opens nothing any more, even with an old copy of the files.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="616"/>
        <source>Compte désactivé. La clé de la base n&apos;a pas été changée : des comptes de l&apos;ancien format perdraient l&apos;accès. Qu&apos;ils se connectent une fois (ou reçoivent un nouveau mot de passe), puis lancez « continuity keys rotate » : {0}</source>
        <translation>Account deactivated. The database key was not changed: accounts of the old format would lose access. Have them sign in once (or give them a new password), then run “continuity keys rotate”: {0}</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="622"/>
        <source>La clé de secours est de l&apos;ancien format : remplacez-la (« continuity recovery-key »).</source>
        <translation>The recovery key is of the old format: replace it (“continuity recovery-key”).</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="626"/>
        <source>Compte désactivé. La base est ouverte sur un autre poste ou dans une autre fenêtre : sa clé sera changée plus tard. Fermez-la partout, puis lancez « continuity keys rotate ».</source>
        <translation>Account deactivated. The database is open on another workstation or in another window: its key will be changed later. Close it everywhere, then run “continuity keys rotate”.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="632"/>
        <source>Emplacements de clé inconnus de la base retirés (fichier des clés modifié) : {0}</source>
        <translation>Key slots unknown to the database removed (key-slot file modified): {0}</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="636"/>
        <source>Ces comptes doivent recevoir un nouveau mot de passe (pas de connexion depuis la mise à jour) : {0}</source>
        <translation>These accounts need a new password (no sign-in since the upgrade): {0}</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="654"/>
        <source>Dossier de la sauvegarde chiffrée</source>
        <translation>Folder for the encrypted backup</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="663"/>
        <source>Sauvegarde en cours…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="678"/>
        <source>Sauvegarde chiffrée créée dans :
{0}</source>
        <translation>Encrypted backup created in:
{0}</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="682"/>
        <source>Sauvegarde terminée</source>
        <translation>Backup complete</translation>
    </message>
</context>
<context>
    <name>AdmissionDialog</name>
    <message>
        <location filename="../admission_dialog.py" line="117"/>
        <source>Ressaisie d&apos;un formulaire papier</source>
        <translation>Key in a paper form</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="117"/>
        <source>Nouvelle admission</source>
        <translation>New admission</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="148"/>
        <source>Patient inconnu / inconscient (identité d&apos;attente)</source>
        <translation>Unknown / unconscious patient (placeholder identity)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="166"/>
        <source>JJ/MM/AAAA</source>
        <translation>DD/MM/YYYY</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="169"/>
        <location filename="../admission_dialog.py" line="192"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="170"/>
        <source>F — féminin</source>
        <translation>F — female</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="171"/>
        <source>M — masculin</source>
        <translation>M — male</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="172"/>
        <source>I — indéterminé</source>
        <translation>I — indeterminate</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="187"/>
        <source>provisoire</source>
        <translation>provisional</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="252"/>
        <source>JJ/MM/AAAA HH:MM, comme sur le formulaire</source>
        <translation>DD/MM/YYYY HH:MM, as on the form</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="320"/>
        <source>Matricule INS</source>
        <translation>INS number</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="67"/>
        <source>↑ ↓ puis Entrée : réadmettre ce patient, ou l&apos;admettre sous son identité du DPI (« Index DPI »), dans l&apos;UF et le lit choisis ci-dessous.</source>
        <translation>↑ ↓ then Enter: readmit this patient, or admit them under their HIS identity (“HIS index”), in the unit (UF) and bed chosen below.</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="128"/>
        <source>Patient déjà connu ? nom, prénom, naissance, IPP — ici et dans l&apos;index du DPI (Ctrl+F)</source>
        <translation>Patient already known? name, first name, birth date, IPP — here and in the HIS index (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="150"/>
        <source>scannez ici le code 2D de la carte Vitale ou du document INS</source>
        <translation>scan the 2D code of the Carte Vitale or of the INS document here</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="163"/>
        <source>dans l&apos;ordre de l&apos;état civil, séparés par des virgules</source>
        <translation>in civil-register order, separated by commas</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="179"/>
        <source>INSEE</source>
        <translation>INSEE</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="181"/>
        <source>commune ou pays</source>
        <translation>town or country</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="183"/>
        <source>15 chiffres : gardé non vérifié</source>
        <translation>15 digits: kept as unverified</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="188"/>
        <source>validée (pièce d&apos;identité vérifiée)</source>
        <translation>validated (ID document checked)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="194"/>
        <source>saisie manuelle</source>
        <translation>manual entry</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="195"/>
        <source>code 2D (Datamatrix INS)</source>
        <translation>2D code (INS Datamatrix)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="196"/>
        <source>carte Vitale</source>
        <translation>Carte Vitale</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="197"/>
        <source>téléservice INSi</source>
        <translation>INSi teleservice</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="198"/>
        <source>puce RFID</source>
        <translation>RFID chip</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="202"/>
        <source>— aucun —</source>
        <translation>— none —</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="204"/>
        <source>carte nationale d&apos;identité</source>
        <translation>national identity card</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="205"/>
        <source>passeport</source>
        <translation>passport</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="206"/>
        <source>titre ou carte de séjour</source>
        <translation>residence permit or card</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="207"/>
        <source>livret de famille (mineur)</source>
        <translation>family record book (minor)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="208"/>
        <source>extrait d&apos;acte de naissance (mineur)</source>
        <translation>birth certificate extract (minor)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="209"/>
        <source>document de circulation (étranger mineur)</source>
        <translation>travel document (foreign minor)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="210"/>
        <source>permis de conduire (ne valide pas)</source>
        <translation>driving licence (does not validate)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="211"/>
        <source>carte européenne (ne valide pas)</source>
        <translation>European card (does not validate)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="212"/>
        <source>tiers de confiance (ne valide pas)</source>
        <translation>trusted third party (does not validate)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="216"/>
        <source>JJ/MM/AAAA (si elle figure)</source>
        <translation>DD/MM/YYYY (if shown)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="217"/>
        <source>identité &amp;douteuse</source>
        <translation>&amp;doubtful identity</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="219"/>
        <source>identité &amp;fictive</source>
        <translation>&amp;fictitious identity</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="230"/>
        <source>Validée : seulement sur une pièce d&apos;identité à haut niveau de confiance, vue et vérifiée par vous (carte d&apos;identité, passeport, titre de séjour ; pour un mineur, livret de famille ou extrait d&apos;acte de naissance) ; votre nom et la date sont enregistrés. Une carte Vitale n&apos;est pas une pièce d&apos;identité. Qualifiée : jamais hors ligne (INSi). Douteuse ou fictive : reste provisoire.</source>
        <translation>Validated: only on a high-trust ID document that you have seen and checked (identity card, passport, residence permit; for a minor, family record book or birth certificate extract); your name and the date are recorded. A Carte Vitale is not an ID document. Qualified: never offline (INSi). Doubtful or fictitious: stays provisional.</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="312"/>
        <source>Traits stricts — tels que sur la pièce d&apos;identité</source>
        <translation>Strict traits — as on the ID document</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="316"/>
        <source>&amp;Nom de naissance *</source>
        <translation>Birth &amp;name *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="317"/>
        <source>&amp;Prénoms de naissance *</source>
        <translation>Birth fi&amp;rst names *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="318"/>
        <source>Né(e) le * / sexe *</source>
        <translation>Date of birth * / sex *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="319"/>
        <source>&amp;Lieu de naissance</source>
        <translation>&amp;Place of birth</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="325"/>
        <source>Traits complémentaires</source>
        <translation>Complementary traits</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="329"/>
        <source>Nom &amp;utilisé</source>
        <translation>&amp;Used name</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="330"/>
        <source>Prénom u&amp;tilisé</source>
        <translation>Used firs&amp;t name</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="335"/>
        <source>Fiabilité de l&apos;identité (RNIV)</source>
        <translation>Identity reliability (RNIV)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="339"/>
        <source>&amp;Statut de l&apos;identité</source>
        <translation>Identity &amp;status</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="340"/>
        <source>&amp;Justificatif présenté</source>
        <translation>ID d&amp;ocument presented</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="341"/>
        <source>Valable jusqu&apos;au</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="342"/>
        <source>&amp;Mode de recueil</source>
        <translation>Collection &amp;mode</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="343"/>
        <source>Attributs</source>
        <translation>Attributes</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="349"/>
        <source>UF *</source>
        <translation>Unit (UF) *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="350"/>
        <source>Lit</source>
        <translation>Bed</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="351"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="354"/>
        <source>Admis le *</source>
        <translation>Admitted on *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="355"/>
        <source>Séjour</source>
        <translation>Stay</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="359"/>
        <source>N° du formulaire (IPP provisoire) : &lt;b&gt;{0}&lt;/b&gt;</source>
        <translation>Form no. (provisional IPP): &lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="365"/>
        <source>&amp;Année de naissance estimée</source>
        <translation>Estimated birth &amp;year</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="369"/>
        <source>Code 2D (Datamatrix &amp;INS)</source>
        <translation>2D code (&amp;INS Datamatrix)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="388"/>
        <source>Enregistrer l&apos;admission</source>
        <translation>Record admission</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="508"/>
        <source>L&apos;UF {0} est complète : le patient sera admis sans lit et restera en vue dans la bande « sans lit » du plan des lits, jusqu&apos;à ce qu&apos;un lit se libère.</source>
        <translation>Unit {0} is full: the patient will be admitted without a bed and will stay in view in the “no bed” strip of the bed board until a bed becomes free.</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="513"/>
        <source>— sans lit —</source>
        <translation>— no bed —</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="697"/>
        <source>Code 2D lu : traits stricts remplis. Le matricule INS reste un trait non vérifié (seul le DPI, par INSi, qualifie l&apos;identité). Comparez avec la pièce d&apos;identité.</source>
        <translation>2D code read: strict traits filled in. The INS number stays an unverified trait (only the HIS, through INSi, qualifies the identity). Compare with the ID document.</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="735"/>
        <source>Identité</source>
        <translation>Identity</translation>
    </message>
</context>
<context>
    <name>AdmissionsChart</name>
    <message>
        <location filename="../crisis_view.py" line="586"/>
        <source>Admissions par heure (dernières 24 h)</source>
        <translation>Admissions per hour (last 24 h)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="592"/>
        <location filename="../crisis_view.py" line="616"/>
        <source>Admissions</source>
        <translation>Admissions</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="609"/>
        <source>{0} h</source>
        <translation>{0}:00</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="613"/>
        <source>Heure de début de la tranche (heure locale)</source>
        <translation>Start of the hour slot (local time)</translation>
    </message>
</context>
<context>
    <name>Age</name>
    <message>
        <location filename="../texts.py" line="23"/>
        <source>{0} j {1} h</source>
        <translation>{0} d {1} h</translation>
    </message>
    <message>
        <location filename="../texts.py" line="25"/>
        <source>{0} h {1:02d}</source>
        <translation>{0} h {1:02d} min</translation>
    </message>
    <message>
        <location filename="../texts.py" line="26"/>
        <source>{0} min</source>
        <translation>{0} min</translation>
    </message>
</context>
<context>
    <name>BedBoardModel</name>
    <message>
        <location filename="../bed_board.py" line="109"/>
        <source>LIBRE</source>
        <translation>FREE</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="109"/>
        <source>BLOQUÉ</source>
        <translation>BLOCKED</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="109"/>
        <source>ABSENT</source>
        <translation>ON LEAVE</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="110"/>
        <source>{0} ans</source>
        <translation>{0} yrs</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="110"/>
        <source>inconnu</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="111"/>
        <source>{0} — {1} : {2}/{3} lits occupés</source>
        <translation>{0} — {1}: {2}/{3} beds occupied</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="111"/>
        <source> · sans lit : {0} patient(s)</source>
        <translation> · no bed: {0} patient(s)</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="112"/>
        <source>SANS LIT</source>
        <translation>NO BED</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="175"/>
        <source>Chambre {0}</source>
        <translation>Room {0}</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="179"/>
        <source>En attente d&apos;un lit — faites glisser sur un lit libre</source>
        <translation>Waiting for a bed — drag onto a free bed</translation>
    </message>
</context>
<context>
    <name>CivView</name>
    <message>
        <location filename="../civ_view.py" line="187"/>
        <source>File de revue : chargement…</source>
        <translation>Review queue: loading…</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="190"/>
        <source>Dé&amp;lai des provisoires…</source>
        <translation>Provisional &amp;time limit…</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="198"/>
        <source>File de revue de l&apos;identitovigilance</source>
        <translation>Identity vigilance review queue</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="207"/>
        <source>Comparaison des identités, traits stricts d&apos;abord</source>
        <translation>Comparison of the identities, strict traits first</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="213"/>
        <source>● trait strict (RNIV) ; en rouge : ce qui diffère</source>
        <translation>● strict trait (RNIV); in red: what differs</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="215"/>
        <source>&amp;Garder A, fusionner B…</source>
        <translation>&amp;Keep A, merge B…</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="218"/>
        <source>Garder &amp;B, fusionner A…</source>
        <translation>Keep &amp;B, merge A…</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="235"/>
        <source>Fusions faites</source>
        <translation>Merges done</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="237"/>
        <source>Annuler la fusi&amp;on…</source>
        <translation>&amp;Undo the merge…</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="261"/>
        <source>File de &amp;revue</source>
        <translation>&amp;Review queue</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="262"/>
        <source>Fusion&amp;s faites</source>
        <translation>&amp;Merges done</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="289"/>
        <source>File de revue indisponible.</source>
        <translation>Review queue not available.</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="301"/>
        <source>À revoir : {0} — doublons possibles {1}, provisoires depuis plus de {2} h : {3}, douteuses {4}, fictives {5}, correspondances DPI {6}</source>
        <translation>To review: {0} — possible duplicates {1}, provisional for more than {2} h: {3}, doubtful {4}, fictitious {5}, HIS matches {6}</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="315"/>
        <source>Fusion&amp;s faites ({0})</source>
        <translation>&amp;Merges done ({0})</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="375"/>
        <source>Fusionner deux identités</source>
        <translation>Merge two identities</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="376"/>
        <source>Garder {0} et y fusionner {1} ?</source>
        <translation>Keep {0} and merge {1} into it?</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="377"/>
        <source>&amp;Fusionner</source>
        <translation>&amp;Merge</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="380"/>
        <source>Les séjours de l&apos;identité fusionnée, avec leurs mouvements, passent à l&apos;identité gardée. La fusion peut être annulée ensuite.</source>
        <translation>The stays of the merged identity, with their movements, move to the kept identity. The merge can be undone afterwards.</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="390"/>
        <source>Motif de la fusion</source>
        <translation>Reason for the merge</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="391"/>
        <source>Pourquoi ces deux identités sont-elles la même personne ?</source>
        <translation>Why are these two identities the same person?</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="392"/>
        <location filename="../civ_view.py" line="447"/>
        <source>Continuer</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="401"/>
        <source>Fusion faite</source>
        <translation>Merge done</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="402"/>
        <source>{0} séjour(s) et {1} mouvement(s) déplacé(s).</source>
        <translation>{0} stay(s) and {1} movement(s) moved.</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="407"/>
        <source>Le DPI connaît les deux identités : la fusion lui sera envoyée (A40).</source>
        <translation>The HIS knows both identities: the merge will be sent to it (A40).</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="409"/>
        <source>Le DPI ne connaît pas les deux identités : rien ne lui est envoyé.</source>
        <translation>The HIS does not know both identities: nothing is sent to it.</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="430"/>
        <source>Annuler une fusion</source>
        <translation>Undo a merge</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="431"/>
        <source>Rendre ses {0} séjour(s) à l&apos;identité fusionnée ?</source>
        <translation>Give its {0} stay(s) back to the merged identity?</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="432"/>
        <source>Annuler la &amp;fusion</source>
        <translation>&amp;Undo the merge</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="445"/>
        <source>Motif de l&apos;annulation</source>
        <translation>Reason for undoing</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="446"/>
        <source>Pourquoi annuler cette fusion ?</source>
        <translation>Why undo this merge?</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="456"/>
        <source>Délai des identités provisoires</source>
        <translation>Time limit for provisional identities</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="457"/>
        <source>Signaler une identité encore provisoire après (heures) :</source>
        <translation>Flag an identity still provisional after (hours):</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="461"/>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
</context>
<context>
    <name>CompareModel</name>
    <message>
        <location filename="../civ_view.py" line="110"/>
        <source>Trait</source>
        <translation>Trait</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="111"/>
        <source>Identité A</source>
        <translation>Identity A</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="112"/>
        <source>Identité B</source>
        <translation>Identity B</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="137"/>
        <source>{0} (différent)</source>
        <translation>{0} (different)</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../conflict_dialog.py" line="44"/>
        <source>Conflit entre postes</source>
        <translation>Conflict between workstations</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="57"/>
        <source>Deux postes ont corrigé cette identité différemment. Vérifiez avec le patient ou ses documents, puis gardez la bonne version ; elle sera envoyée aux autres postes et au DPI.</source>
        <translation>Two workstations corrected this identity differently. Check with the patient or their documents, then keep the right version; it will be sent to the other workstations and to the HIS.</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="62"/>
        <source>Ce qui diffère : {0}</source>
        <translation>What differs: {0}</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="73"/>
        <source>&amp;Garder cette version</source>
        <translation>&amp;Keep this version</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="78"/>
        <source>&amp;Prendre acte</source>
        <translation>&amp;Acknowledge</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="90"/>
        <source>nom de naissance</source>
        <translation>birth name</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="91"/>
        <source>nom utilisé</source>
        <translation>used name</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="92"/>
        <source>prénoms</source>
        <translation>first names</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="93"/>
        <source>prénom utilisé</source>
        <translation>used first name</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="94"/>
        <source>date de naissance</source>
        <translation>birth date</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="95"/>
        <source>sexe</source>
        <translation>sex</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="96"/>
        <source>lieu de naissance</source>
        <translation>place of birth</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="97"/>
        <source>INS</source>
        <translation>INS</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="98"/>
        <source>statut de l&apos;identité</source>
        <translation>identity status</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="107"/>
        <source>Nom de naissance : {0} — nom utilisé : {1}</source>
        <translation>Birth name: {0} — used name: {1}</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="108"/>
        <source>Prénoms : {0} — né(e) le {1} — sexe {2} — identité {3}</source>
        <translation>First names: {0} — born {1} — sex {2} — identity {3}</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="114"/>
        <source>Saisie sur {0} par {1} le {2}</source>
        <translation>Entered on {0} by {1} at {2}</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="124"/>
        <source>Ces mouvements ont été saisis en même temps sur deux postes. Le kit les a ordonnés de la même façon sur tous les postes ; un mouvement « écarté » était impossible dans cet ordre. Vérifiez la situation du patient, corrigez-la au besoin par un nouveau mouvement, puis prenez acte.</source>
        <translation>These movements were recorded at the same time on two workstations. The kit ordered them the same way on every workstation; a “left out” movement was not possible in that order. Check the patient’s situation, correct it with a new movement if needed, then acknowledge.</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="133"/>
        <source>retenu</source>
        <translation>kept</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="133"/>
        <source>écarté</source>
        <translation>left out</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="135"/>
        <source>• {0} du {1}, saisi sur {2} par {3} : {4}</source>
        <translation>• {0} at {1}, recorded on {2} by {3}: {4}</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="138"/>
        <source>ce poste</source>
        <translation>this workstation</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="146"/>
        <source>Le lit {0} de l&apos;UF {1} a été attribué sur deux postes : un des patients a été placé sans lit. Attribuez-lui un lit par une mutation, puis prenez acte.</source>
        <translation>Bed {0} of unit {1} was given on two workstations: one of the patients was placed without a bed. Give them a bed with a transfer, then acknowledge.</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="151"/>
        <source>Ce patient a été admis sur deux postes. Annulez l&apos;admission en trop (ou faites sortir le patient d&apos;un des séjours), puis prenez acte.</source>
        <translation>This patient was admitted on two workstations. Cancel the extra admission (or discharge the patient from one of the stays), then acknowledge.</translation>
    </message>
</context>
<context>
    <name>ConflictsModel</name>
    <message>
        <location filename="../exchange_view.py" line="144"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="144"/>
        <source>Conflit</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="144"/>
        <source>Détecté le</source>
        <translation>Detected</translation>
    </message>
</context>
<context>
    <name>ContactModel</name>
    <message>
        <location filename="../crisis_view.py" line="436"/>
        <source>Poste</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="437"/>
        <source>Dernier lot reçu</source>
        <translation>Last bundle received</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="438"/>
        <source>Depuis</source>
        <translation>Since</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="439"/>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="455"/>
        <source>⚠ jamais reçu de lot</source>
        <translation>⚠ no bundle ever received</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="457"/>
        <source>⚠ sans nouvelles depuis plus de {0}</source>
        <translation>⚠ no news for more than {0}</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="458"/>
        <source>en contact</source>
        <translation>in contact</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="472"/>
        <source>jamais</source>
        <translation>never</translation>
    </message>
</context>
<context>
    <name>CorrectMovementDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="189"/>
        <source>Corriger un mouvement</source>
        <translation>Correct a movement</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="191"/>
        <source>Corriger</source>
        <translation>Correct</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="203"/>
        <source>obligatoire : pourquoi ce mouvement est corrigé</source>
        <translation>required: why this movement is corrected</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="204"/>
        <source>Mouvement</source>
        <translation>Movement</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="205"/>
        <source>Date et heure</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="206"/>
        <source>UF</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="207"/>
        <source>Lit</source>
        <translation>Bed</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="208"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="222"/>
        <source>admission</source>
        <translation>admission</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="223"/>
        <source>mutation</source>
        <translation>transfer</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="224"/>
        <source>départ en absence temporaire</source>
        <translation>leave of absence</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="225"/>
        <source>retour d&apos;absence</source>
        <translation>return from leave</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="226"/>
        <source>sortie</source>
        <translation>discharge</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="227"/>
        <source>mouvement</source>
        <translation>movement</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="270"/>
        <source>— sans lit —</source>
        <translation>— no bed —</translation>
    </message>
</context>
<context>
    <name>CrisisView</name>
    <message>
        <location filename="../crisis_view.py" line="737"/>
        <location filename="../crisis_view.py" line="1173"/>
        <source>Indicateurs : chargement…</source>
        <translation>Indicators: loading…</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="748"/>
        <source>Admissions</source>
        <translation>Admissions</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="749"/>
        <source>Sorties</source>
        <translation>Discharges</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="750"/>
        <source>Lits occupés</source>
        <translation>Occupied beds</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="751"/>
        <source>Identités provisoires</source>
        <translation>Provisional identities</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="752"/>
        <source>À synchroniser</source>
        <translation>Pending sync</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="753"/>
        <source>Instantané du DPI</source>
        <translation>EHR snapshot</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="767"/>
        <location filename="../crisis_view.py" line="771"/>
        <source>Statut des services</source>
        <translation>Service status</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="808"/>
        <location filename="../crisis_view.py" line="1263"/>
        <source>Sélectionnez un service</source>
        <translation>Select a service</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="818"/>
        <source>Nouveau statut</source>
        <translation>New status</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="821"/>
        <source>Note (facultative)</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="822"/>
        <source>Note du changement de statut</source>
        <translation>Status change note</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="825"/>
        <source>Appliquer</source>
        <translation>Apply</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="706"/>
        <location filename="../crisis_view.py" line="865"/>
        <source>Main courante</source>
        <translation>Crisis log</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="707"/>
        <source>Consignes aux unités</source>
        <translation>Instructions to the wards</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="708"/>
        <location filename="../crisis_view.py" line="1405"/>
        <location filename="../crisis_view.py" line="1415"/>
        <source>Postes</source>
        <translation>Workstations</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="845"/>
        <source>Catégorie :</source>
        <translation>Category:</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="848"/>
        <source>toutes</source>
        <translation>all</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="857"/>
        <source>Filtrer (texte, auteur, service)…</source>
        <translation>Filter (text, author, service)…</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="879"/>
        <source>Catégorie de l&apos;entrée</source>
        <translation>Entry category</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="884"/>
        <source>Service concerné</source>
        <translation>Service concerned</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="885"/>
        <location filename="../crisis_view.py" line="1134"/>
        <source>(tous services)</source>
        <translation>(all services)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="888"/>
        <location filename="../crisis_view.py" line="1241"/>
        <source>Nouvelle entrée (Entrée pour ajouter)</source>
        <translation>New entry (Enter to add)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="891"/>
        <source>Ajouter</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="922"/>
        <source>Texte de la consigne</source>
        <translation>Instruction text</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="925"/>
        <source>Nouvelle consigne aux unités (Entrée pour envoyer)</source>
        <translation>New instruction to the wards (Enter to send)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="931"/>
        <source>Envoyer…</source>
        <translation>Send…</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="940"/>
        <source>À toutes les UF</source>
        <translation>To every UF</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="946"/>
        <source>UF destinataires (Espace coche ou décoche)</source>
        <translation>Addressed UFs (Space ticks or unticks)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="947"/>
        <source>Cochez les UF destinataires (Espace coche ou décoche)</source>
        <translation>Tick the addressed UFs (Space ticks or unticks)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="968"/>
        <source>Consignes envoyées</source>
        <translation>Instructions sent</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="992"/>
        <source>Postes : dernier lot reçu</source>
        <translation>Workstations: last bundle received</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1171"/>
        <source>Indicateurs non disponibles pour votre rôle.</source>
        <translation>Indicators are not available for your role.</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1180"/>
        <source>depuis la panne ({0})</source>
        <translation>since the outage ({0})</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1182"/>
        <source>Panne déclarée le {0} (il y a {1}) — premier service passé en mode dégradé</source>
        <translation>Outage declared on {0} ({1} ago) — first service switched to degraded mode</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1187"/>
        <source>sur les dernières 24 h</source>
        <translation>over the last 24 h</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1189"/>
        <source>Aucun service n&apos;est passé en mode dégradé : chiffres des dernières 24 h</source>
        <translation>No service has switched to degraded mode: figures for the last 24 h</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1195"/>
        <source>absents compris · {0} patient(s) sans lit</source>
        <translation>patients on leave included · {0} patient(s) with no bed</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1197"/>
        <source>patients en séjour</source>
        <translation>among current inpatients</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1200"/>
        <source> · identitovigilance : {0} à revoir ({1} doublon(s) possible(s))</source>
        <translation> · identity vigilance: {0} to review ({1} possible duplicate(s))</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1204"/>
        <source>en attente de reprise dans le DPI</source>
        <translation>awaiting entry into the EHR</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1207"/>
        <source>aucun</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1207"/>
        <source>aucun instantané du DPI sur ce poste</source>
        <translation>no EHR snapshot on this workstation</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1211"/>
        <source>pris le {0} — trop ancien (seuil {1})</source>
        <translation>taken {0} — too old (threshold {1})</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1217"/>
        <source>pris le {0}</source>
        <translation>taken on {0}</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1236"/>
        <source>Seule la cellule de crise change le statut des services.</source>
        <translation>Only the crisis cell can change the status of services.</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1243"/>
        <source>Pour votre UF : menu Crise ▸ Écrire dans la main courante… (Ctrl+J)</source>
        <translation>For your UF: menu Crisis ▸ Write in the main courante… (Ctrl+J)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1245"/>
        <source>Seule la cellule de crise écrit dans la main courante.</source>
        <translation>Only the crisis cell can write in the crisis log.</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1253"/>
        <source>Seule la cellule de crise envoie des consignes ; vous voyez celles adressées à vos UF.</source>
        <translation>Only the crisis cell sends instructions; you see those addressed to your UFs.</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1265"/>
        <source>{0} :</source>
        <translation>{0}:</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1350"/>
        <source>{0}/{1}</source>
        <translation>{0}/{1}</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1360"/>
        <source>Cochez au moins une UF, ou « À toutes les UF ».</source>
        <translation>Tick at least one UF, or 'To every UF'.</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1365"/>
        <source>toutes les UF</source>
        <translation>every UF</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1368"/>
        <source>Envoyer une consigne</source>
        <translation>Send an instruction</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1369"/>
        <source>Envoyer cette consigne à : {0} ?</source>
        <translation>Send this instruction to: {0}?</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1370"/>
        <source>Envoyer la consigne</source>
        <translation>Send the instruction</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1372"/>
        <source>« {0} »</source>
        <translation>'{0}'</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1396"/>
        <source>Consigne envoyée : elle part vers les unités avec le prochain lot d&apos;échange.</source>
        <translation>Instruction sent: it goes to the wards with the next exchange bundle.</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1410"/>
        <source>Tous les postes ont envoyé un lot depuis moins de {0}.</source>
        <translation>Every workstation sent a bundle less than {0} ago.</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1420"/>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1422"/>
        <source>jamais</source>
        <translation>never</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1427"/>
        <source>⚠ {0} poste(s) sans nouvelles depuis plus de {1} : {2}</source>
        <translation>⚠ {0} workstation(s) with no news for more than {1}: {2}</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="1436"/>
        <source>Postes (⚠ {0})</source>
        <translation>Workstations (⚠ {0})</translation>
    </message>
</context>
<context>
    <name>DischargeDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="134"/>
        <source>Sortie</source>
        <translation>Discharge</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="136"/>
        <source>Enregistrer la sortie</source>
        <translation>Record discharge</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="140"/>
        <source>8 — domicile</source>
        <translation>8 — home</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="141"/>
        <source>6 — mutation (même établissement)</source>
        <translation>6 — transfer (same facility)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="142"/>
        <source>7 — transfert (autre établissement)</source>
        <translation>7 — transfer (other facility)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="143"/>
        <source>9 — décès</source>
        <translation>9 — death</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="148"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="150"/>
        <source>1 — MCO</source>
        <translation>1 — acute care (MCO)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="151"/>
        <source>2 — SMR</source>
        <translation>2 — rehabilitation (SMR)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="152"/>
        <source>3 — soins de longue durée</source>
        <translation>3 — long-term care</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="153"/>
        <source>4 — psychiatrie</source>
        <translation>4 — psychiatry</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="154"/>
        <source>6 — HAD</source>
        <translation>6 — hospital at home (HAD)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="155"/>
        <source>7 — structure médico-sociale</source>
        <translation>7 — medico-social facility</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="160"/>
        <source>Mode de sortie</source>
        <translation>Discharge mode</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="161"/>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="162"/>
        <source>Établissement / précision</source>
        <translation>Facility / details</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <location filename="../document_dialog.py" line="147"/>
        <source>{0} — {1} page(s). Le document reste en mémoire : il n&apos;est enregistré que si vous le demandez.</source>
        <translation>{0} — {1} page(s). The document stays in memory: it is saved only if you ask.</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="154"/>
        <source>Imprimer… (Ctrl+P)</source>
        <translation>Print… (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="157"/>
        <source>Enregistrer en PDF… (Ctrl+S)</source>
        <translation>Save as PDF… (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="159"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="186"/>
        <source>Impression en cours…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="186"/>
        <source>Arrêter</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="195"/>
        <source>L&apos;impression a échoué : vérifiez l&apos;imprimante et recommencez.</source>
        <translation>Printing failed: check the printer and try again.</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="206"/>
        <source>{0} page(s) envoyée(s) à l&apos;imprimante.</source>
        <translation>{0} page(s) sent to the printer.</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="211"/>
        <source>Enregistrer le PDF</source>
        <translation>Save the PDF</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="211"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="235"/>
        <source>Enregistrement impossible : {0}</source>
        <translation>Cannot save: {0}</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="230"/>
        <source>PDF enregistré.</source>
        <translation>PDF saved.</translation>
    </message>
</context>
<context>
    <name>DraftOffer</name>
    <message>
        <location filename="../drafts.py" line="191"/>
        <source>Saisie interrompue</source>
        <translation>Interrupted form</translation>
    </message>
    <message>
        <location filename="../drafts.py" line="192"/>
        <source>Reprendre la saisie interrompue du {0} ?</source>
        <translation>Resume the form interrupted on {0}?</translation>
    </message>
    <message>
        <location filename="../drafts.py" line="198"/>
        <source>Un formulaire d&apos;admission n&apos;a pas été enregistré (poste arrêté pendant la saisie).</source>
        <translation>An admission form was not saved (the workstation shut down while it was being filled in).</translation>
    </message>
    <message>
        <location filename="../drafts.py" line="200"/>
        <source>Reprendre la saisie</source>
        <translation>Resume the form</translation>
    </message>
    <message>
        <location filename="../drafts.py" line="202"/>
        <source>Abandonner la saisie</source>
        <translation>Discard the form</translation>
    </message>
    <message>
        <location filename="../drafts.py" line="204"/>
        <source>Plus tard</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>DuplicateDialog</name>
    <message>
        <location filename="../duplicate_dialog.py" line="49"/>
        <source>Patient peut-être déjà connu</source>
        <translation>Patient possibly already known</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="52"/>
        <source>&lt;b&gt;Ce patient est peut-être déjà connu.&lt;/b&gt; Vérifiez avec lui ou sa pièce d&apos;identité : en cas de doute, utilisez l&apos;identité existante.</source>
        <translation>&lt;b&gt;This patient may already be known.&lt;/b&gt; Check with the patient or their ID document: if in doubt, use the existing identity.</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="76"/>
        <source>Revenir à la saisie</source>
        <translation>Back to the form</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="81"/>
        <source>C&apos;est un autre patient : &amp;admettre l&apos;identité du DPI…</source>
        <translation>This is another patient: admit the HIS &amp;identity…</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="83"/>
        <source>C&apos;est un autre patient : &amp;nouvelle identité…</source>
        <translation>This is another patient: &amp;new identity…</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="90"/>
        <source>Pourquoi est-ce un autre patient ? (motif obligatoire, inscrit au journal d&apos;audit)</source>
        <translation>Why is this another patient? (reason required, written to the audit log)</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="95"/>
        <source>ex. homonyme, pièce d&apos;identité vue, autre date de naissance</source>
        <translation>e.g. same name, ID document seen, different date of birth</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="98"/>
        <source>&amp;Admettre l&apos;identité du DPI</source>
        <translation>&amp;Admit the HIS identity</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="100"/>
        <source>&amp;Créer la nouvelle identité</source>
        <translation>&amp;Create the new identity</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="130"/>
        <source>Admettre sous l&apos;identité du DPI</source>
        <translation>Admit under the HIS identity</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="135"/>
        <source>Ouvrir ce patient (déjà en séjour)</source>
        <translation>Open this patient (already admitted)</translation>
    </message>
    <message>
        <location filename="../duplicate_dialog.py" line="137"/>
        <source>Réadmettre ce patient</source>
        <translation>Readmit this patient</translation>
    </message>
</context>
<context>
    <name>ErrorsModel</name>
    <message>
        <location filename="../sync_view.py" line="50"/>
        <source>Événement</source>
        <translation>Event</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="51"/>
        <source>N° provisoire</source>
        <translation>Provisional no.</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="52"/>
        <source>En attente derrière</source>
        <translation>Waiting behind</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="53"/>
        <source>Réponse du DPI</source>
        <translation>HIS reply</translation>
    </message>
</context>
<context>
    <name>ExchangeView</name>
    <message>
        <location filename="../exchange_view.py" line="191"/>
        <source>Instantanés du DPI (avant la panne)</source>
        <translation>HIS snapshots (before the outage)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="198"/>
        <source>Importer l&apos;&amp;index du DPI…</source>
        <translation>Import the HIS in&amp;dex…</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="213"/>
        <source>Connexion : vue par le Syncthing du kit sur ce poste (« — » : il ne tourne pas ici)</source>
        <translation>Connection: as seen by the kit's Syncthing on this workstation ('—': it does not run here)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="219"/>
        <source>&amp;Exporter un lot maintenant</source>
        <translation>&amp;Export a bundle now</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="221"/>
        <source>&amp;Importer des lots…</source>
        <translation>&amp;Import bundles…</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="227"/>
        <source>Postes du site : lots d&apos;échange reçus</source>
        <translation>Workstations of the site: exchange bundles received</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="235"/>
        <source>&amp;Régler le conflit…</source>
        <translation>&amp;Settle the conflict…</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="237"/>
        <source>Conflits entre postes à régler</source>
        <translation>Conflicts between workstations to settle</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="289"/>
        <source>Aucun instantané du DPI sur ce poste : le recensement ne montre que ce qui a été saisi ici ou reçu d&apos;autres postes.</source>
        <translation>No HIS snapshot on this workstation: the census shows only what was entered here or received from other workstations.</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="293"/>
        <source>Dernier instantané pris le {0}, il y a {1} (seuil d&apos;alerte : {2}).</source>
        <translation>Newest snapshot taken {0}, {1} ago (alert threshold: {2}).</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="297"/>
        <source>⚠ TROP ANCIEN — </source>
        <translation>⚠ TOO OLD — </translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="301"/>
        <source>Aucun index des identités du DPI sur ce poste : l&apos;admission ne cherche que les patients d&apos;ici.</source>
        <translation>No HIS identity index on this workstation: admission only searches the patients here.</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="306"/>
        <source>Index des identités du DPI : {0} identités, extraction {1} du {2}, importée le {3}.</source>
        <translation>HIS identity index: {0} identities, extract {1} taken {2}, imported {3}.</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="321"/>
        <source>Changements en attente d&apos;un lot manquant : {0} · conflits ouverts : {1}</source>
        <translation>Changes waiting for a missing bundle: {0} · open conflicts: {1}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="344"/>
        <source>Rien de nouveau à exporter.</source>
        <translation>Nothing new to export.</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="346"/>
        <source>Lot d&apos;échange écrit : {0}</source>
        <translation>Exchange bundle written: {0}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="354"/>
        <source>Importer des lots d&apos;échange</source>
        <translation>Import exchange bundles</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="354"/>
        <source>Lots d&apos;échange (*.cxb)</source>
        <translation>Exchange bundles (*.cxb)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="370"/>
        <source>{0} : refusé — {1}</source>
        <translation>{0}: refused — {1}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="376"/>
        <source>{0} : {1} changement(s) appliqué(s), {2} en attente, {3} impossible(s)</source>
        <translation>{0}: {1} change(s) applied, {2} waiting, {3} impossible</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="381"/>
        <source>{0} : lot de ce poste même</source>
        <translation>{0}: bundle from this very workstation</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="383"/>
        <source>{0} : déjà importé</source>
        <translation>{0}: already imported</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="384"/>
        <source>Lots d&apos;échange</source>
        <translation>Exchange bundles</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="391"/>
        <source>Importer l&apos;index du DPI</source>
        <translation>Import the HIS index</translation>
    </message>
</context>
<context>
    <name>FormGuard</name>
    <message>
        <location filename="../form_guard.py" line="68"/>
        <location filename="../form_guard.py" line="75"/>
        <source>Abandonner la saisie</source>
        <translation>Discard the form</translation>
    </message>
    <message>
        <location filename="../form_guard.py" line="69"/>
        <source>Abandonner la saisie ?</source>
        <translation>Discard the form?</translation>
    </message>
    <message>
        <location filename="../form_guard.py" line="74"/>
        <source>Ce qui a été saisi dans ce formulaire sera perdu.</source>
        <translation>What has been entered in this form will be lost.</translation>
    </message>
    <message>
        <location filename="../form_guard.py" line="77"/>
        <source>Continuer la saisie</source>
        <translation>Keep editing</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <location filename="../help_view.py" line="26"/>
        <source>Aide — kit de continuité</source>
        <translation>Help — continuity kit</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="34"/>
        <source>Aide</source>
        <translation>Help</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="36"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="60"/>
        <source>Admettre un patient (Ctrl+N)</source>
        <translation>Admit a patient (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="63"/>
        <source>Patient → Admettre (Ctrl+N) ouvre le formulaire d&apos;admission : UF, lit, nom de naissance, prénoms, date de naissance et sexe. Entrée enregistre.</source>
        <translation>Patient → Admit (Ctrl+N) opens the admission form: unit (UF), bed, birth name, first names, date of birth and sex. Enter saves.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="67"/>
        <source>Un patient déjà connu se retrouve par la recherche (Ctrl+F) : tapez son nom ou son numéro, ou scannez le code-barres de son bracelet ou de son étiquette avec le lecteur : le patient s&apos;ouvre directement.</source>
        <translation>A patient who is already known is found with the search (Ctrl+F): type their name or number, or scan the barcode on their wristband or label with the scanner: the patient opens straight away.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="72"/>
        <source>Doublon possible : si l&apos;identité saisie ressemble à une identité existante, le kit les montre avant de créer quoi que ce soit. Vérifiez avec le patient ou sa pièce d&apos;identité. Le choix par défaut (Entrée) utilise le patient existant ; ne créez une nouvelle identité que s&apos;il s&apos;agit bien d&apos;un autre patient.</source>
        <translation>Possible duplicate: if the identity entered looks like an existing one, the kit shows the matches before creating anything. Check with the patient or their ID document. The default choice (Enter) uses the existing patient; only create a new identity if it really is another patient.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="79"/>
        <source>Traits stricts d&apos;abord, recopiés de la pièce d&apos;identité : nom de naissance, tous les prénoms de naissance dans l&apos;ordre de l&apos;état civil, date et lieu de naissance, sexe. Nom et prénom utilisés viennent ensuite (traits complémentaires).</source>
        <translation>Strict traits first, copied from the ID document: birth name, all birth first names in civil-register order, date and place of birth, sex. Used name and used first name come next (complementary traits).</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="85"/>
        <source>Statut « validée » : seulement si vous avez vu et vérifié une pièce d&apos;identité à haut niveau de confiance (carte d&apos;identité, passeport, titre de séjour ; pour un mineur, livret de famille ou extrait d&apos;acte de naissance avec la pièce d&apos;un parent), non expirée ; votre nom et la date sont enregistrés. La carte Vitale n&apos;est pas une pièce d&apos;identité. « Qualifiée » est impossible hors ligne (INSi) : seules les identités du DPI le sont. Identité douteuse ou fictive : cochez-le ; elle reste provisoire.</source>
        <translation>“Validated” status: only if you have seen and checked a high-trust ID document (identity card, passport, residence permit; for a minor, family record book or birth certificate extract with a parent&apos;s ID document) that has not expired; your name and the date are recorded. The Carte Vitale is not an ID document. “Qualified” is impossible offline (INSi): only the HIS&apos;s identities are qualified. Doubtful or fictitious identity: tick the box; the identity stays provisional.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="94"/>
        <source>Code 2D (Datamatrix INS) d&apos;un document : scannez-le dans le formulaire, le curseur dans le nom de naissance ou dans le champ du code. Les traits stricts se remplissent ; le matricule INS reste un trait non vérifié jusqu&apos;à la qualification par le DPI. Comparez avec la pièce d&apos;identité.</source>
        <translation>2D code (INS Datamatrix) of a document: scan it in the form, with the cursor in the birth name or in the code field. The strict traits fill in; the INS number stays an unverified trait until the HIS qualifies the identity. Compare with the ID document.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="100"/>
        <source>« HOMONYME » sur le bracelet, les étiquettes et la fiche du patient : une autre identité a les mêmes nom de naissance, premier prénom et date de naissance. Vérifiez l&apos;identité à chaque soin et à chaque prélèvement.</source>
        <translation>“HOMONYM” on the wristband, the labels and the patient sheet: another identity has the same birth name, first first name and date of birth. Check the identity before every act of care and every sample.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="108"/>
        <source>Patient inconnu ou inconscient</source>
        <translation>Unknown or unconscious patient</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="111"/>
        <source>Cochez « Patient inconnu / inconscient (identité d&apos;attente) » dans le formulaire d&apos;admission : le kit crée une identité d&apos;attente provisoire, avec un nom d&apos;attente distinct pour chaque patient, pour ne jamais confondre deux patients inconnus.</source>
        <translation>Tick “Unknown / unconscious patient (placeholder identity)” in the admission form: the kit creates a provisional placeholder identity, with a different placeholder name for each patient, so that two unknown patients are never mixed up.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="117"/>
        <source>Dès que l&apos;identité est connue, signalez-la à la cellule d&apos;identitovigilance (CIV) : elle la rapproche de l&apos;identité du DPI au retour du SIH ; le séjour, le lit et les mouvements restent les siens.</source>
        <translation>As soon as the identity is known, report it to the patient identification monitoring unit (CIV): it matches it with the identity in the HIS once the HIS is back; the patient keeps their stay, bed and movements.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="125"/>
        <source>Saisir un formulaire papier (Ctrl+R)</source>
        <translation>Key in a paper form (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="128"/>
        <source>Quand une admission a été faite sur un formulaire papier pré-numéroté (Imprimer → Formulaires d&apos;admission vierges), Patient → Saisir un formulaire papier (Ctrl+R) : scannez le code-barres du formulaire ou tapez ses 10 chiffres, puis recopiez le formulaire.</source>
        <translation>When an admission was done on a pre-numbered paper form (Print → Pre-numbered blank admission forms), use Patient → Key in a paper form (Ctrl+R): scan the form&apos;s barcode or type its 10 digits, then copy the form in.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="134"/>
        <source>La date et l&apos;heure d&apos;admission sont celles écrites sur le papier. Un formulaire ne peut être saisi qu&apos;une fois.</source>
        <translation>The admission date and time are the ones written on the paper. A form can only be keyed in once.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="141"/>
        <source>Annuler le dernier mouvement (Ctrl+Z)</source>
        <translation>Cancel last movement (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="144"/>
        <source>Juste après un mouvement, le patient reste sélectionné (même sorti) et la barre d&apos;état propose « Annuler ce mouvement ». Sinon, sélectionnez le patient, puis Patient → Annuler le dernier mouvement (Ctrl+Z) : le dernier mouvement encore en vigueur (admission, mutation, absence, retour, sortie) est annulé, après une confirmation qui nomme le patient. Une sortie annulée rouvre le séjour dans son lit ; si ce lit a été repris, le kit en demande un autre (ou sans lit).</source>
        <translation>Right after a movement, the patient stays selected (even once discharged) and the status bar offers “Cancel this movement”. Otherwise, select the patient, then Patient → Cancel last movement (Ctrl+Z): the last movement still in effect (admission, transfer, leave, return, discharge) is cancelled, after a confirmation that names the patient. A cancelled discharge reopens the stay in its bed; if that bed has been taken since, the kit asks for another one (or no bed).</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="153"/>
        <source>C&apos;est possible pendant 24 heures par défaut (réglage du site) ; au-delà, seule la cellule de crise peut annuler, depuis son recensement.</source>
        <translation>This is possible for 24 hours by default (a site setting); after that, only the crisis cell can cancel, from its census.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="160"/>
        <source>Corriger un mouvement (Ctrl+M)</source>
        <translation>Correct a movement (Ctrl+M)</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="163"/>
        <source>Un mouvement saisi à la mauvaise heure, ou une mutation dans le mauvais lit ou la mauvaise UF, se corrige sans l&apos;annuler : sélectionnez le patient, puis Patient → Corriger un mouvement (Ctrl+M). Choisissez le mouvement (le dernier est proposé), corrigez l&apos;heure, et pour une admission ou une mutation l&apos;UF et le lit, puis dites pourquoi (motif obligatoire).</source>
        <translation>A movement recorded at the wrong time, or a transfer into the wrong bed or unit, is corrected without cancelling it: select the patient, then Patient → Correct a movement (Ctrl+M). Choose the movement (the latest is offered), correct the time, and for an admission or a transfer the unit and bed, then say why (reason required).</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="170"/>
        <source>Les mouvements restent dans l&apos;ordre et le lit choisi doit avoir été libre à cette heure-là. Le DPI reçoit une seule correction du même mouvement. Mêmes droits que pour annuler : 24 heures par défaut, puis la cellule de crise.</source>
        <translation>Movements stay in order and the chosen bed must have been free at that time. The HIS receives one correction of the same movement. Same rights as for cancelling: 24 hours by default, then the crisis cell.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="178"/>
        <source>Verrouiller le poste (Ctrl+L)</source>
        <translation>Lock the workstation (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="181"/>
        <source>Fichier → Verrouiller le poste (Ctrl+L) dès que vous quittez le poste ; il se verrouille aussi seul après quelques minutes sans activité. Plus aucun patient n&apos;est affiché.</source>
        <translation>File → Lock workstation (Ctrl+L) as soon as you leave the workstation; it also locks itself after a few minutes of inactivity. No patient is shown any more.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="186"/>
        <source>Les formulaires en cours sont gardés : ils réapparaissent tels quels quand le même utilisateur déverrouille. Un autre utilisateur ne les voit pas.</source>
        <translation>Forms being filled in are kept: they come back just as they were when the same user unlocks. Another user does not see them.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="193"/>
        <source>Muter un patient (Ctrl+T)</source>
        <translation>Transfer a patient (Ctrl+T)</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="196"/>
        <source>Sélectionnez le patient, puis Patient → Muter (Ctrl+T) : choisissez l&apos;UF et le lit de destination, puis « Muter ».</source>
        <translation>Select the patient, then Patient → Transfer (Ctrl+T): choose the destination unit and bed, then “Transfer”.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="199"/>
        <source>Imprimer → Fiche de transfert du patient sélectionné accompagne le patient.</source>
        <translation>Print → Transfer sheet of the selected patient: the sheet goes with the patient.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="204"/>
        <source>Sortie (Ctrl+D)</source>
        <translation>Discharge (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="207"/>
        <source>Sélectionnez le patient, puis Patient → Sortie (Ctrl+D) : indiquez le mode de sortie et, s&apos;il y a lieu, la destination, puis « Enregistrer la sortie ». Le lit est libéré.</source>
        <translation>Select the patient, then Patient → Discharge (Ctrl+D): enter the discharge mode and, if relevant, the destination, then “Record discharge”. The bed is freed.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="215"/>
        <source>Consignes de la cellule de crise, main courante (Ctrl+J)</source>
        <translation>Crisis cell instructions, main courante (Ctrl+J)</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="218"/>
        <source>Une consigne de la cellule de crise pour votre UF s&apos;affiche dans le bandeau jaune au-dessus des onglets, et y reste jusqu&apos;à ce qu&apos;on en accuse réception : lisez-la, puis « J&apos;ai lu — accuser réception » (Alt+J). La cellule de crise voit quel poste l&apos;a lue, et quand. Plusieurs consignes viennent l&apos;une après l&apos;autre, la plus ancienne d&apos;abord (1/3, 2/3…).</source>
        <translation>An instruction of the crisis cell for your UF shows in the yellow bar above the tabs, and stays there until it is acknowledged: read it, then 'I have read it — acknowledge' (Alt+J). The crisis cell sees which workstation read it, and when. Several instructions come one after the other, the oldest first (1/3, 2/3…).</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="225"/>
        <source>Crise → Écrire dans la main courante (Ctrl+J) : ce qui se passe dans votre UF (une alerte, une décision, une action). L&apos;entrée est datée, signée de votre nom et part vers la cellule de crise avec le prochain lot d&apos;échange.</source>
        <translation>Crisis → Write in the main courante (Ctrl+J): what is happening in your UF (an alert, a decision, an action). The entry is dated, signed with your name and goes to the crisis cell with the next exchange bundle.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="233"/>
        <source>Imprimer (menu Imprimer)</source>
        <translation>Printing (Print menu)</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="236"/>
        <source>Le menu Imprimer prépare le recensement du service (Ctrl+P), le bracelet (Ctrl+B) et les étiquettes du patient sélectionné, ceux de toute l&apos;UF, la fiche de transfert, le registre des mouvements, les formulaires d&apos;admission vierges et, pour la cellule de crise, le point de situation.</source>
        <translation>The Print menu prepares the ward census (Ctrl+P), the wristband (Ctrl+B) and labels of the selected patient or of the whole unit, the transfer sheet, the movement register, blank admission forms and, for the crisis cell, the situation report.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="242"/>
        <source>Chaque document s&apos;ouvre en aperçu : « Imprimer » (Ctrl+P) ou « Enregistrer en PDF » (Ctrl+S). Rien n&apos;est écrit sur le poste sans votre demande.</source>
        <translation>Each document opens in a preview: “Print” (Ctrl+P) or “Save as PDF” (Ctrl+S). Nothing is written to the workstation unless you ask.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="249"/>
        <source>Identitovigilance : revoir et fusionner des identités</source>
        <translation>Identity vigilance: review and merge identities</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="252"/>
        <source>Seule la cellule d&apos;identitovigilance fusionne deux identités. Son onglet « Identitovigilance » liste ce qui est à revoir : doublons possibles (même date de naissance, ou jour et mois inversés, et noms proches à l&apos;écrit ou à l&apos;oreille), identités encore provisoires après le délai, douteuses, fictives, correspondances avec le DPI à décider.</source>
        <translation>Only the identity vigilance cell merges two identities. Its “Identity vigilance” tab lists what needs reviewing: possible duplicates (same date of birth, or day and month swapped, and names that look or sound alike), identities still provisional after the time limit, doubtful identities, fictitious identities, matches with the HIS to decide on.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="259"/>
        <source>Choisissez une ligne : les deux identités s&apos;affichent côte à côte, les traits stricts d&apos;abord (en gras), ce qui diffère en rouge. « Garder A, fusionner B » (Alt+G) ou « Garder B, fusionner A » (Alt+B) demande un motif puis une confirmation : les séjours de l&apos;identité fusionnée, avec leurs mouvements, passent à l&apos;identité gardée. Une fusion s&apos;annule depuis « Fusions faites ».</source>
        <translation>Choose a row: the two identities are shown side by side, strict traits first (in bold), differences in red. “Keep A, merge B” (Alt+K) or “Keep B, merge A” (Alt+B) asks for a reason, then for a confirmation: the stays of the merged identity, with their movements, move to the kept identity. A merge is undone from “Merges done”.</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="271"/>
        <source>Aide — mode dégradé</source>
        <translation>Help — degraded mode</translation>
    </message>
    <message>
        <location filename="../help_view.py" line="277"/>
        <source>Le kit enregistre les admissions et les mouvements sur ce poste, chiffrés, pendant la panne du système d&apos;information ; tout est restitué au DPI à son retour. F1 ouvre cette aide à tout moment.</source>
        <translation>During an outage of the information system, the kit records admissions and movements on this workstation, encrypted; everything is handed back to the HIS when it returns. F1 opens this help at any time.</translation>
    </message>
</context>
<context>
    <name>ImportsModel</name>
    <message>
        <location filename="../exchange_view.py" line="116"/>
        <source>Reçu le</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="116"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="116"/>
        <source>Pris le</source>
        <translation>Taken</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="116"/>
        <source>Résultat</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="123"/>
        <source>mis en quarantaine : {0}</source>
        <translation>quarantined: {0}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="127"/>
        <source>plus ancien que le recensement en place (identités seules)</source>
        <translation>older than the census in place (identities only)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="129"/>
        <source>importé : {0} patients, {1} séjours ajoutés, {2} sortis</source>
        <translation>imported: {0} patients, {1} stays added, {2} left</translation>
    </message>
</context>
<context>
    <name>IndexImportDialog</name>
    <message>
        <location filename="../index_import_dialog.py" line="66"/>
        <source>Importer l&apos;index du DPI</source>
        <translation>Import the HIS index</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="70"/>
        <source>Import de l&apos;index des identités du DPI : l&apos;index en place reste utilisé jusqu&apos;à la fin, et reste tel quel si l&apos;import est annulé ou refusé.</source>
        <translation>Importing the HIS identity index: the current index stays in use until the end, and stays unchanged if the import is cancelled or refused.</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="78"/>
        <source>Lecture du fichier…</source>
        <translation>Reading the file…</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="81"/>
        <source>Annuler l&apos;import</source>
        <translation>Cancel the import</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="133"/>
        <source>Index de recherche : {0} clés écrites</source>
        <translation>Search index: {0} keys written</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="135"/>
        <source>{0} / {1} identités lues — {2:.0f}/s</source>
        <translation>{0} / {1} identities read — {2:.0f}/s</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="137"/>
        <source>{0} identités lues — {1:.0f}/s</source>
        <translation>{0} identities read — {1:.0f}/s</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="139"/>
        <source> — reste ≈ {0}</source>
        <translation> — ≈ {0} left</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="145"/>
        <source>{0} min {1:02d} s</source>
        <translation>{0} min {1:02d} s</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="146"/>
        <source>{0} s</source>
        <translation>{0} s</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="169"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../index_import_dialog.py" line="177"/>
        <source>Annulation demandée : l&apos;index en place ne change pas…</source>
        <translation>Cancellation requested: the current index does not change…</translation>
    </message>
</context>
<context>
    <name>InstructionBar</name>
    <message>
        <location filename="../instruction_bar.py" line="71"/>
        <source>&amp;J&apos;ai lu — accuser réception</source>
        <translation>I have read it — acknowledge (&amp;J)</translation>
    </message>
    <message>
        <location filename="../instruction_bar.py" line="74"/>
        <source>Accuser réception de cette consigne (Alt+J) : la cellule de crise le verra</source>
        <translation>Acknowledge this instruction (Alt+J): the crisis cell will see it</translation>
    </message>
    <message>
        <location filename="../instruction_bar.py" line="146"/>
        <source>CONSIGNE DE LA CELLULE DE CRISE ({0}/{1})</source>
        <translation>CRISIS CELL INSTRUCTION ({0}/{1})</translation>
    </message>
    <message>
        <location filename="../instruction_bar.py" line="148"/>
        <source>CONSIGNE DE LA CELLULE DE CRISE</source>
        <translation>CRISIS CELL INSTRUCTION</translation>
    </message>
    <message>
        <location filename="../instruction_bar.py" line="151"/>
        <source>toutes les UF</source>
        <translation>every UF</translation>
    </message>
    <message>
        <location filename="../instruction_bar.py" line="153"/>
        <source>Envoyée le {0} par {1} (poste {2}) — à : {3}</source>
        <translation>Sent on {0} by {1} (workstation {2}) — to: {3}</translation>
    </message>
</context>
<context>
    <name>InstructionsModel</name>
    <message>
        <location filename="../crisis_view.py" line="359"/>
        <source>Envoyée le</source>
        <translation>Sent on</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="360"/>
        <source>Consigne</source>
        <translation>Instruction</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="361"/>
        <source>À</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="362"/>
        <source>Accusé de réception</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="363"/>
        <source>Pas encore</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="364"/>
        <source>Par</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="384"/>
        <source>Postes du site qui n&apos;ont pas encore accusé réception (un poste dont aucune UF n&apos;est destinataire n&apos;accusera jamais réception)</source>
        <translation>Workstations of the site that have not acknowledged it yet (a workstation none of whose UFs is addressed will never acknowledge it)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="400"/>
        <source>toutes les UF</source>
        <translation>every UF</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="403"/>
        <source>aucun</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="405"/>
        <source>{0} ({1}, {2})</source>
        <translation>{0} ({1}, {2})</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="410"/>
        <source>{0} : {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="417"/>
        <source>{0} : {1}, le {2}</source>
        <translation>{0}: {1}, on {2}</translation>
    </message>
</context>
<context>
    <name>LogEntryDialog</name>
    <message>
        <location filename="../log_entry_dialog.py" line="48"/>
        <source>Main courante — nouvelle entrée</source>
        <translation>Main courante — new entry</translation>
    </message>
    <message>
        <location filename="../log_entry_dialog.py" line="56"/>
        <source>L&apos;entrée est datée et signée de votre nom ; elle part vers la cellule de crise avec le prochain lot d&apos;échange.</source>
        <translation>The entry is dated and signed with your name; it goes to the crisis cell with the next exchange bundle.</translation>
    </message>
    <message>
        <location filename="../log_entry_dialog.py" line="74"/>
        <source>Ce qui se passe dans le service, ce qui a été décidé…</source>
        <translation>What is happening in the ward, what was decided…</translation>
    </message>
    <message>
        <location filename="../log_entry_dialog.py" line="82"/>
        <source>UF</source>
        <translation>UF</translation>
    </message>
    <message>
        <location filename="../log_entry_dialog.py" line="83"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../log_entry_dialog.py" line="84"/>
        <source>Texte</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../log_entry_dialog.py" line="87"/>
        <source>Ajouter à la main courante</source>
        <translation>Add to the main courante</translation>
    </message>
    <message>
        <location filename="../log_entry_dialog.py" line="92"/>
        <source>Ajouter (Ctrl+Entrée)</source>
        <translation>Add (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../log_entry_dialog.py" line="115"/>
        <source>{0} / {1} caractères</source>
        <translation>{0} / {1} characters</translation>
    </message>
    <message>
        <location filename="../log_entry_dialog.py" line="124"/>
        <source>Écrivez le texte de l&apos;entrée.</source>
        <translation>Write the text of the entry.</translation>
    </message>
</context>
<context>
    <name>LogTableModel</name>
    <message>
        <location filename="../crisis_view.py" line="255"/>
        <source>Auteur@poste</source>
        <translation>Author@workstation</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="266"/>
        <source>information</source>
        <translation>information</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="267"/>
        <source>décision</source>
        <translation>decision</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="268"/>
        <source>action</source>
        <translation>action</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="269"/>
        <source>alerte</source>
        <translation>alert</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="254"/>
        <source>Heure</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="256"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="257"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="258"/>
        <source>Texte</source>
        <translation>Text</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="70"/>
        <source>La langue choisie s&apos;appliquera au prochain démarrage.</source>
        <translation>The chosen language will apply at the next start.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="82"/>
        <location filename="../main_window.py" line="585"/>
        <source>Kit de continuité — mode dégradé</source>
        <translation>Continuity kit — degraded mode</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="90"/>
        <source>Dossier de données : {0}</source>
        <translation>Data folder: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="136"/>
        <source>Base chiffrée</source>
        <translation>Encrypted database</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="137"/>
        <source>Base chiffrée : {0}</source>
        <translation>Encrypted database: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="176"/>
        <source>Dossier surveillé inaccessible : {0}</source>
        <translation>Watched folder not available: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="183"/>
        <source>Syncthing n&apos;a pas démarré sur ce poste : le dossier d&apos;échange reste surveillé, à copier à la main (clé USB). Voir continuity doctor.</source>
        <translation>Syncthing did not start on this workstation: the exchange folder is still watched, to be copied by hand (USB stick). See continuity doctor.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="192"/>
        <source>Annuler ce mouvement (Ctrl+Z)</source>
        <translation>Cancel this movement (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="227"/>
        <source>&amp;Fichier</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="229"/>
        <source>&amp;Verrouiller le poste</source>
        <translation>&amp;Lock workstation</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="233"/>
        <source>&amp;Exporter un lot d&apos;échange</source>
        <translation>&amp;Export an exchange bundle</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="240"/>
        <source>Importer l&apos;&amp;index du DPI…</source>
        <translation>Import the HIS &amp;index…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="247"/>
        <source>&amp;Quitter</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="249"/>
        <source>&amp;Patient</source>
        <translation>&amp;Patient</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="251"/>
        <source>&amp;Rechercher</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="252"/>
        <source>&amp;Admettre…</source>
        <translation>&amp;Admit…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="253"/>
        <source>&amp;Muter…</source>
        <translation>&amp;Transfer…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="254"/>
        <source>Absence &amp;temporaire</source>
        <translation>Temporary &amp;leave</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="255"/>
        <source>R&amp;etour d&apos;absence</source>
        <translation>&amp;Return from leave</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="256"/>
        <source>&amp;Sortie…</source>
        <translation>&amp;Discharge…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="259"/>
        <source>Annuler le &amp;dernier mouvement</source>
        <translation>Cancel last &amp;movement</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="266"/>
        <source>&amp;Corriger un mouvement…</source>
        <translation>&amp;Correct a movement…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="273"/>
        <source>Saisir un &amp;formulaire papier…</source>
        <translation>Key in a paper &amp;form…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="276"/>
        <source>&amp;Crise</source>
        <translation>&amp;Crisis</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="279"/>
        <source>Écrire dans la &amp;main courante…</source>
        <translation>Write in the &amp;main courante…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="288"/>
        <source>&amp;Affichage</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="290"/>
        <source>&amp;Grandes polices</source>
        <translation>Large &amp;fonts</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="295"/>
        <source>&amp;Contraste élevé</source>
        <translation>&amp;High contrast</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="300"/>
        <source>&amp;Délai de verrouillage automatique…</source>
        <translation>Auto-lock &amp;delay…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="302"/>
        <source>&amp;Langue</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="306"/>
        <source>Ai&amp;de</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="308"/>
        <source>&amp;Aide</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="309"/>
        <source>À &amp;propos</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="379"/>
        <source>Entrée ajoutée à la main courante ({0}) : elle partira avec le prochain lot d&apos;échange.</source>
        <translation>Entry added to the main courante ({0}): it will go with the next exchange bundle.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="400"/>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="468"/>
        <source>Service</source>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="468"/>
        <source>Recensement</source>
        <translation>Census</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="472"/>
        <location filename="../main_window.py" line="477"/>
        <location filename="../main_window.py" line="500"/>
        <source>Cellule de crise</source>
        <translation>Crisis cell</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="480"/>
        <source>Identitovigilance</source>
        <translation>Identity vigilance</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="484"/>
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="487"/>
        <source>Reprise DPI</source>
        <translation>HIS hand-back</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="489"/>
        <source>Échanges et instantanés</source>
        <translation>Exchange and snapshots</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="518"/>
        <source>Verrouillé</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="555"/>
        <source>Fichier d&apos;état du poste non écrit (voir le journal de l&apos;application)</source>
        <translation>Workstation health file not written (see the application log)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="586"/>
        <source>EXERCICE — {0}</source>
        <translation>EXERCISE — {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="595"/>
        <source>À synchroniser : {0}</source>
        <translation>Pending sync: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="597"/>
        <source>Instantané DPI : aucun</source>
        <translation>HIS snapshot: none</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="599"/>
        <source>Instantané DPI : il y a {0}</source>
        <translation>HIS snapshot: {0} ago</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="604"/>
        <source>Seuil d&apos;alerte : {0}</source>
        <translation>Alert threshold: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="618"/>
        <source>Instantané refusé (quarantaine) : {0}</source>
        <translation>Snapshot refused (quarantine): {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="620"/>
        <source>Instantané du DPI importé : {0}</source>
        <translation>HIS snapshot imported: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="626"/>
        <source>Lot d&apos;échange refusé : {0}</source>
        <translation>Exchange bundle refused: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="628"/>
        <source>Lot d&apos;échange importé : {0}</source>
        <translation>Exchange bundle imported: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="634"/>
        <source>Dernier enregistrement : {0}</source>
        <translation>Last saved: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="676"/>
        <source>Verrouillage automatique</source>
        <translation>Auto-lock</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="677"/>
        <source>Verrouiller le poste après combien de minutes sans activité ?</source>
        <translation>Lock the workstation after how many minutes of inactivity?</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="681"/>
        <source>Appliquer</source>
        <translation>Apply</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="69"/>
        <source>Langue</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="700"/>
        <source>À propos</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="702"/>
        <source>&lt;b&gt;Kit de continuité — mode dégradé&lt;/b&gt;&lt;br&gt;Version {0}&lt;br&gt;&lt;br&gt;Admissions et mouvements hors ligne, chiffrés sur ce poste, pendant une panne du système d&apos;information hospitalier ; restitution au SIH à son retour.</source>
        <translation>&lt;b&gt;Continuity kit — degraded mode&lt;/b&gt;&lt;br&gt;Version {0}&lt;br&gt;&lt;br&gt;Offline admissions and movements, encrypted on this workstation, during an outage of the hospital information system (HIS); handed back to the HIS when it returns.</translation>
    </message>
</context>
<context>
    <name>MergesModel</name>
    <message>
        <location filename="../civ_view.py" line="146"/>
        <source>Fusion le</source>
        <translation>Merged on</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="146"/>
        <source>Par</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="146"/>
        <source>Séjours déplacés</source>
        <translation>Stays moved</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="146"/>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="160"/>
        <source>annulée le {0}</source>
        <translation>undone on {0}</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="161"/>
        <source>en place</source>
        <translation>in effect</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="161"/>
        <source> — envoyée au DPI (A40)</source>
        <translation> — sent to the HIS (A40)</translation>
    </message>
</context>
<context>
    <name>OccupancyChart</name>
    <message>
        <location filename="../crisis_view.py" line="629"/>
        <source>Occupation des lits par UF</source>
        <translation>Bed occupancy by unit (UF)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="635"/>
        <source>{0} ({1} %)</source>
        <translation>{0} ({1}%)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="640"/>
        <source>Lits occupés</source>
        <translation>Occupied beds</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="643"/>
        <source>Lits au total</source>
        <translation>Total beds</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="657"/>
        <source>Lits</source>
        <translation>Beds</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="665"/>
        <source>{0} — {1} : {2} occupés sur {3} lits, {4} patient(s) sans lit</source>
        <translation>{0} — {1}: {2} of {3} beds occupied, {4} patient(s) with no bed</translation>
    </message>
</context>
<context>
    <name>PaperEntryDialog</name>
    <message>
        <location filename="../paper_entry.py" line="25"/>
        <source>Saisir un formulaire papier</source>
        <translation>Key in a paper form</translation>
    </message>
    <message>
        <location filename="../paper_entry.py" line="30"/>
        <source>Scanner le code-barres du formulaire, ou taper ses 10 chiffres</source>
        <translation>Scan the form&apos;s barcode, or type its 10 digits</translation>
    </message>
    <message>
        <location filename="../paper_entry.py" line="33"/>
        <source>Vérifier et saisir</source>
        <translation>Check and key in</translation>
    </message>
    <message>
        <location filename="../paper_entry.py" line="38"/>
        <source>N° pré-imprimé du formulaire d&apos;admission papier (en haut à droite) :</source>
        <translation>Pre-printed number of the paper admission form (top right):</translation>
    </message>
</context>
<context>
    <name>Patient</name>
    <message>
        <location filename="../texts.py" line="32"/>
        <source>{0}, né(e) le {1}</source>
        <translation>{0}, born {1}</translation>
    </message>
    <message>
        <location filename="../texts.py" line="38"/>
        <source>, sorti(e) de {0}/{1}</source>
        <translation>, discharged from {0}/{1}</translation>
    </message>
    <message>
        <location filename="../texts.py" line="41"/>
        <source>sans lit</source>
        <translation>no bed</translation>
    </message>
    <message>
        <location filename="../texts.py" line="48"/>
        <source>provisoire</source>
        <translation>provisional</translation>
    </message>
    <message>
        <location filename="../texts.py" line="49"/>
        <source>récupérée</source>
        <translation>retrieved</translation>
    </message>
    <message>
        <location filename="../texts.py" line="50"/>
        <source>validée</source>
        <translation>validated</translation>
    </message>
    <message>
        <location filename="../texts.py" line="51"/>
        <source>qualifiée</source>
        <translation>qualified</translation>
    </message>
    <message>
        <location filename="../texts.py" line="58"/>
        <source>« Index DPI » {0} — {1} — {2} — IPP {3} — identité {4}</source>
        <translation>“HIS index” {0} — {1} — {2} — IPP {3} — identity {4}</translation>
    </message>
    <message>
        <location filename="../texts.py" line="68"/>
        <source> (issu de l&apos;index du DPI)</source>
        <translation> (from the HIS index)</translation>
    </message>
</context>
<context>
    <name>PatientTableModel</name>
    <message>
        <location filename="../patient_model.py" line="29"/>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="30"/>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="31"/>
        <source>Sexe</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="32"/>
        <source>Âge</source>
        <translation>Age</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="33"/>
        <source>Naissance</source>
        <translation>Born</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="34"/>
        <source>UF</source>
        <translation>UF</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="35"/>
        <source>Lit</source>
        <translation>Bed</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="36"/>
        <source>IPP / n° prov.</source>
        <translation>IPP / prov. no.</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="37"/>
        <source>Identité</source>
        <translation>Identity</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="95"/>
        <source>« Index DPI »</source>
        <translation>“HIS index”</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="108"/>
        <source> (naiss. {0})</source>
        <translation> (born {0})</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="123"/>
        <source>— sorti —</source>
        <translation>— discharged —</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="127"/>
        <source>sans lit</source>
        <translation>no bed</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="128"/>
        <source> (absent)</source>
        <translation> (on leave)</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="99"/>
        <location filename="../patient_model.py" line="131"/>
        <source>{0} (DPI)</source>
        <translation>{0} (HIS)</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="134"/>
        <source>IDENTITÉ D&apos;ATTENTE</source>
        <translation>PLACEHOLDER IDENTITY</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="136"/>
        <source>provisoire</source>
        <translation>provisional</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="137"/>
        <source>récupérée</source>
        <translation>retrieved</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="138"/>
        <source>validée</source>
        <translation>validated</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="139"/>
        <source>qualifiée</source>
        <translation>qualified</translation>
    </message>
</context>
<context>
    <name>PeersModel</name>
    <message>
        <location filename="../exchange_view.py" line="64"/>
        <source>Poste</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="65"/>
        <source>Connexion</source>
        <translation>Connection</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="66"/>
        <source>Dernier lot reçu</source>
        <translation>Last bundle received</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="67"/>
        <source>Âge du dernier lot</source>
        <translation>Age of the last bundle</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="68"/>
        <source>Lots manquants</source>
        <translation>Missing bundles</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="69"/>
        <source>Empreinte de la clé de signature</source>
        <translation>Signing key fingerprint</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="82"/>
        <source>connecté</source>
        <translation>connected</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="84"/>
        <source>non connecté (jamais vu)</source>
        <translation>not connected (never seen)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="86"/>
        <source>non connecté (vu il y a {0})</source>
        <translation>not connected (seen {0} ago)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="94"/>
        <source>{0} — {1} (ce poste)</source>
        <translation>{0} — {1} (this workstation)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="96"/>
        <source>exporté : n° {0}</source>
        <translation>exported: no. {0}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="96"/>
        <source>rien exporté</source>
        <translation>nothing exported</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="106"/>
        <source>n° {0}</source>
        <translation>no. {0}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="106"/>
        <source>aucun</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="107"/>
        <source>jamais reçu</source>
        <translation>never received</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="109"/>
        <source>non déclarée : ses lots sont refusés</source>
        <translation>not declared: its bundles are refused</translation>
    </message>
</context>
<context>
    <name>PrintMenu</name>
    <message>
        <location filename="../print_menu.py" line="41"/>
        <source>&amp;Imprimer</source>
        <translation>&amp;Print</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="43"/>
        <source>&amp;Recensement du service</source>
        <translation>Ward &amp;census</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="45"/>
        <source>&amp;Bracelet du patient sélectionné</source>
        <translation>Selected patient&apos;s &amp;wristband</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="47"/>
        <source>Bracelets de tous les patients de l&apos;UF…</source>
        <translation>Wristbands of every patient in the unit…</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="49"/>
        <source>É&amp;tiquettes du patient sélectionné</source>
        <translation>Selected patient&apos;s &amp;labels</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="50"/>
        <source>Étiquettes de tous les patients de l&apos;UF…</source>
        <translation>Labels of every patient in the unit…</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="52"/>
        <source>&amp;Fiche de transfert du patient sélectionné…</source>
        <translation>&amp;Transfer sheet of the selected patient…</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="58"/>
        <source>Registre des &amp;mouvements de l&apos;UF…</source>
        <translation>&amp;Movement register of the unit…</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="60"/>
        <source>Formulaires d&apos;admission &amp;vierges pré-numérotés…</source>
        <translation>Pre-numbered &amp;blank admission forms…</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="65"/>
        <source>&amp;Point de situation (cellule de crise)</source>
        <translation>&amp;Situation report (crisis cell)</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="67"/>
        <source>Taille des bracelets</source>
        <translation>Wristband size</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="68"/>
        <source>Planche d&apos;étiquettes (A4)</source>
        <translation>Label sheet (A4)</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="125"/>
        <source>Aucun patient sélectionné</source>
        <translation>No patient selected</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="126"/>
        <source>Sélectionnez d&apos;abord un patient dans la liste ou sur le plan des lits.</source>
        <translation>First select a patient in the list or on the bed board.</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="144"/>
        <source>Choisir l&apos;UF</source>
        <translation>Choose the unit</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="145"/>
        <source>UF :</source>
        <translation>Unit (UF):</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="147"/>
        <source>Choisir</source>
        <translation>Choose</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="155"/>
        <source>Recensement</source>
        <translation>Census</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="172"/>
        <source>Bracelets — UF {0}</source>
        <translation>Wristbands — unit {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="194"/>
        <source>Étiquettes — UF {0}</source>
        <translation>Labels — unit {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="209"/>
        <source>Fiche de transfert — {0}</source>
        <translation>Transfer sheet — {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="216"/>
        <source>Fiche de transfert</source>
        <translation>Transfer sheet</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="217"/>
        <source>Destination (UF / lit ou établissement), vide pour l&apos;écrire à la main :</source>
        <translation>Destination (unit / bed or facility), empty to write it by hand:</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="218"/>
        <source>Préparer la fiche</source>
        <translation>Prepare the sheet</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="226"/>
        <source>Registre des mouvements — UF {0}</source>
        <translation>Movement register — unit {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="255"/>
        <source>Formulaires vierges</source>
        <translation>Blank forms</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="257"/>
        <source>Nombre de formulaires pré-numérotés pour l&apos;UF {0} ?
Chaque formulaire réserve définitivement un numéro provisoire.</source>
        <translation>How many pre-numbered forms for unit {0}?
Each form permanently reserves a provisional number.</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="247"/>
        <source>Formulaires d&apos;admission vierges — UF {0}</source>
        <translation>Blank admission forms — unit {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="163"/>
        <source>Bracelet — {0}</source>
        <translation>Wristband — {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="185"/>
        <source>Étiquettes — {0}</source>
        <translation>Labels — {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="263"/>
        <source>Réserver et imprimer</source>
        <translation>Reserve and print</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="269"/>
        <source>Point de situation</source>
        <translation>Situation report</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../civ_view.py" line="83"/>
        <source>À revoir</source>
        <translation>To review</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="83"/>
        <source>Identité(s)</source>
        <translation>Identities</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="83"/>
        <source>Né(e) le</source>
        <translation>Born</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="83"/>
        <source>Depuis</source>
        <translation>Since</translation>
    </message>
    <message>
        <location filename="../civ_view.py" line="92"/>
        <source> (jour/mois inversés)</source>
        <translation> (day/month swapped)</translation>
    </message>
</context>
<context>
    <name>ReopenBedDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="311"/>
        <source>Annuler la sortie — {0}</source>
        <translation>Cancel discharge — {0}</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="314"/>
        <source>Le lit {0} a été attribué à un autre patient depuis la sortie.
Dans quel lit rouvrir le séjour de {1} ?</source>
        <translation>Bed {0} has been given to another patient since the discharge.
Which bed should {1}&apos;s stay be reopened in?</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="324"/>
        <source>— sans lit (en attente d&apos;un lit) —</source>
        <translation>— no bed (waiting for a bed) —</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="325"/>
        <source>Rouvrir le séjour dans ce lit</source>
        <translation>Reopen the stay in this bed</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../admin_view.py" line="314"/>
        <source>Réinitialiser le mot de passe</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="316"/>
        <source>Nouveau mot de passe pour « {0} » ({1}). Communiquez-le en main propre.</source>
        <translation>New password for “{0}” ({1}). Hand it over in person.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="324"/>
        <source>&amp;Nouveau mot de passe :</source>
        <translation>&amp;New password:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="325"/>
        <source>&amp;Confirmation :</source>
        <translation>&amp;Confirm password:</translation>
    </message>
</context>
<context>
    <name>StatusTableModel</name>
    <message>
        <location filename="../crisis_view.py" line="197"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="198"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="199"/>
        <source>Par</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="200"/>
        <source>Depuis le</source>
        <translation>Since</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="201"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="228"/>
        <source>jamais changé</source>
        <translation>never changed</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <location filename="../sync_view.py" line="79"/>
        <source>Destination</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="80"/>
        <source>&amp;Synchroniser</source>
        <translation>&amp;Synchronise</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="82"/>
        <source>&amp;Interrompre</source>
        <translation>&amp;Stop</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="91"/>
        <source>%v / %m événements</source>
        <translation>%v / %m events</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="99"/>
        <source>État :</source>
        <translation>State:</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="100"/>
        <source>Événements :</source>
        <translation>Events:</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="101"/>
        <source>Dernier message :</source>
        <translation>Last message:</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="108"/>
        <source>&amp;Renvoyer l&apos;événement corrigé</source>
        <translation>&amp;Resend the corrected event</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="112"/>
        <source>Destination (vide : le DPI configuré) :</source>
        <translation>Target (empty: the configured HIS):</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="116"/>
        <source>Refusés par le DPI (corrigez la donnée, puis renvoyez) :</source>
        <translation>Refused by the HIS (correct the data, then resend):</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="175"/>
        <source>{0} accepté(s), {1} refusé(s), {2} restant(s).</source>
        <translation>{0} acknowledged, {1} refused, {2} remaining.</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="86"/>
        <source>Mutation</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="88"/>
        <source>Muter</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="93"/>
        <source>UF de destination</source>
        <translation>Destination unit (UF)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="94"/>
        <source>Lit</source>
        <translation>Bed</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="115"/>
        <source>— sans lit —</source>
        <translation>— no bed —</translation>
    </message>
</context>
<context>
    <name>UnlockView</name>
    <message>
        <location filename="../unlock_view.py" line="30"/>
        <source>Kit de continuité — mode dégradé</source>
        <translation>Continuity kit — degraded mode</translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="40"/>
        <location filename="../unlock_view.py" line="109"/>
        <source>Déverrouiller</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="47"/>
        <source>Les données des patients sont chiffrées sur ce poste. Le poste se verrouille seul après une période d&apos;inactivité.</source>
        <translation>Patient data is encrypted on this workstation. The workstation locks itself after a period of inactivity.</translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="58"/>
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="59"/>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="94"/>
        <source>Saisissez votre identifiant et votre mot de passe.</source>
        <translation>Enter your username and password.</translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="98"/>
        <source>Déverrouillage…</source>
        <translation>Unlocking…</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <location filename="../admin_view.py" line="87"/>
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="88"/>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="89"/>
        <source>Rôle</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="90"/>
        <source>UF</source>
        <translation>Units (UF)</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="91"/>
        <source>Actif</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="111"/>
        <source>Compte désactivé : son mot de passe n&apos;ouvre plus la base.</source>
        <translation>Account deactivated: its password no longer opens the database.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="123"/>
        <source>oui</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="123"/>
        <source>non</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>WardView</name>
    <message>
        <location filename="../ward_view.py" line="72"/>
        <source>Rechercher : nom, prénom, date de naissance, n° provisoire, IPP, NDA (ou scanner le bracelet) — Ctrl+F</source>
        <translation>Search: name, first name, date of birth, provisional no., IPP, NDA (or scan the wristband) — Ctrl+F</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="111"/>
        <location filename="../ward_view.py" line="358"/>
        <source>Aucun patient sélectionné.</source>
        <translation>No patient selected.</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="608"/>
        <source>Absence temporaire</source>
        <translation>Temporary leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="623"/>
        <source>Retour d&apos;absence</source>
        <translation>Return from leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="397"/>
        <source> — &lt;b&gt;IDENTITÉ D&apos;ATTENTE&lt;/b&gt;</source>
        <translation> — &lt;b&gt;PLACEHOLDER IDENTITY&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="330"/>
        <source>Nom de naissance : {0} — prénoms : {1}</source>
        <translation>Birth name: {0} — first names: {1}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="333"/>
        <source>Né(e) le {0} — sexe {1}</source>
        <translation>Born {0} — sex {1}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="443"/>
        <source>IPP du SIH : &lt;b&gt;{0}&lt;/b&gt; (instantané d&apos;avant la panne)</source>
        <translation>HIS IPP: &lt;b&gt;{0}&lt;/b&gt; (pre-outage snapshot)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="446"/>
        <source>N° provisoire (IPP) : &lt;b&gt;{0}&lt;/b&gt;</source>
        <translation>Provisional no. (IPP): &lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="448"/>
        <source>IPP du SIH : {0}</source>
        <translation>HIS IPP: {0}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="454"/>
        <source>Séjour {0} : sorti(e) le {1} de {2} / {3} — Ctrl+Z pour annuler la sortie</source>
        <translation>Stay {0}: discharged on {1} from {2} / {3} — Ctrl+Z to cancel the discharge</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="461"/>
        <source>absent (absence temporaire)</source>
        <translation>on temporary leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="463"/>
        <source>présent</source>
        <translation>present</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="466"/>
        <source>Séjour {0} : {1}, {2}, admis le {3}</source>
        <translation>Stay {0}: {1}, {2}, admitted {3}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="474"/>
        <source>Pas de séjour en cours.</source>
        <translation>No current stay.</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="527"/>
        <source>Patient déjà en séjour : {0} — aucune identité créée</source>
        <translation>Patient already admitted: {0} — no identity created</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="538"/>
        <source>Admission enregistrée — n° provisoire {0}, séjour {1}</source>
        <translation>Admission recorded — provisional no. {0}, stay {1}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="552"/>
        <source>Patient admis</source>
        <translation>Patient admitted</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="563"/>
        <source>Imprimer le bracelet…</source>
        <translation>Print wristband…</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="566"/>
        <source>Imprimer les étiquettes…</source>
        <translation>Print labels…</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="569"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="646"/>
        <source>Mouvement corrigé</source>
        <translation>Movement corrected</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="651"/>
        <source>l&apos;admission</source>
        <translation>the admission</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="652"/>
        <source>la mutation</source>
        <translation>the transfer</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="653"/>
        <source>le départ en absence temporaire</source>
        <translation>the temporary leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="654"/>
        <source>le retour d&apos;absence</source>
        <translation>the return from leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="655"/>
        <source>la sortie</source>
        <translation>the discharge</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="656"/>
        <source>le dernier mouvement</source>
        <translation>the last movement</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="667"/>
        <source>Aucun mouvement à annuler pour ce patient</source>
        <translation>No movement to cancel for this patient</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="670"/>
        <source> Le lit sera libéré.</source>
        <translation> The bed will be freed.</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="673"/>
        <location filename="../ward_view.py" line="675"/>
        <source>Annuler {0}</source>
        <translation>Cancel {0}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="674"/>
        <source>Annuler {0} de {{0}} ?</source>
        <translation>Cancel {0} for {{0}}?</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="679"/>
        <source>Annulation enregistrée : {0}</source>
        <translation>Cancellation recorded: {0}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="714"/>
        <source>Ne rien changer</source>
        <translation>Change nothing</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="733"/>
        <source>Sortie annulée</source>
        <translation>Discharge cancelled</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="581"/>
        <location filename="../ward_view.py" line="592"/>
        <source>Mutation enregistrée</source>
        <translation>Transfer recorded</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="120"/>
        <source>Admettre…</source>
        <translation>Admit…</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="120"/>
        <source>Admettre un patient (Ctrl+N)</source>
        <translation>Admit a patient (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="121"/>
        <source>Muter…</source>
        <translation>Transfer…</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="121"/>
        <source>Muter le patient (Ctrl+T)</source>
        <translation>Transfer the patient (Ctrl+T)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="122"/>
        <source>Absence</source>
        <translation>Leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="122"/>
        <source>Départ en absence temporaire</source>
        <translation>Start of temporary leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="123"/>
        <source>Retour</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="123"/>
        <source>Retour d&apos;absence temporaire</source>
        <translation>Return from temporary leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="124"/>
        <source>Sortie…</source>
        <translation>Discharge…</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="124"/>
        <source>Sortie du patient (Ctrl+D)</source>
        <translation>Discharge the patient (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="127"/>
        <source>Annuler le mouvement</source>
        <translation>Cancel movement</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="128"/>
        <source>Annuler le dernier mouvement du patient (Ctrl+Z)</source>
        <translation>Cancel the patient&apos;s last movement (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="329"/>
        <source> — « Index DPI »</source>
        <translation> — “HIS index”</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="334"/>
        <source>IPP du SIH : &lt;b&gt;{0}&lt;/b&gt; — identité {1} (issu de l&apos;index du DPI)</source>
        <translation>HIS IPP: &lt;b&gt;{0}&lt;/b&gt; — identity {1} (from the HIS index)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="337"/>
        <source>Pas encore admis ici : Entrée pour l&apos;admettre sous cette identité du DPI.</source>
        <translation>Not admitted here yet: Enter to admit them under this HIS identity.</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="389"/>
        <source>Née le {0}</source>
        <translation>Born {0}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="389"/>
        <source>Né le {0}</source>
        <translation>Born {0}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="390"/>
        <source>Né(e) le {0}</source>
        <translation>Born {0}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="399"/>
        <source>&lt;u&gt;Traits stricts&lt;/u&gt; : nom de naissance &lt;b&gt;{0}&lt;/b&gt; — prénoms de naissance {1} (1er prénom : {2})</source>
        <translation>&lt;u&gt;Strict traits&lt;/u&gt;: birth name &lt;b&gt;{0}&lt;/b&gt; — birth first names {1} (1st first name: {2})</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="407"/>
        <source> — sexe {0} — lieu de naissance {1}</source>
        <translation> — sex {0} — place of birth {1}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="408"/>
        <source> — INS {0} ({1})</source>
        <translation> — INS {0} ({1})</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="409"/>
        <source>&lt;u&gt;Traits complémentaires&lt;/u&gt; : nom utilisé {0} — prénom utilisé {1}</source>
        <translation>&lt;u&gt;Complementary traits&lt;/u&gt;: used name {0} — used first name {1}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="413"/>
        <source>Identité {0}</source>
        <translation>Identity {0}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="415"/>
        <source> (pièce vérifiée par {0} le {1})</source>
        <translation> (document checked by {0} on {1})</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="419"/>
        <source> — &lt;b&gt;IDENTITÉ DOUTEUSE&lt;/b&gt;</source>
        <translation> — &lt;b&gt;DOUBTFUL IDENTITY&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="421"/>
        <source> — &lt;b&gt;identité fictive&lt;/b&gt;</source>
        <translation> — &lt;b&gt;fictitious identity&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="424"/>
        <source> — matricule INS non vérifié (transmis seulement une fois qualifié par le DPI)</source>
        <translation> — INS number not verified (sent only once qualified by the HIS)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="430"/>
        <source>&lt;b&gt;HOMONYME&lt;/b&gt; : {0} autre(s) identité(s) de même nom, 1er prénom et date de naissance — vérifiez l&apos;identité à chaque acte</source>
        <translation>&lt;b&gt;HOMONYM&lt;/b&gt;: {0} other identities with the same name, 1st first name and date of birth — check the identity before every act of care</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="435"/>
        <source>&lt;b&gt;HOMONYME&lt;/b&gt; : 1 autre identité de même nom, 1er prénom et date de naissance — vérifiez l&apos;identité à chaque acte</source>
        <translation>&lt;b&gt;HOMONYM&lt;/b&gt;: 1 other identity with the same name, 1st first name and date of birth — check the identity before every act of care</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="440"/>
        <source>IPP du SIH : &lt;b&gt;{0}&lt;/b&gt; (issu de l&apos;index du DPI)</source>
        <translation>HIS IPP: &lt;b&gt;{0}&lt;/b&gt; (from the HIS index)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="536"/>
        <source>Admission enregistrée — IPP du DPI {0}, séjour {1}</source>
        <translation>Admission recorded — HIS IPP {0}, stay {1}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="543"/>
        <source>IPP du DPI : {0} (issu de l&apos;index du DPI)</source>
        <translation>HIS IPP: {0} (from the HIS index)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="545"/>
        <source>IPP du DPI : {0}</source>
        <translation>HIS IPP: {0}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="548"/>
        <source>N° provisoire (IPP) : {0}</source>
        <translation>Provisional no. (IPP): {0}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="554"/>
        <source>Patient admis : {0}.

{1}
N° de séjour (NDA) : {2}

Reportez ces numéros sur tout document papier.</source>
        <translation>Patient admitted: {0}.

{1}
Stay no. (NDA): {2}

Copy these numbers onto every paper document.</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="599"/>
        <source>Sortie enregistrée</source>
        <translation>Discharge recorded</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="609"/>
        <source>Enregistrer le départ en absence temporaire de {0} ? Le lit reste réservé.</source>
        <translation>Record temporary leave for {0}? The bed stays reserved.</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="610"/>
        <source>Confirmer l&apos;absence</source>
        <translation>Confirm leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="614"/>
        <source>Absence enregistrée</source>
        <translation>Leave recorded</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="624"/>
        <source>Enregistrer le retour de {0} ?</source>
        <translation>Record the return of {0}?</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="625"/>
        <source>Confirmer le retour</source>
        <translation>Confirm return</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="627"/>
        <source>Retour enregistré</source>
        <translation>Return recorded</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="751"/>
        <source> — Ctrl+Z pour annuler</source>
        <translation> — Ctrl+Z to cancel</translation>
    </message>
</context>
<context>
    <name>_FormDialog</name>
    <message>
        <location filename="../admin_view.py" line="145"/>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="149"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="182"/>
        <source>Les deux mots de passe ne sont pas identiques.</source>
        <translation>The two passwords do not match.</translation>
    </message>
</context>
<context>
    <name>_MovementDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="50"/>
        <source>Valider</source>
        <translation>Confirm</translation>
    </message>
</context>
<context>
    <name>banner</name>
    <message>
        <location filename="../banner.py" line="26"/>
        <source>MODE DÉGRADÉ : {0}</source>
        <translation>DEGRADED MODE: {0}</translation>
    </message>
    <message>
        <location filename="../banner.py" line="29"/>
        <source>REPRISE EN COURS : {0}</source>
        <translation>RECOVERY IN PROGRESS: {0}</translation>
    </message>
    <message>
        <location filename="../banner.py" line="32"/>
        <source>Aucun service déclaré en mode dégradé</source>
        <translation>No service declared in degraded mode</translation>
    </message>
    <message>
        <location filename="../banner.py" line="34"/>
        <source>EXERCICE (simulation)</source>
        <translation>EXERCISE (drill)</translation>
    </message>
    <message>
        <location filename="../banner.py" line="52"/>
        <source>Kit de continuité : données chiffrées, déverrouillez pour continuer</source>
        <translation>Continuity kit: data encrypted, unlock to continue</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <location filename="../dialogs.py" line="44"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../errors.py" line="26"/>
        <source>Erreur interne inattendue ({0}) : vérifiez si l&apos;action a été enregistrée avant de la refaire.</source>
        <translation>Unexpected internal error ({0}): check whether the action was recorded before doing it again.</translation>
    </message>
    <message>
        <location filename="../errors.py" line="35"/>
        <source>Action impossible</source>
        <translation>Action not possible</translation>
    </message>
</context>
</TS>
