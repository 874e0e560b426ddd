"""Names across a batch: who is mentioned, how each outlet spells them, which spellings are
damage. Used by the `entity-variants` detector (audit/artifacts/entities.py).

  mentions.py   capitalised runs with name particles -> NameMention spans
  translit.py   folding, romanisation keys, and why two spellings differ (romanisation.yaml)
  gazetteer.py  house spellings, aliases, foreign and bad forms (gazetteer.yaml + config)
  grouping.py   which mentions name one entity (gazetteer first, then the batch)
  verdict.py    canonical spelling and a verdict per spelling
  misrender.py  listed bad forms found by text search ("hashed sites")
  acronyms.py   foreign acronyms: listed (ONU), reordered (FDS for SDF), defined otherwise
  reverse.py    forms with no English counterpart: undo a romanisation, look the result up
  spellcheck.py names a spell-checker turned into English words ("El Obey" for El Obeid)
  evidence.py   an article's strong markers make its weak ones count (a French copy is French)
  edits.py      vowel moves and doublings between two spellings, and their learned costs
  learn_costs.py  learns those costs from labelled spellings -> audit/data/edit_costs.yaml
  majority.py   a one-off vowel move or doubling against most outlets; accents that are a
                name's own spelling
  nearmiss.py   a lone spelling one slip (edit, swapped letters, split) from what outlets agree
                on, or from the full name its own article used
  broken.py     names cut by a space, hyphen, quote mark or possessive
  meanings.py   organisation names translated word by word (name_meanings.yaml)
  reworded.py   multi-word names outlets agree on, with words moved, one word slipped or one
                swapped for a spinner's synonym (name_meanings.yaml spun_words)
  adjectival.py Slavic adjectival forms of a place the batch writes as a noun (Kakhovskaya)
  mojibake.py   name words garbled by an encoding round trip (MĂ©ndez), repaired by ftfy
  batch.py      the whole batch through the steps above
  words.py      word frequencies (wordfreq)
"""
