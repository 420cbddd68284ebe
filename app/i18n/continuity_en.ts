<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AddUserDialog</name>
    <message>
        <location filename="../admin_view.py" line="232"/>
        <source>Ajouter un utilisateur</source>
        <translation>Add user</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="235"/>
        <source>ex. ide.cardio</source>
        <translation>e.g. nurse.cardio</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="238"/>
        <source>ex. IDE cardiologie (facultatif)</source>
        <translation>e.g. Cardiology nurse (optional)</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="243"/>
        <source>UF (obligatoires pour un soignant d&apos;unité)</source>
        <translation>Units (UF) (required for ward staff)</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="254"/>
        <source>Aucune UF sur ce site.</source>
        <translation>No unit (UF) on this site.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="257"/>
        <source>&amp;Identifiant :</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="258"/>
        <source>&amp;Nom affiché :</source>
        <translation>Display &amp;name:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="259"/>
        <source>&amp;Rôle :</source>
        <translation>&amp;Role:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="261"/>
        <source>&amp;Mot de passe :</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="262"/>
        <source>&amp;Confirmation :</source>
        <translation>&amp;Confirm password:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="263"/>
        <source>Au moins 8 caractères. Entrée enregistre, Échap annule.</source>
        <translation>At least 8 characters. Enter saves, Esc cancels.</translation>
    </message>
</context>
<context>
    <name>AdminView</name>
    <message>
        <location filename="../admin_view.py" line="375"/>
        <source>Administration du poste</source>
        <translation>Workstation administration</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="395"/>
        <source>Utilisateurs du poste</source>
        <translation>Workstation users</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="398"/>
        <source>Ajouter un utilisateur…</source>
        <translation>Add user…</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="402"/>
        <source>Réinitialiser le mot de passe…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="405"/>
        <location filename="../admin_view.py" line="592"/>
        <source>Désactiver</source>
        <translation>Deactivate</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="413"/>
        <source>Utilisateurs</source>
        <translation>Users</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="420"/>
        <source>Poste de travail</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="426"/>
        <source>Établissement :</source>
        <translation>Facility:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="427"/>
        <source>Poste :</source>
        <translation>Workstation:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="428"/>
        <source>Bloc de numéros provisoires :</source>
        <translation>Provisional number block:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="429"/>
        <source>Numéros restants :</source>
        <translation>Numbers remaining:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="430"/>
        <source>Dossier de données :</source>
        <translation>Data folder:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="431"/>
        <source>Taille de la base chiffrée :</source>
        <translation>Encrypted database size:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="432"/>
        <source>Version du schéma :</source>
        <translation>Schema version:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="433"/>
        <source>Version de SQLCipher :</source>
        <translation>SQLCipher version:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="434"/>
        <source>Utilisateurs :</source>
        <translation>Users:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="435"/>
        <source>Entrées du journal d&apos;audit :</source>
        <translation>Audit log entries:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="444"/>
        <source>Sauvegarder la base chiffrée…</source>
        <translation>Back up the encrypted database…</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="449"/>
        <source>Copie chiffrée de la base et du fichier des clés dans un nouveau dossier (clé USB ou partage de l&apos;informatique). Elle s&apos;ouvre avec les mots de passe et la clé de secours valables au moment de la sauvegarde : conservez-la comme la clé de secours.</source>
        <translation>Encrypted copy of the database and of the key file into a new folder (USB drive or IT share). It opens with the passwords and the recovery key valid at the time of the backup: keep it as safely as the recovery key.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="460"/>
        <source>Sauvegarde</source>
        <translation>Backup</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="522"/>
        <source>{0} à {1}</source>
        <translation>{0} to {1}</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="527"/>
        <source>{0} (+ {1} de journal WAL)</source>
        <translation>{0} (+ {1} of WAL journal)</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="530"/>
        <source>aucune (base non chiffrée)</source>
        <translation>none (database not encrypted)</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="532"/>
        <source>actifs : {0} ; désactivés : {1}</source>
        <translation>active: {0}; deactivated: {1}</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="538"/>
        <source>{0} Ko</source>
        <translation>{0} KB</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="539"/>
        <source>{0} Mo</source>
        <translation>{0} MB</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="583"/>
        <source>Désactiver un utilisateur</source>
        <translation>Deactivate user</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="585"/>
        <source>Désactiver le compte « {0} » ({1}) ?

Son mot de passe n&apos;ouvrira plus la base sur ce poste ; l&apos;historique garde son nom.</source>
        <translation>Deactivate the account “{0}” ({1})?

Their password will no longer open the database on this workstation; the history keeps their name.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="593"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="610"/>
        <source>Dossier de la sauvegarde chiffrée</source>
        <translation>Folder for the encrypted backup</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="619"/>
        <source>Sauvegarde en cours…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="634"/>
        <source>Sauvegarde chiffrée créée dans :
{0}</source>
        <translation>Encrypted backup created in:
{0}</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="638"/>
        <source>Sauvegarde terminée</source>
        <translation>Backup complete</translation>
    </message>
