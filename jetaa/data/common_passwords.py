"""Rebuild common-passwords.txt.gz (run by hand: `python jetaa/data/common_passwords.py
ZXCVBN_FREQUENCY_LISTS_PY`); the sign-up and password forms refuse what it holds.

What it holds, lowercased, one per line:
- the list shipped since the foundation (19,640 leaked passwords of any length);
- the 30,000 passwords of zxcvbn 4.5.0's `frequency_lists.py` (MIT licence, from the
  Xato corpus), where its `FREQUENCY_LISTS["passwords"]` is read;
- the guesses a cracker tries first on a 10-character minimum: the 400 most common
  shorter passwords with the suffixes people add to reach the length (123, 1234, 2024 ...);
- JET and JETAA words (programme names, roles, greetings, branch and prefecture names)
  alone and with the same suffixes, as an alumnus picking a memorable password might.
"""

from __future__ import annotations

import ast
import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "common-passwords.txt.gz"
SUFFIXES = ("", "1", "12", "123", "1234", "12345", "123456", "!", "123!", "1!", "2020",
            "2021", "2022", "2023", "2024", "2025", "2026", "!!", "01", "007", "69", "99")
JET_WORDS = (
    "jet", "jetaa", "jetprogramme", "jetprogram", "thejetprogramme", "jetalumni", "jetaaconnect",
    "jetalumniassociation", "clair", "alt", "cir", "spa", "sea", "assistantlanguageteacher",
    "coordinatorforinternationalrelations", "boardofeducation", "eikaiwa", "sensei",
    "konnichiwa", "konbanwa", "ohayou", "ohayougozaimasu", "arigatou", "arigato",
    "arigatougozaimasu", "sayonara", "sayounara", "ganbatte", "ganbarimasu", "yoroshiku",
    "yoroshikuonegaishimasu", "otsukaresama", "otsukaresamadeshita", "sumimasen", "kanpai",
    "itadakimasu", "gochisousama", "daijoubu", "nihongo", "nippon", "nihon", "japan",
    "japanlove", "ilovejapan", "tokyo", "osaka", "kyoto", "fujisan", "mtfuji", "sakura",
    "onsen", "ramen", "sushi", "karaoke", "shinkansen", "kawaii", "gaijin", "omiyage",
    "kancho", "kouchou", "kyoutousensei", "shougakkou", "chuugakkou", "koukou",
)


def _leaked(zxcvbn_lists: Path) -> list[str]:
    with gzip.open(TARGET, "rt", encoding="utf-8") as handle:
        shipped = [line.strip() for line in handle if line.strip()]
    tree = ast.parse(zxcvbn_lists.read_text(encoding="utf-8"))
    lists = next(node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 and getattr(node.targets[0], "id", "") == "FREQUENCY_LISTS")
    [passwords] = [value for key, value in zip(lists.keys, lists.values, strict=True)
                   if ast.literal_eval(key) == "passwords"]
    if isinstance(passwords, ast.Call):  # written as "a,b,c".split(",")
        passwords = passwords.func.value
    return shipped + ast.literal_eval(passwords).split(",")


def _jet_words() -> list[str]:
    names = [b["slug"].replace("-", "") for b in json.loads((HERE / "branches.json").read_text())]
    names += [p["slug"].replace("-", "") for p in
              json.loads((HERE / "prefectures.json").read_text())]
    words = list(JET_WORDS) + names + ["jetaa" + name for name in names]
    words += ["jet" + name for name in names]
    return words


def build(zxcvbn_lists: Path) -> list[str]:
    leaked = _leaked(zxcvbn_lists)
    short = [word for word in dict.fromkeys(w.lower() for w in leaked) if 6 <= len(word) < 10]
    guesses = [base + suffix for base in short[:400] for suffix in SUFFIXES]
    jet = [word + suffix for word in _jet_words() for suffix in SUFFIXES]
    return list(dict.fromkeys(w.strip().lower() for w in leaked + guesses + jet if w.strip()))


if __name__ == "__main__":
    words = build(Path(sys.argv[1]))
    with gzip.open(TARGET, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("\n".join(words) + "\n")
    long_enough = sum(len(w) >= 10 for w in words)
    print(f"{len(words)} entries, {long_enough} of at least 10 characters")
