"""How long does an entry page take with many organisations' marks ("in use" / "interested")?

    .venv/bin/python bench/adoption_page.py [--marks 300] [--repeat 20]

In a temporary SQLite instance: one published practice with MARKS marks by organisations, one per
municipality (every other one "in use" since a year, with a note and a link), and the same practice
without marks as the baseline. Prints the median and best time of REPEAT anonymous GETs of each page
through the test client, the page's size, and the number of table rows it renders.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ideapankki import migrate, workflow  # noqa: E402
from ideapankki.content import EntryDocument  # noqa: E402
from ideapankki.db import create_db_engine  # noqa: E402
from ideapankki.entries import save_document  # noqa: E402
from ideapankki.models import Adoption, EntryState, Municipality, Organisation  # noqa: E402
from ideapankki import create_app  # noqa: E402


def _practice(session: Session, slug: str):
    doc = EntryDocument(slug=slug, type="practice", title=f"Käytäntö {slug}", summary="Tiivistelmä.",
                        body="## Tausta\n\nTeksti.", published=date(2022, 5, 25), municipalities=[],
                        details={"goals": "Tavoite.", "lessons": "Opit."})
    entry, _ = save_document(session, doc, [])
    workflow.place_by_operator(session, entry, EntryState.published, "bench")
    return entry


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--marks", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        engine = create_db_engine(url)
        migrate.init_database(engine)
        with Session(engine) as session:
            marked, plain = _practice(session, "merkitty"), _practice(session, "merkitsematon")
            municipalities = session.exec(select(Municipality).order_by(Municipality.code)).all()
            if len(municipalities) < args.marks:
                sys.exit(f"only {len(municipalities)} municipalities: one organisation each")
            organisations = [Organisation(name=m.name_fi, kind="municipality", municipality_code=m.code)
                             for m in municipalities[:args.marks]]
            session.add_all(organisations)
            session.flush()
            for i, org in enumerate(organisations[:args.marks]):
                adopted = i % 2 == 0
                session.add(Adoption(entry_id=marked.id, organisation_id=org.id,
                                     status="adopted" if adopted else "interested",
                                     year=2015 + i % 10 if adopted else None,
                                     note=f"Muistiinpano {i}." if adopted else None,
                                     link="https://example.fi/" if adopted else None))
            session.commit()
        engine.dispose()
        app = create_app({"INSTANCE_DIR": f"{tmp}/instance", "DATABASE_URL": url, "SECRET_KEY": "bench",
                          "PUBLIC_URL": "http://localhost"})
        logging.getLogger("ideapankki.access").setLevel(logging.WARNING)  # no access lines between the figures
        client = app.test_client()
        for slug in ("merkitsematon", "merkitty"):
            page = client.get(f"/entries/{slug}")
            assert page.status_code == 200, page.status_code
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                client.get(f"/entries/{slug}")
                times.append((time.perf_counter() - start) * 1000)
            rows = page.text.count("<tr>")
            print(f"{slug:<14} median {statistics.median(times):7.1f} ms  best {min(times):7.1f} ms  "
                  f"{len(page.data) / 1024:6.1f} KiB  {rows} table rows")


if __name__ == "__main__":
    main()