</context>
<context>
    <name>AdmissionDialog</name>
    <message>
        <location filename="../admission_dialog.py" line="97"/>
        <source>Ressaisie d&apos;un formulaire papier</source>
        <translation>Key in a paper form</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="97"/>
        <source>Nouvelle admission</source>
        <translation>New admission</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="104"/>
        <source>Patient inconnu / inconscient (identité d&apos;attente)</source>
        <translation>Unknown / unconscious patient (placeholder identity)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="108"/>
        <source>séparés par des virgules</source>
        <translation>comma-separated</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="111"/>
        <source>JJ/MM/AAAA</source>
        <translation>DD/MM/YYYY</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="114"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="115"/>
        <source>F — féminin</source>
        <translation>F — female</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="116"/>
        <source>M — masculin</source>
        <translation>M — male</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="117"/>
        <source>I — indéterminé</source>
        <translation>I — indeterminate</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="124"/>
        <source>code INSEE, ex. 76540</source>
        <translation>INSEE code, e.g. 76540</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="128"/>
        <source>provisoire</source>
        <translation>provisional</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="129"/>
        <source>validée (pièce d&apos;identité vue)</source>
        <translation>validated (ID document seen)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="130"/>
        <source>récupérée (INSi)</source>
        <translation>retrieved (INSi)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="131"/>
        <source>qualifiée</source>
        <translation>qualified</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="138"/>
        <source>JJ/MM/AAAA HH:MM, comme sur le formulaire</source>
        <translation>DD/MM/YYYY HH:MM, as on the form</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="142"/>
        <source>N° du formulaire (IPP provisoire)</source>
        <translation>Form number (provisional IPP)</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="144"/>
        <source>Nom de naissance *</source>
        <translation>Birth name *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="145"/>
        <source>Nom utilisé</source>
        <translation>Used name</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="146"/>
        <source>Prénom(s) de naissance *</source>
        <translation>Birth first name(s) *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="147"/>
        <source>Prénom utilisé</source>
        <translation>Used first name</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="148"/>
        <source>Date de naissance *</source>
        <translation>Date of birth *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="149"/>
        <source>Sexe *</source>
        <translation>Sex *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="150"/>
        <source>Année de naissance estimée</source>
        <translation>Estimated year of birth</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="151"/>
        <source>Lieu de naissance</source>
        <translation>Place of birth</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="152"/>
        <source>Matricule INS</source>
        <translation>INS number</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="153"/>
        <source>Statut de l&apos;identité</source>
        <translation>Identity status</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="154"/>
        <source>UF *</source>
        <translation>Unit (UF) *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="155"/>
        <source>Lit</source>
        <translation>Bed</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="156"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="159"/>
        <source>Admis le *</source>
        <translation>Admitted on *</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="166"/>
        <source>Enregistrer l&apos;admission</source>
        <translation>Record admission</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="198"/>
        <source>— sans lit —</source>
        <translation>— no bed —</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="244"/>
        <source>Identité</source>
        <translation>Identity</translation>
    </message>
</context>
<context>
    <name>AdmissionsChart</name>
    <message>
        <location filename="../crisis_view.py" line="400"/>
        <source>Admissions par heure (dernières 24 h)</source>
        <translation>Admissions per hour (last 24 h)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="406"/>
        <location filename="../crisis_view.py" line="430"/>
        <source>Admissions</source>
        <translation>Admissions</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="423"/>
        <source>{0} h</source>
        <translation>{0}:00</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="427"/>
        <source>Heure de début de la tranche (heure locale)</source>
        <translation>Start of the hour slot (local time)</translation>
    </message>
</context>
<context>
    <name>Age</name>
    <message>
        <location filename="../texts.py" line="19"/>
        <source>{0} j {1} h</source>
        <translation>{0} d {1} h</translation>
    </message>
    <message>
        <location filename="../texts.py" line="21"/>
        <source>{0} h {1:02d}</source>
        <translation>{0} h {1:02d} min</translation>
    </message>
    <message>
        <location filename="../texts.py" line="22"/>
        <source>{0} min</source>
        <translation>{0} min</translation>
    </message>
</context>
<context>
    <name>BedBoardModel</name>
    <message>
        <location filename="../bed_board.py" line="96"/>
        <source>LIBRE</source>
        <translation>FREE</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="96"/>
        <source>BLOQUÉ</source>
        <translation>BLOCKED</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="96"/>
        <source>ABSENT</source>
        <translation>ON LEAVE</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="97"/>
        <source>{0} ans</source>
        <translation>{0} yrs</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="97"/>
        <source>inconnu</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="98"/>
        <source>{0} — {1} : {2}/{3} lits occupés</source>
        <translation>{0} — {1}: {2}/{3} beds occupied</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="98"/>
        <source> · sans lit : {0} patient(s)</source>
        <translation> · no bed: {0} patient(s)</translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="155"/>
        <source>Chambre {0}</source>
        <translation>Room {0}</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../conflict_dialog.py" line="43"/>
        <source>Conflit entre postes</source>
        <translation>Conflict between workstations</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="56"/>
        <source>Deux postes ont corrigé cette identité différemment. Vérifiez avec le patient ou ses documents, puis gardez la bonne version ; elle sera envoyée aux autres postes et au DPI.</source>
        <translation>Two workstations corrected this identity differently. Check with the patient or their documents, then keep the right version; it will be sent to the other workstations and to the HIS.</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="61"/>
        <source>Ce qui diffère : {0}</source>
        <translation>What differs: {0}</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="72"/>
        <source>&amp;Garder cette version</source>
        <translation>&amp;Keep this version</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="77"/>
        <source>&amp;Prendre acte</source>
        <translation>&amp;Acknowledge</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="86"/>
        <source>nom de naissance</source>
        <translation>birth name</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="87"/>
        <source>nom utilisé</source>
        <translation>used name</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="88"/>
        <source>prénoms</source>
        <translation>first names</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="89"/>
        <source>prénom utilisé</source>
        <translation>used first name</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="90"/>
        <source>date de naissance</source>
        <translation>birth date</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="91"/>
        <source>sexe</source>
        <translation>sex</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="92"/>
        <source>lieu de naissance</source>
        <translation>place of birth</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="93"/>
        <source>INS</source>
        <translation>INS</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="94"/>
        <source>statut de l&apos;identité</source>
        <translation>identity status</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="103"/>
        <source>Nom de naissance : {0} — nom utilisé : {1}</source>
        <translation>Birth name: {0} — used name: {1}</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="104"/>
        <source>Prénoms : {0} — né(e) le {1} — sexe {2} — identité {3}</source>
        <translation>First names: {0} — born {1} — sex {2} — identity {3}</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="110"/>
        <source>Saisie sur {0} par {1} le {2}</source>
        <translation>Entered on {0} by {1} at {2}</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="120"/>
        <source>Ces mouvements ont été saisis en même temps sur deux postes. Le kit les a ordonnés de la même façon sur tous les postes ; un mouvement « écarté » était impossible dans cet ordre. Vérifiez la situation du patient, corrigez-la au besoin par un nouveau mouvement, puis prenez acte.</source>
        <translation>These movements were recorded at the same time on two workstations. The kit ordered them the same way on every workstation; a “left out” movement was not possible in that order. Check the patient’s situation, correct it with a new movement if needed, then acknowledge.</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="129"/>
        <source>retenu</source>
        <translation>kept</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="129"/>
        <source>écarté</source>
        <translation>left out</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="131"/>
        <source>• {0} du {1}, saisi sur {2} par {3} : {4}</source>
        <translation>• {0} at {1}, recorded on {2} by {3}: {4}</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="134"/>
        <source>ce poste</source>
        <translation>this workstation</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="142"/>
        <source>Le lit {0} de l&apos;UF {1} a été attribué sur deux postes : un des patients a été placé sans lit. Attribuez-lui un lit par une mutation, puis prenez acte.</source>
        <translation>Bed {0} of unit {1} was given on two workstations: one of the patients was placed without a bed. Give them a bed with a transfer, then acknowledge.</translation>
    </message>
    <message>
        <location filename="../conflict_dialog.py" line="147"/>
        <source>Ce patient a été admis sur deux postes. Annulez l&apos;admission en trop (ou faites sortir le patient d&apos;un des séjours), puis prenez acte.</source>
        <translation>This patient was admitted on two workstations. Cancel the extra admission (or discharge the patient from one of the stays), then acknowledge.</translation>
    </message>
