<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AddUserDialog</name>
    <message>
        <location filename="../admin_view.py" line="237"/>
        <source>Ajouter un utilisateur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="240"/>
        <source>ex. ide.cardio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="243"/>
        <source>ex. IDE cardiologie (facultatif)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="248"/>
        <source>UF (obligatoires pour un soignant d&apos;unité)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="259"/>
        <source>Aucune UF sur ce site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="262"/>
        <source>&amp;Identifiant :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="263"/>
        <source>&amp;Nom affiché :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="264"/>
        <source>&amp;Rôle :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="266"/>
        <source>&amp;Mot de passe :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="267"/>
        <source>&amp;Confirmation :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="268"/>
        <source>Au moins 8 caractères. Entrée enregistre, Échap annule.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="284"/>
        <source>Les deux mots de passe ne sont pas identiques.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AdminView</name>
    <message>
        <location filename="../admin_view.py" line="357"/>
        <source>Administration du poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="377"/>
        <source>Utilisateurs du poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="380"/>
        <source>Ajouter un utilisateur…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="384"/>
        <source>Réinitialiser le mot de passe…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="387"/>
        <location filename="../admin_view.py" line="560"/>
        <source>Désactiver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="395"/>
        <source>Utilisateurs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="402"/>
        <source>Poste de travail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="408"/>
        <source>Établissement :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="409"/>
        <source>Poste :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="410"/>
        <source>Bloc de numéros provisoires :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="411"/>
        <source>Numéros restants :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="412"/>
        <source>Dossier de données :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="413"/>
        <source>Taille de la base chiffrée :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="414"/>
        <source>Version du schéma :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="415"/>
        <source>Version de SQLCipher :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="416"/>
        <source>Utilisateurs :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="417"/>
        <source>Entrées du journal d&apos;audit :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="425"/>
        <source>Sauvegarder la base chiffrée…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="429"/>
        <source>Copie chiffrée de la base et du fichier des clés dans un nouveau dossier (clé USB ou partage de l&apos;informatique). Elle s&apos;ouvre avec les mots de passe et la clé de secours valables au moment de la sauvegarde : conservez-la comme la clé de secours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="438"/>
        <source>Sauvegarde</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="494"/>
        <source>{0} à {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="499"/>
        <source>{0} (+ {1} de journal WAL)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="503"/>
        <source>aucune (base non chiffrée)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="504"/>
        <source>actifs : {0} ; désactivés : {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="510"/>
        <source>{0} Ko</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="511"/>
        <source>{0} Mo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="554"/>
        <source>Désactiver un utilisateur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="555"/>
        <source>Désactiver le compte « {0} » ({1}) ?

Son mot de passe n&apos;ouvrira plus la base sur ce poste ; l&apos;historique garde son nom.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="561"/>
        <source>Annuler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="577"/>
        <source>Dossier de la sauvegarde chiffrée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="585"/>
        <source>Sauvegarde en cours…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="601"/>
        <source>Sauvegarde chiffrée créée dans :
{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="603"/>
        <source>Sauvegarde terminée</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AdmissionDialog</name>
    <message>
        <location filename="../admission_dialog.py" line="81"/>
        <source>Nouvelle admission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="87"/>
        <source>Patient inconnu / inconscient (identité d&apos;attente)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="91"/>
        <source>séparés par des virgules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="94"/>
        <source>JJ/MM/AAAA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="96"/>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="96"/>
        <source>F — féminin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="97"/>
        <source>M — masculin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="97"/>
        <source>I — indéterminé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="103"/>
        <source>code INSEE, ex. 76540</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="106"/>
        <source>provisoire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="107"/>
        <source>validée (pièce d&apos;identité vue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="108"/>
        <source>récupérée (INSi)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="109"/>
        <source>qualifiée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="115"/>
        <source>Nom de naissance *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="116"/>
        <source>Nom utilisé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="117"/>
        <source>Prénom(s) de naissance *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="118"/>
        <source>Prénom utilisé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="119"/>
        <source>Date de naissance *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="120"/>
        <source>Sexe *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="121"/>
        <source>Année de naissance estimée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="122"/>
        <source>Lieu de naissance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="123"/>
        <source>Matricule INS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="124"/>
        <source>Statut de l&apos;identité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="125"/>
        <source>UF *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="126"/>
        <source>Lit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="127"/>
        <source>Motif</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="142"/>
        <source>Enregistrer l&apos;admission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="145"/>
        <source>Annuler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="177"/>
        <source>— sans lit —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="212"/>
        <source>Identité</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AdmissionsChart</name>
    <message>
        <location filename="../crisis_view.py" line="402"/>
        <source>Admissions par heure (dernières 24 h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="408"/>
        <location filename="../crisis_view.py" line="432"/>
        <source>Admissions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="425"/>
        <source>{0} h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="429"/>
        <source>Heure de début de la tranche (heure locale)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BedBoard</name>
    <message>
        <location filename="../bed_board.py" line="90"/>
        <source>{0} — {1} : {2}/{3} lits occupés</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="100"/>
        <source>Sans lit : {0} patient(s)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BedTile</name>
    <message>
        <location filename="../bed_board.py" line="33"/>
        <source>BLOQUÉ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="35"/>
        <source>LIBRE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="40"/>
        <source>ABSENT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="42"/>
        <source>{0} ans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="44"/>
        <source>inconnu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bed_board.py" line="59"/>
        <source>Chambre {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrisisView</name>
    <message>
        <location filename="../crisis_view.py" line="537"/>
        <location filename="../crisis_view.py" line="796"/>
        <source>Indicateurs : chargement…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="548"/>
        <source>Admissions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="549"/>
        <source>Sorties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="550"/>
        <source>Lits occupés</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="551"/>
        <source>Identités provisoires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="553"/>
        <source>À synchroniser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="554"/>
        <source>Instantané du DPI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="562"/>
        <location filename="../crisis_view.py" line="566"/>
        <source>Statut des services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="599"/>
        <location filename="../crisis_view.py" line="859"/>
        <source>Sélectionnez un service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="608"/>
        <source>Nouveau statut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="611"/>
        <source>Note (facultative)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="612"/>
        <source>Note du changement de statut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="614"/>
        <source>Appliquer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="629"/>
        <location filename="../crisis_view.py" line="651"/>
        <source>Main courante</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="632"/>
        <source>Catégorie :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="635"/>
        <source>toutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="643"/>
        <source>Filtrer (texte, auteur, service)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="665"/>
        <source>Catégorie de l&apos;entrée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="670"/>
        <source>Service concerné</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="671"/>
        <location filename="../crisis_view.py" line="755"/>
        <source>(tous services)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="674"/>
        <location filename="../crisis_view.py" line="849"/>
        <source>Nouvelle entrée (Entrée pour ajouter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="677"/>
        <source>Ajouter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="770"/>
        <source>{0} j {1} h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="772"/>
        <source>{0} h {1:02d}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="773"/>
        <source>{0} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="794"/>
        <source>Indicateurs non disponibles pour votre rôle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="802"/>
        <source>depuis la panne ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="804"/>
        <source>Panne déclarée le {0} (il y a {1}) — premier service passé en mode dégradé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="808"/>
        <source>sur les dernières 24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="810"/>
        <source>Aucun service n&apos;est passé en mode dégradé : chiffres des dernières 24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="815"/>
        <source>absents et patients sans lit compris</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="817"/>
        <source>patients en séjour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="819"/>
        <source>en attente de reprise dans le DPI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="822"/>
        <source>aucun</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="823"/>
        <source>aucun instantané du DPI sur ce poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="825"/>
        <source>pris le {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="843"/>
        <source>Seule la cellule de crise change le statut des services.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="850"/>
        <source>Seule la cellule de crise écrit dans la main courante.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="861"/>
        <source>{0} :</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DischargeDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="125"/>
        <source>Sortie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="128"/>
        <source>Enregistrer la sortie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="131"/>
        <source>8 — domicile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="132"/>
        <source>6 — mutation (même établissement)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="133"/>
        <source>7 — transfert (autre établissement)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="134"/>
        <source>9 — décès</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="138"/>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="139"/>
        <source>1 — MCO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="140"/>
        <source>2 — SMR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="141"/>
        <source>3 — soins de longue durée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="142"/>
        <source>4 — psychiatrie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="143"/>
        <source>6 — HAD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="145"/>
        <source>7 — structure médico-sociale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="149"/>
        <source>Mode de sortie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="150"/>
        <source>Destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="151"/>
        <source>Établissement / précision</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DuplicateDialog</name>
    <message>
        <location filename="../admission_dialog.py" line="46"/>
        <source>Doublon possible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="49"/>
        <source>Ces identités existent déjà et ressemblent à celle saisie.
Vérifiez avec le patient ou sa pièce d&apos;identité avant de créer une nouvelle identité.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="62"/>
        <source>C&apos;est un autre patient : créer l&apos;identité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admission_dialog.py" line="65"/>
        <source>Revenir à la saisie</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LogTableModel</name>
    <message>
        <location filename="../crisis_view.py" line="220"/>
        <source>information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="220"/>
        <source>décision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="221"/>
        <source>action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="221"/>
        <source>alerte</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="248"/>
        <source>Heure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="248"/>
        <source>Auteur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="248"/>
        <source>Catégorie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="248"/>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="249"/>
        <source>Texte</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="43"/>
        <source>Kit de continuité — mode dégradé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="74"/>
        <source>Base chiffrée : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="105"/>
        <source>&amp;Fichier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="106"/>
        <source>&amp;Verrouiller le poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="109"/>
        <source>&amp;Quitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="111"/>
        <source>&amp;Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="113"/>
        <source>&amp;Rechercher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="115"/>
        <source>&amp;Admettre…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="117"/>
        <source>&amp;Muter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="119"/>
        <source>Absence &amp;temporaire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="121"/>
        <source>R&amp;etour d&apos;absence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="123"/>
        <source>&amp;Sortie…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="125"/>
        <source>Annuler le &amp;dernier mouvement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="128"/>
        <source>&amp;Affichage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="129"/>
        <source>&amp;Grandes polices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="133"/>
        <source>&amp;Contraste élevé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="137"/>
        <source>&amp;Délai de verrouillage automatique…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="139"/>
        <source>&amp;Langue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="143"/>
        <source>Ai&amp;de</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="144"/>
        <source>À &amp;propos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="163"/>
        <source>{0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="187"/>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="187"/>
        <source>Recensement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="190"/>
        <source>Cellule de crise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="195"/>
        <source>Administration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="208"/>
        <source>Verrouillé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="231"/>
        <source>À synchroniser : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="234"/>
        <source>Dernier enregistrement : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="256"/>
        <source>Verrouillage automatique</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="257"/>
        <source>Verrouiller le poste après combien de minutes sans activité ?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="267"/>
        <source>Langue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="268"/>
        <source>La langue choisie s&apos;appliquera au prochain démarrage.
The chosen language applies at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="272"/>
        <source>À propos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="273"/>
        <source>&lt;b&gt;Kit de continuité — mode dégradé&lt;/b&gt;&lt;br&gt;Version {0}&lt;br&gt;&lt;br&gt;Admissions et mouvements hors ligne, chiffrés sur ce poste, pendant une panne du système d&apos;information hospitalier ; restitution au SIH à son retour.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OccupancyChart</name>
    <message>
        <location filename="../crisis_view.py" line="445"/>
        <source>Occupation des lits par UF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="451"/>
        <source>{0} ({1} %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="457"/>
        <source>Lits occupés</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="460"/>
        <source>Lits au total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="474"/>
        <source>Lits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="481"/>
        <source>{0} — {1} : {2} occupés sur {3} lits</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PatientTableModel</name>
    <message>
        <location filename="../patient_model.py" line="72"/>
        <source> (naiss. {0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="83"/>
        <source>— sorti —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="87"/>
        <source>sans lit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="88"/>
        <source> (absent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="92"/>
        <source>IDENTITÉ D&apos;ATTENTE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="93"/>
        <source>provisoire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="94"/>
        <source>récupérée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="95"/>
        <source>validée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../patient_model.py" line="96"/>
        <source>qualifiée</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../admin_view.py" line="302"/>
        <source>Réinitialiser le mot de passe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="303"/>
        <source>Nouveau mot de passe pour « {0} » ({1}). Communiquez-le en main propre.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="309"/>
        <source>&amp;Nouveau mot de passe :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="310"/>
        <source>&amp;Confirmation :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="316"/>
        <source>Les deux mots de passe ne sont pas identiques.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusTableModel</name>
    <message>
        <location filename="../crisis_view.py" line="174"/>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="174"/>
        <source>Statut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="174"/>
        <source>Par</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="174"/>
        <source>Depuis le</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="175"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../crisis_view.py" line="192"/>
        <source>jamais changé</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="74"/>
        <source>Mutation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="76"/>
        <source>Muter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="81"/>
        <source>UF de destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="82"/>
        <source>Lit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../movement_dialogs.py" line="104"/>
        <source>— sans lit —</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockView</name>
    <message>
        <location filename="../unlock_view.py" line="31"/>
        <source>Kit de continuité — mode dégradé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="41"/>
        <location filename="../unlock_view.py" line="104"/>
        <source>Déverrouiller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="49"/>
        <source>Les données des patients sont chiffrées sur ce poste. Le poste se verrouille seul après une période d&apos;inactivité.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="58"/>
        <source>Identifiant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="59"/>
        <source>Mot de passe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="89"/>
        <source>Saisissez votre identifiant et votre mot de passe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_view.py" line="93"/>
        <source>Déverrouillage…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <location filename="../admin_view.py" line="87"/>
        <source>Identifiant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="87"/>
        <source>Nom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="87"/>
        <source>Rôle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="88"/>
        <source>UF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="88"/>
        <source>Actif</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="124"/>
        <source>Compte désactivé : son mot de passe n&apos;ouvre plus la base.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="136"/>
        <source>oui</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="136"/>
        <source>non</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WardView</name>
    <message>
        <location filename="../ward_view.py" line="55"/>
        <source>Rechercher : nom, prénom, date de naissance, n° provisoire, IPP, NDA (ou scanner le bracelet) — Ctrl+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="87"/>
        <location filename="../ward_view.py" line="200"/>
        <source>Aucun patient sélectionné.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="95"/>
        <source>Admettre… (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="96"/>
        <source>Muter… (Ctrl+T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="97"/>
        <source>Absence temporaire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="98"/>
        <source>Retour d&apos;absence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="99"/>
        <source>Sortie… (Ctrl+D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="100"/>
        <source>Annuler le dernier mouvement (Ctrl+Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="208"/>
        <source> — &lt;b&gt;IDENTITÉ D&apos;ATTENTE&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="209"/>
        <source>Nom de naissance : {0} — prénoms : {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="211"/>
        <source>Né(e) le {0} — sexe {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="212"/>
        <source>N° provisoire (IPP) : &lt;b&gt;{0}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="214"/>
        <source>IPP du SIH : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="217"/>
        <source>absent (absence temporaire)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="218"/>
        <source>présent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="219"/>
        <source>Séjour {0} : {1}, {2}, admis le {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="224"/>
        <source>Pas de séjour en cours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="261"/>
        <source>Admission enregistrée — n° provisoire {0}, séjour {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="263"/>
        <source>Patient admis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="264"/>
        <source>Patient admis.

N° provisoire (IPP) : {0}
N° de séjour (NDA) : {1}

Reportez ce numéro sur tout document papier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="279"/>
        <source>Mutation enregistrée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="286"/>
        <source>Sortie enregistrée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="290"/>
        <source>Enregistrer le départ en absence temporaire de {0} ? Le lit reste réservé.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="292"/>
        <source>Absence enregistrée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="295"/>
        <source>Enregistrer le retour de {0} ?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="296"/>
        <source>Retour enregistré</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="300"/>
        <source>Annuler le dernier mouvement de {0} ? (une admission annulée libère le lit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="301"/>
        <source>Dernier mouvement annulé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="309"/>
        <source>Confirmer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ward_view.py" line="325"/>
        <source> — Ctrl+Z pour annuler</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_FormDialog</name>
    <message>
        <location filename="../admin_view.py" line="161"/>
        <source>Enregistrer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../admin_view.py" line="165"/>
        <source>Annuler</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_MovementDialog</name>
    <message>
        <location filename="../movement_dialogs.py" line="48"/>
        <source>Annuler</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../errors.py" line="17"/>
        <source>Erreur interne inattendue ({0}) : vérifiez si l&apos;action a été enregistrée avant de la refaire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../errors.py" line="30"/>
        <source>Action impossible</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
