"""Entries with every structured field filled, shared by the unit, database and web tests."""

PRACTICE = """---
title: Omavalmentaja kokeilussa
type: practice
summary: Jokainen asiakas sai oman valmentajan.
language: fi
municipalities:
- Kajaani
period:
  start: 2021-03-01
  end: 2023-06-30
trial_status: ended
practice_status: permanent
evidence_level: 3
evidence_proposed: 4
goals: |-
  Työttömät työllistyvät nopeammin.
  Palvelut sovitetaan asiakkaan tilanteeseen.
target_groups:
- pitkäaikaistyöttömät
- nuoret
resources:
  person_years: 2.5
  euros: 120000
  duration: 28 kuukautta
  funding: valtionavustus
results:
- indicator: Työllistyneiden osuus
  value: 35
  unit: '%'
  baseline: 20.5
  period: 2021–2023
  source: https://example.fi/raportti
- indicator: Asiakkaita
  value: 1200
evaluation:
  evaluator: VATT
  method: vertailuryhmä
  report: https://example.fi/arviointi
lessons: Oma työntekijä on tärkein.
transferability:
  size: yli 20 000 asukasta
  partners: TE-toimisto
  legal_basis: Laki työllisyyden edistämisen kuntakokeilusta
  systems: URA
contacts:
- name: Maija Meikäläinen
  role: kehittämispäällikkö
  organisation: Kajaanin kaupunki
  email: maija@kajaani.fi
  phone: +358 40 123 4567
- name: Pekka Piilo
  agreed: false
---

Tarina.
"""

IDEA = """---
title: Kannustinloukun purku
type: idea
summary: Idea.
language: fi
origin: Kuntamarkkinat 2022, hackathon
problem: Työn vastaanottaminen ei kannata.
solution: Sovitellaan etuudet kuukausittain.
beneficiaries: Osa-aikatyötä tekevät
needs: Kelan ja kunnan yhteinen kokeilu
next_steps: Etsitään kokeilukunnat.
---
"""

NORM = """---
title: Ryhmäkoot joustaviksi
type: norm
summary: Ehdotus.
language: fi
proposal:
  action: loosen
authority: Opetus- ja kulttuuriministeriö
response:
  text: Ministeriö selvittää asiaa.
  date: 2024-05-02
  url: https://example.fi/vastaus
---
"""