</context>
<context>
    <name>ConflictsModel</name>
    <message>
        <location filename="../exchange_view.py" line="111"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="111"/>
        <source>Conflit</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="111"/>
        <source>Détecté le</source>
        <translation>Detected</translation>
    </message>
</context>
<context>
    <name>CrisisView</name>
    <message>
        <location filename="../crisis_view.py" line="541"/>
        <location filename="../crisis_view.py" line="824"/>
        <source>Indicateurs : chargement…</source>
        <translation>Indicators: loading…</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="552"/>
        <source>Admissions</source>
        <translation>Admissions</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="553"/>
        <source>Sorties</source>
        <translation>Discharges</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="554"/>
        <source>Lits occupés</source>
        <translation>Occupied beds</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="555"/>
        <source>Identités provisoires</source>
        <translation>Provisional identities</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="556"/>
        <source>À synchroniser</source>
        <translation>Pending sync</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="557"/>
        <source>Instantané du DPI</source>
        <translation>EHR snapshot</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="571"/>
        <location filename="../crisis_view.py" line="575"/>
        <source>Statut des services</source>
        <translation>Service status</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="612"/>
        <location filename="../crisis_view.py" line="897"/>
        <source>Sélectionnez un service</source>
        <translation>Select a service</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="622"/>
        <source>Nouveau statut</source>
        <translation>New status</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="625"/>
        <source>Note (facultative)</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="626"/>
        <source>Note du changement de statut</source>
        <translation>Status change note</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="628"/>
        <source>Appliquer</source>
        <translation>Apply</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="643"/>
        <location filename="../crisis_view.py" line="666"/>
        <source>Main courante</source>
        <translation>Crisis log</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="646"/>
        <source>Catégorie :</source>
        <translation>Category:</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="649"/>
        <source>toutes</source>
        <translation>all</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="658"/>
        <source>Filtrer (texte, auteur, service)…</source>
        <translation>Filter (text, author, service)…</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="680"/>
        <source>Catégorie de l&apos;entrée</source>
        <translation>Entry category</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="685"/>
        <source>Service concerné</source>
        <translation>Service concerned</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="686"/>
        <location filename="../crisis_view.py" line="785"/>
        <source>(tous services)</source>
        <translation>(all services)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="689"/>
        <location filename="../crisis_view.py" line="885"/>
        <source>Nouvelle entrée (Entrée pour ajouter)</source>
        <translation>New entry (Enter to add)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="692"/>
        <source>Ajouter</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="822"/>
        <source>Indicateurs non disponibles pour votre rôle.</source>
        <translation>Indicators are not available for your role.</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="831"/>
        <source>depuis la panne ({0})</source>
        <translation>since the outage ({0})</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="833"/>
        <source>Panne déclarée le {0} (il y a {1}) — premier service passé en mode dégradé</source>
        <translation>Outage declared on {0} ({1} ago) — first service switched to degraded mode</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="838"/>
        <source>sur les dernières 24 h</source>
        <translation>over the last 24 h</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="840"/>
        <source>Aucun service n&apos;est passé en mode dégradé : chiffres des dernières 24 h</source>
        <translation>No service has switched to degraded mode: figures for the last 24 h</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="845"/>
        <source>absents et patients sans lit compris</source>
        <translation>including patients on leave or without a bed</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="847"/>
        <source>patients en séjour</source>
        <translation>among current inpatients</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="848"/>
        <source>en attente de reprise dans le DPI</source>
        <translation>awaiting entry into the EHR</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="851"/>
        <source>aucun</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="851"/>
        <source>aucun instantané du DPI sur ce poste</source>
        <translation>no EHR snapshot on this workstation</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="855"/>
        <source>pris le {0} — trop ancien (seuil {1})</source>
        <translation>taken {0} — too old (threshold {1})</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="861"/>
        <source>pris le {0}</source>
        <translation>taken on {0}</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="880"/>
        <source>Seule la cellule de crise change le statut des services.</source>
        <translation>Only the crisis cell can change the status of services.</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="887"/>
        <source>Seule la cellule de crise écrit dans la main courante.</source>
        <translation>Only the crisis cell can write in the crisis log.</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="899"/>
        <source>{0} :</source>
        <translation>{0}:</translation>
    </message>
</context>
<context>
    <name>DischargeDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="122"/>
        <source>Sortie</source>
        <translation>Discharge</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="124"/>
        <source>Enregistrer la sortie</source>
        <translation>Record discharge</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="128"/>
        <source>8 — domicile</source>
        <translation>8 — home</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="129"/>
        <source>6 — mutation (même établissement)</source>
        <translation>6 — transfer (same facility)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="130"/>
        <source>7 — transfert (autre établissement)</source>
        <translation>7 — transfer (other facility)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="131"/>
        <source>9 — décès</source>
        <translation>9 — death</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="136"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="138"/>
        <source>1 — MCO</source>
        <translation>1 — acute care (MCO)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="139"/>
        <source>2 — SMR</source>
        <translation>2 — rehabilitation (SMR)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="140"/>
        <source>3 — soins de longue durée</source>
        <translation>3 — long-term care</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="141"/>
        <source>4 — psychiatrie</source>
        <translation>4 — psychiatry</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="142"/>
        <source>6 — HAD</source>
        <translation>6 — hospital at home (HAD)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="143"/>
        <source>7 — structure médico-sociale</source>
        <translation>7 — medico-social facility</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="148"/>
        <source>Mode de sortie</source>
        <translation>Discharge mode</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="149"/>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="150"/>
        <source>Établissement / précision</source>
        <translation>Facility / details</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <location filename="../document_dialog.py" line="140"/>
        <source>{0} — {1} page(s). Le document reste en mémoire : il n&apos;est enregistré que si vous le demandez.</source>
        <translation>{0} — {1} page(s). The document stays in memory: it is saved only if you ask.</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="147"/>
        <source>Imprimer… (Ctrl+P)</source>
        <translation>Print… (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="150"/>
        <source>Enregistrer en PDF… (Ctrl+S)</source>
        <translation>Save as PDF… (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="152"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="179"/>
        <source>Impression en cours…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="179"/>
        <source>Arrêter</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="188"/>
        <source>L&apos;impression a échoué : vérifiez l&apos;imprimante et recommencez.</source>
        <translation>Printing failed: check the printer and try again.</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="199"/>
        <source>{0} page(s) envoyée(s) à l&apos;imprimante.</source>
        <translation>{0} page(s) sent to the printer.</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="204"/>
        <source>Enregistrer le PDF</source>
        <translation>Save the PDF</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="204"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="214"/>
        <source>Enregistrement impossible : {0}</source>
        <translation>Cannot save: {0}</translation>
    </message>
    <message>
        <location filename="../document_dialog.py" line="216"/>
        <source>PDF enregistré.</source>
        <translation>PDF saved.</translation>
    </message>
</context>
<context>
    <name>DuplicateDialog</name>
    <message>
        <location filename="../admission_dialog.py" line="47"/>
        <source>Doublon possible</source>
        <translation>Possible duplicate</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="52"/>
        <source>Ces identités existent déjà et ressemblent à celle saisie.
Vérifiez avec le patient ou sa pièce d&apos;identité avant de créer une nouvelle identité.</source>
        <translation>These identities already exist and look like the one entered.
Check with the patient or their ID document before creating a new identity.</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="71"/>
        <source>C&apos;est un autre patient : créer l&apos;identité</source>
        <translation>This is another patient: create the identity</translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="74"/>
        <source>Revenir à la saisie</source>
        <translation>Back to the form</translation>
    </message>
</context>
<context>
    <name>ErrorsModel</name>
    <message>
        <location filename="../sync_view.py" line="49"/>
        <source>Événement</source>
        <translation>Event</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="50"/>
        <source>N° provisoire</source>
        <translation>Provisional no.</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="51"/>
        <source>En attente derrière</source>
        <translation>Waiting behind</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="52"/>
        <source>Réponse du DPI</source>
        <translation>HIS reply</translation>
    </message>
</context>
<context>
    <name>ExchangeView</name>
    <message>
        <location filename="../exchange_view.py" line="150"/>
        <source>Instantanés du DPI (avant la panne)</source>
        <translation>HIS snapshots (before the outage)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="159"/>
        <source>&amp;Exporter un lot maintenant</source>
        <translation>&amp;Export a bundle now</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="161"/>
        <source>&amp;Importer des lots…</source>
        <translation>&amp;Import bundles…</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="167"/>
        <source>Postes du site : lots d&apos;échange reçus</source>
        <translation>Workstations of the site: exchange bundles received</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="175"/>
        <source>&amp;Régler le conflit…</source>
        <translation>&amp;Settle the conflict…</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="177"/>
        <source>Conflits entre postes à régler</source>
        <translation>Conflicts between workstations to settle</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="205"/>
        <source>Aucun instantané du DPI sur ce poste : le recensement ne montre que ce qui a été saisi ici ou reçu d&apos;autres postes.</source>
        <translation>No HIS snapshot on this workstation: the census shows only what was entered here or received from other workstations.</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="209"/>
        <source>Dernier instantané pris le {0}, il y a {1} (seuil d&apos;alerte : {2}).</source>
        <translation>Newest snapshot taken {0}, {1} ago (alert threshold: {2}).</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="213"/>
        <source>⚠ TROP ANCIEN — </source>
        <translation>⚠ TOO OLD — </translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="221"/>
        <source>Changements en attente d&apos;un lot manquant : {0} · conflits ouverts : {1}</source>
        <translation>Changes waiting for a missing bundle: {0} · open conflicts: {1}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="244"/>
        <source>Rien de nouveau à exporter.</source>
        <translation>Nothing new to export.</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="246"/>
        <source>Lot d&apos;échange écrit : {0}</source>
        <translation>Exchange bundle written: {0}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="254"/>
        <source>Importer des lots d&apos;échange</source>
        <translation>Import exchange bundles</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="254"/>
        <source>Lots d&apos;échange (*.cxb)</source>
        <translation>Exchange bundles (*.cxb)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="270"/>
        <source>{0} : refusé — {1}</source>
        <translation>{0}: refused — {1}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="274"/>
        <source>{0} : {1} changement(s) appliqué(s), {2} en attente, {3} impossible(s)</source>
        <translation>{0}: {1} change(s) applied, {2} waiting, {3} impossible</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="279"/>
        <source>{0} : lot de ce poste même</source>
        <translation>{0}: bundle from this very workstation</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="281"/>
        <source>{0} : déjà importé</source>
        <translation>{0}: already imported</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="282"/>
        <source>Lots d&apos;échange</source>
        <translation>Exchange bundles</translation>
    </message>
</context>
<context>
    <name>ImportsModel</name>
    <message>
        <location filename="../exchange_view.py" line="83"/>
        <source>Reçu le</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="83"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="83"/>
        <source>Pris le</source>
        <translation>Taken</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="83"/>
        <source>Résultat</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="90"/>
        <source>mis en quarantaine : {0}</source>
        <translation>quarantined: {0}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="94"/>
        <source>plus ancien que le recensement en place (identités seules)</source>
        <translation>older than the census in place (identities only)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="96"/>
        <source>importé : {0} patients, {1} séjours ajoutés, {2} sortis</source>
        <translation>imported: {0} patients, {1} stays added, {2} left</translation>
    </message>
</context>
<context>
    <name>LogTableModel</name>
    <message>
        <location filename="../crisis_view.py" line="228"/>
        <source>information</source>
        <translation>information</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="229"/>
        <source>décision</source>
        <translation>decision</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="230"/>
        <source>action</source>
        <translation>action</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="231"/>
        <source>alerte</source>
        <translation>alert</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="216"/>
        <source>Heure</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="217"/>
        <source>Auteur</source>
        <translation>Author</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="218"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="219"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="220"/>
        <source>Texte</source>
        <translation>Text</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="61"/>
        <location filename="../main_window.py" line="374"/>
        <source>Kit de continuité — mode dégradé</source>
        <translation>Continuity kit — degraded mode</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="67"/>
        <source>Dossier de données : {0}</source>
        <translation>Data folder: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="97"/>
        <source>Base chiffrée</source>
        <translation>Encrypted database</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="98"/>
        <source>Base chiffrée : {0}</source>
        <translation>Encrypted database: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="126"/>
        <source>Dossier surveillé inaccessible : {0}</source>
        <translation>Watched folder not available: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="153"/>
        <source>&amp;Fichier</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="155"/>
        <source>&amp;Verrouiller le poste</source>
        <translation>&amp;Lock workstation</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="159"/>
        <source>&amp;Exporter un lot d&apos;échange</source>
        <translation>&amp;Export an exchange bundle</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="165"/>
        <source>&amp;Quitter</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="167"/>
        <source>&amp;Patient</source>
        <translation>&amp;Patient</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="169"/>
        <source>&amp;Rechercher</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="170"/>
        <source>&amp;Admettre…</source>
        <translation>&amp;Admit…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="171"/>
        <source>&amp;Muter…</source>
        <translation>&amp;Transfer…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172"/>
        <source>Absence &amp;temporaire</source>
        <translation>Temporary &amp;leave</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="173"/>
        <source>R&amp;etour d&apos;absence</source>
        <translation>&amp;Return from leave</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="174"/>
        <source>&amp;Sortie…</source>
        <translation>&amp;Discharge…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="177"/>
        <source>Annuler le &amp;dernier mouvement</source>
        <translation>Cancel last &amp;movement</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="184"/>
        <source>Saisir un &amp;formulaire papier…</source>
        <translation>Key in a paper &amp;form…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="190"/>
        <source>&amp;Affichage</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="192"/>
        <source>&amp;Grandes polices</source>
        <translation>Large &amp;fonts</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="197"/>
        <source>&amp;Contraste élevé</source>
        <translation>&amp;High contrast</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="202"/>
        <source>&amp;Délai de verrouillage automatique…</source>
        <translation>Auto-lock &amp;delay…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="204"/>
        <source>&amp;Langue</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="208"/>
        <source>Ai&amp;de</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="210"/>
        <source>À &amp;propos</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="235"/>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="279"/>
        <source>Service</source>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="279"/>
        <source>Recensement</source>
        <translation>Census</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="283"/>
        <location filename="../main_window.py" line="288"/>
        <location filename="../main_window.py" line="307"/>
        <source>Cellule de crise</source>
        <translation>Crisis cell</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="291"/>
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="294"/>
        <source>Reprise DPI</source>
        <translation>HIS hand-back</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="296"/>
        <source>Échanges et instantanés</source>
        <translation>Exchange and snapshots</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="323"/>
        <source>Verrouillé</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="355"/>
        <source>Fichier d&apos;état du poste non écrit (voir le journal de l&apos;application)</source>
        <translation>Workstation health file not written (see the application log)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="375"/>
        <source>EXERCICE — {0}</source>
        <translation>EXERCISE — {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="384"/>
        <source>À synchroniser : {0}</source>
        <translation>Pending sync: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="386"/>
        <source>Instantané DPI : aucun</source>
        <translation>HIS snapshot: none</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="388"/>
        <source>Instantané DPI : il y a {0}</source>
        <translation>HIS snapshot: {0} ago</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="393"/>
        <source>Seuil d&apos;alerte : {0}</source>
        <translation>Alert threshold: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="407"/>
        <source>Instantané refusé (quarantaine) : {0}</source>
        <translation>Snapshot refused (quarantine): {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="409"/>
        <source>Instantané du DPI importé : {0}</source>
        <translation>HIS snapshot imported: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="415"/>
        <source>Lot d&apos;échange refusé : {0}</source>
        <translation>Exchange bundle refused: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="417"/>
        <source>Lot d&apos;échange importé : {0}</source>
        <translation>Exchange bundle imported: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="423"/>
        <source>Dernier enregistrement : {0}</source>
        <translation>Last saved: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="451"/>
        <source>Verrouillage automatique</source>
        <translation>Auto-lock</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="452"/>
        <source>Verrouiller le poste après combien de minutes sans activité ?</source>
        <translation>Lock the workstation after how many minutes of inactivity?</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="467"/>
        <source>Langue</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="469"/>
        <source>La langue choisie s&apos;appliquera au prochain démarrage.
The chosen language applies at the next start.</source>
        <translation>The chosen language applies at the next start.
La langue choisie s&apos;appliquera au prochain démarrage.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="477"/>
        <source>À propos</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="479"/>
        <source>&lt;b&gt;Kit de continuité — mode dégradé&lt;/b&gt;&lt;br&gt;Version {0}&lt;br&gt;&lt;br&gt;Admissions et mouvements hors ligne, chiffrés sur ce poste, pendant une panne du système d&apos;information hospitalier ; restitution au SIH à son retour.</source>
        <translation>&lt;b&gt;Continuity kit — degraded mode&lt;/b&gt;&lt;br&gt;Version {0}&lt;br&gt;&lt;br&gt;Offline admissions and movements, encrypted on this workstation, during an outage of the hospital information system (HIS); handed back to the HIS when it returns.</translation>
    </message>
</context>
<context>
    <name>OccupancyChart</name>
    <message>
        <location filename="../crisis_view.py" line="443"/>
        <source>Occupation des lits par UF</source>
        <translation>Bed occupancy by unit (UF)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="449"/>
        <source>{0} ({1} %)</source>
        <translation>{0} ({1}%)</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="454"/>
        <source>Lits occupés</source>
        <translation>Occupied beds</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="457"/>
        <source>Lits au total</source>
        <translation>Total beds</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="471"/>
        <source>Lits</source>
        <translation>Beds</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="479"/>
        <source>{0} — {1} : {2} occupés sur {3} lits</source>
        <translation>{0} — {1}: {2} of {3} beds occupied</translation>
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
    <name>PatientTableModel</name>
    <message>
        <location filename="../patient_model.py" line="23"/>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="24"/>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="25"/>
        <source>Sexe</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="26"/>
        <source>Âge</source>
        <translation>Age</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="27"/>
        <source>Naissance</source>
        <translation>Born</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="28"/>
        <source>UF</source>
        <translation>UF</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="29"/>
        <source>Lit</source>
        <translation>Bed</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="30"/>
        <source>IPP / n° prov.</source>
        <translation>IPP / prov. no.</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="31"/>
        <source>Identité</source>
        <translation>Identity</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="69"/>
        <source> (naiss. {0})</source>
        <translation> (born {0})</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="80"/>
        <source>— sorti —</source>
        <translation>— discharged —</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="84"/>
        <source>sans lit</source>
        <translation>no bed</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="85"/>
        <source> (absent)</source>
        <translation> (on leave)</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="88"/>
        <source>{0} (DPI)</source>
        <translation>{0} (HIS)</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="91"/>
        <source>IDENTITÉ D&apos;ATTENTE</source>
        <translation>PLACEHOLDER IDENTITY</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="93"/>
        <source>provisoire</source>
        <translation>provisional</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="94"/>
        <source>récupérée</source>
        <translation>retrieved</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="95"/>
        <source>validée</source>
        <translation>validated</translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="96"/>
        <source>qualifiée</source>
        <translation>qualified</translation>
    </message>
</context>
<context>
    <name>PeersModel</name>
    <message>
        <location filename="../exchange_view.py" line="53"/>
        <source>Poste</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="54"/>
        <source>Dernier lot reçu</source>
        <translation>Last bundle received</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="55"/>
        <source>Âge du dernier lot</source>
        <translation>Age of the last bundle</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="56"/>
        <source>Lots manquants</source>
        <translation>Missing bundles</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="65"/>
        <source>{0} — {1} (ce poste)</source>
        <translation>{0} — {1} (this workstation)</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="66"/>
        <source>exporté : n° {0}</source>
        <translation>exported: no. {0}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="66"/>
        <source>rien exporté</source>
        <translation>nothing exported</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="74"/>
        <source>n° {0}</source>
        <translation>no. {0}</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="74"/>
        <source>aucun</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../exchange_view.py" line="75"/>
        <source>jamais reçu</source>
        <translation>never received</translation>
    </message>
</context>
<context>
    <name>PrintMenu</name>
    <message>
        <location filename="../print_menu.py" line="39"/>
        <source>&amp;Imprimer</source>
        <translation>&amp;Print</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="41"/>
        <source>&amp;Recensement du service</source>
        <translation>Ward &amp;census</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="43"/>
        <source>&amp;Bracelet du patient sélectionné</source>
        <translation>Selected patient&apos;s &amp;wristband</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="45"/>
        <source>Bracelets de tous les patients de l&apos;UF…</source>
        <translation>Wristbands of every patient in the unit…</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="47"/>
        <source>É&amp;tiquettes du patient sélectionné</source>
        <translation>Selected patient&apos;s &amp;labels</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="48"/>
        <source>Étiquettes de tous les patients de l&apos;UF…</source>
        <translation>Labels of every patient in the unit…</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="50"/>
        <source>&amp;Fiche de transfert du patient sélectionné…</source>
        <translation>&amp;Transfer sheet of the selected patient…</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="56"/>
        <source>Registre des &amp;mouvements de l&apos;UF…</source>
        <translation>&amp;Movement register of the unit…</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="58"/>
        <source>Formulaires d&apos;admission &amp;vierges pré-numérotés…</source>
        <translation>Pre-numbered &amp;blank admission forms…</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="63"/>
        <source>&amp;Point de situation (cellule de crise)</source>
        <translation>&amp;Situation report (crisis cell)</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="65"/>
        <source>Taille des bracelets</source>
        <translation>Wristband size</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="66"/>
        <source>Planche d&apos;étiquettes (A4)</source>
        <translation>Label sheet (A4)</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="122"/>
        <source>Aucun patient sélectionné</source>
        <translation>No patient selected</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="123"/>
        <source>Sélectionnez d&apos;abord un patient dans la liste ou sur le plan des lits.</source>
        <translation>First select a patient in the list or on the bed board.</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="137"/>
        <location filename="../print_menu.py" line="215"/>
        <source>Choisir l&apos;UF</source>
        <translation>Choose the unit</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="137"/>
        <location filename="../print_menu.py" line="215"/>
        <source>UF :</source>
        <translation>Unit (UF):</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="144"/>
        <source>Recensement</source>
        <translation>Census</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="150"/>
        <source>Bracelet</source>
        <translation>Wristband</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="157"/>
        <source>Bracelets — UF {0}</source>
        <translation>Wristbands — unit {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="166"/>
        <source>Étiquettes</source>
        <translation>Labels</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="173"/>
        <source>Étiquettes — UF {0}</source>
        <translation>Labels — unit {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="184"/>
        <location filename="../print_menu.py" line="189"/>
        <source>Fiche de transfert</source>
        <translation>Transfer sheet</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="185"/>
        <source>Destination (UF / lit ou établissement), vide pour l&apos;écrire à la main :</source>
        <translation>Destination (unit / bed or facility), empty to write it by hand:</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="198"/>
        <source>Registre des mouvements — UF {0}</source>
        <translation>Movement register — unit {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="221"/>
        <source>Formulaires vierges</source>
        <translation>Blank forms</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="223"/>
        <source>Nombre de formulaires pré-numérotés pour l&apos;UF {0} ?
Chaque formulaire réserve définitivement un numéro provisoire.</source>
        <translation>How many pre-numbered forms for unit {0}?
Each form permanently reserves a provisional number.</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="232"/>
        <source>Formulaires d&apos;admission vierges — UF {0}</source>
        <translation>Blank admission forms — unit {0}</translation>
    </message>
    <message>
        <location filename="../print_menu.py" line="239"/>
        <source>Point de situation</source>
        <translation>Situation report</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../admin_view.py" line="305"/>
        <source>Réinitialiser le mot de passe</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="307"/>
        <source>Nouveau mot de passe pour « {0} » ({1}). Communiquez-le en main propre.</source>
        <translation>New password for “{0}” ({1}). Hand it over in person.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="315"/>
        <source>&amp;Nouveau mot de passe :</source>
        <translation>&amp;New password:</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="316"/>
        <source>&amp;Confirmation :</source>
        <translation>&amp;Confirm password:</translation>
    </message>
</context>
<context>
    <name>StatusTableModel</name>
    <message>
        <location filename="../crisis_view.py" line="159"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="160"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="161"/>
        <source>Par</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="162"/>
        <source>Depuis le</source>
        <translation>Since</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="163"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="190"/>
        <source>jamais changé</source>
        <translation>never changed</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <location filename="../sync_view.py" line="78"/>
        <source>Destination</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="79"/>
        <source>&amp;Synchroniser</source>
        <translation>&amp;Synchronise</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="81"/>
        <source>&amp;Interrompre</source>
        <translation>&amp;Stop</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="90"/>
        <source>%v / %m événements</source>
        <translation>%v / %m events</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="97"/>
        <source>État :</source>
        <translation>State:</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="98"/>
        <source>Événements :</source>
        <translation>Events:</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="99"/>
        <source>Dernier message :</source>
        <translation>Last message:</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="106"/>
        <source>&amp;Renvoyer l&apos;événement corrigé</source>
        <translation>&amp;Resend the corrected event</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="110"/>
        <source>Destination (vide : le DPI configuré) :</source>
        <translation>Target (empty: the configured HIS):</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="114"/>
        <source>Refusés par le DPI (corrigez la donnée, puis renvoyez) :</source>
        <translation>Refused by the HIS (correct the data, then resend):</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="173"/>
        <source>{0} accepté(s), {1} refusé(s), {2} restant(s).</source>
        <translation>{0} acknowledged, {1} refused, {2} remaining.</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="74"/>
        <source>Mutation</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="76"/>
        <source>Muter</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="81"/>
        <source>UF de destination</source>
        <translation>Destination unit (UF)</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="82"/>
        <source>Lit</source>
        <translation>Bed</translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="103"/>
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
        <location filename="../admin_view.py" line="85"/>
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="86"/>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="87"/>
        <source>Rôle</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="88"/>
        <source>UF</source>
        <translation>Units (UF)</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="89"/>
        <source>Actif</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="109"/>
        <source>Compte désactivé : son mot de passe n&apos;ouvre plus la base.</source>
        <translation>Account deactivated: its password no longer opens the database.</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="121"/>
        <source>oui</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="121"/>
        <source>non</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>WardView</name>
    <message>
        <location filename="../ward_view.py" line="60"/>
        <source>Rechercher : nom, prénom, date de naissance, n° provisoire, IPP, NDA (ou scanner le bracelet) — Ctrl+F</source>
        <translation>Search: name, first name, date of birth, provisional no., IPP, NDA (or scan the wristband) — Ctrl+F</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="94"/>
        <location filename="../ward_view.py" line="231"/>
        <source>Aucun patient sélectionné.</source>
        <translation>No patient selected.</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="102"/>
        <source>Admettre… (Ctrl+N)</source>
        <translation>Admit… (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="103"/>
        <source>Muter… (Ctrl+T)</source>
        <translation>Transfer… (Ctrl+T)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="104"/>
        <source>Absence temporaire</source>
        <translation>Temporary leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="105"/>
        <source>Retour d&apos;absence</source>
        <translation>Return from leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="106"/>
        <source>Sortie… (Ctrl+D)</source>
        <translation>Discharge… (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="107"/>
        <source>Annuler le dernier mouvement (Ctrl+Z)</source>
        <translation>Cancel last movement (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="240"/>
        <source> — &lt;b&gt;IDENTITÉ D&apos;ATTENTE&lt;/b&gt;</source>
        <translation> — &lt;b&gt;PLACEHOLDER IDENTITY&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="241"/>
        <source>Nom de naissance : {0} — prénoms : {1}</source>
        <translation>Birth name: {0} — first names: {1}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="244"/>
        <source>Né(e) le {0} — sexe {1}</source>
        <translation>Born {0} — sex {1}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="248"/>
        <source>IPP du SIH : &lt;b&gt;{0}&lt;/b&gt; (instantané d&apos;avant la panne)</source>
        <translation>HIS IPP: &lt;b&gt;{0}&lt;/b&gt; (pre-outage snapshot)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="251"/>
        <source>N° provisoire (IPP) : &lt;b&gt;{0}&lt;/b&gt;</source>
        <translation>Provisional no. (IPP): &lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="253"/>
        <source>IPP du SIH : {0}</source>
        <translation>HIS IPP: {0}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="257"/>
        <source>absent (absence temporaire)</source>
        <translation>on temporary leave</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="259"/>
        <source>présent</source>
        <translation>present</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="262"/>
        <source>Séjour {0} : {1}, {2}, admis le {3}</source>
        <translation>Stay {0}: {1}, {2}, admitted {3}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="270"/>
        <source>Pas de séjour en cours.</source>
        <translation>No current stay.</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="309"/>
        <source>Admission enregistrée — n° provisoire {0}, séjour {1}</source>
        <translation>Admission recorded — provisional no. {0}, stay {1}</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="315"/>
        <source>Patient admis</source>
        <translation>Patient admitted</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="317"/>
        <source>Patient admis.

N° provisoire (IPP) : {0}
N° de séjour (NDA) : {1}

Reportez ce numéro sur tout document papier.</source>
        <translation>Patient admitted.

Provisional no. (IPP): {0}
Stay no. (NDA): {1}

Write this number on every paper document.</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="325"/>
        <source>Imprimer…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="337"/>
        <location filename="../ward_view.py" line="353"/>
        <source>Mutation enregistrée</source>
        <translation>Transfer recorded</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="360"/>
        <source>Sortie enregistrée</source>
        <translation>Discharge recorded</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="366"/>
        <source>Enregistrer le départ en absence temporaire de {0} ? Le lit reste réservé.</source>
        <translation>Record temporary leave for {0}? The bed stays reserved.</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="368"/>
        <source>Absence enregistrée</source>
        <translation>Leave recorded</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="374"/>
        <source>Enregistrer le retour de {0} ?</source>
        <translation>Record the return of {0}?</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="376"/>
        <source>Retour enregistré</source>
        <translation>Return recorded</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="382"/>
        <source>Annuler le dernier mouvement de {0} ? (une admission annulée libère le lit)</source>
        <translation>Cancel the last movement of {0}? (a cancelled admission frees the bed)</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="384"/>
        <source>Dernier mouvement annulé</source>
        <translation>Last movement cancelled</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="396"/>
        <source>Confirmer</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="417"/>
        <source> — Ctrl+Z pour annuler</source>
        <translation> — Ctrl+Z to cancel</translation>
    </message>
</context>
<context>
    <name>_FormDialog</name>
    <message>
        <location filename="../admin_view.py" line="143"/>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="147"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="180"/>
        <source>Les deux mots de passe ne sont pas identiques.</source>
        <translation>The two passwords do not match.</translation>
    </message>
</context>
<context>
    <name>_MovementDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="43"/>
        <source>Valider</source>
        <translation>Confirm</translation>
    </message>
</context>
<context>
    <name>banner</name>
    <message>
        <location filename="../banner.py" line="25"/>
        <source>MODE DÉGRADÉ : {0}</source>
        <translation>DEGRADED MODE: {0}</translation>
    </message>
    <message>
        <location filename="../banner.py" line="28"/>
        <source>REPRISE EN COURS : {0}</source>
        <translation>RECOVERY IN PROGRESS: {0}</translation>
    </message>
    <message>
        <location filename="../banner.py" line="31"/>
        <source>Aucun service déclaré en mode dégradé</source>
        <translation>No service declared in degraded mode</translation>
    </message>
    <message>
        <location filename="../banner.py" line="33"/>
        <source>EXERCICE (simulation)</source>
        <translation>EXERCISE (drill)</translation>
    </message>
    <message>
        <location filename="../banner.py" line="51"/>
        <source>Kit de continuité : données chiffrées, déverrouillez pour continuer</source>
        <translation>Continuity kit: data encrypted, unlock to continue</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <location filename="../dialogs.py" line="17"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../errors.py" line="18"/>
        <source>Erreur interne inattendue ({0}) : vérifiez si l&apos;action a été enregistrée avant de la refaire.</source>
        <translation>Unexpected internal error ({0}): check whether the action was recorded before doing it again.</translation>
    </message>
    <message>
        <location filename="../errors.py" line="27"/>
        <source>Action impossible</source>
        <translation>Action not possible</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <location filename="../printing.py" line="22"/>
        <source>Nom de naissance</source>
        <translation>Birth name</translation>
    </message>
    <message>
        <location filename="../printing.py" line="23"/>
        <source>Nom utilisé</source>
        <translation>Used name</translation>
    </message>
    <message>
        <location filename="../printing.py" line="24"/>
        <source>Prénoms</source>
        <translation>First names</translation>
    </message>
    <message>
        <location filename="../printing.py" line="25"/>
        <source>Né(e) le</source>
        <translation>Born on</translation>
    </message>
    <message>
        <location filename="../printing.py" line="26"/>
        <source>Sexe</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../printing.py" line="27"/>
        <source>N° provisoire (IPP)</source>
        <translation>Provisional no. (IPP)</translation>
    </message>
    <message>
        <location filename="../printing.py" line="28"/>
        <source>N° de séjour (NDA)</source>
        <translation>Stay no. (NDA)</translation>
    </message>
    <message>
        <location filename="../printing.py" line="29"/>
        <source>UF / lit</source>
        <translation>UF / bed</translation>
    </message>
    <message>
        <location filename="../printing.py" line="31"/>
        <source>Admis le</source>
        <translation>Admitted on</translation>
    </message>
    <message>
        <location filename="../printing.py" line="36"/>
        <source>Admission en mode dégradé</source>
        <translation>Degraded-mode admission</translation>
    </message>
    <message>
        <location filename="../printing.py" line="37"/>
        <source>Identité provisoire : à reporter sur tout document papier et à vérifier lors du retour du SIH.</source>
        <translation>Provisional identity: copy it onto every paper document and check it when the HIS is back.</translation>
    </message>
    <message>
        <location filename="../printing.py" line="42"/>
        <source>IDENTITÉ D&apos;ATTENTE</source>
        <translation>PLACEHOLDER IDENTITY</translation>
    </message>
</context>
</TS>
