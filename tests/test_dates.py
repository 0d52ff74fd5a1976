"""Dates keep the precision they were written with: a month and year is never shown as a day."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path

import lxml.html
import pytest

from pipeline.readers.dates import MonthYear, ends, read_date, shown

MONTHS = ["March 2027", "Mar 2027", "march 2027", "03/2027", "3/2027", "03.2027", "3-2027", "2027-03",
          "March, 2027", "MAR 2027", "Mar. 2027"]
DAYS = [("12 March 2027", 12), ("12/03/2027", 12), ("2027-03-12", 12), ("1st March 2027", 1),
        ("1 March 2027", 1), ("01/03/2027", 1), ("March 12, 2027", 12)]


@pytest.mark.parametrize("text", MONTHS)
def test_a_month_and_year_is_read_as_a_month(text: str) -> None:
    date = read_date(text)
    assert isinstance(date, MonthYear) and (date.year, date.month) == (2027, 3), (text, date)
    assert shown(date) == "March 2027" and date.isoformat() == "2027-03" and str(date) == "2027-03"
    assert pickle.loads(pickle.dumps(date)) == date and type(pickle.loads(pickle.dumps(date))) is MonthYear


@pytest.mark.parametrize(("text", "day"), DAYS)
def test_a_written_day_is_kept(text: str, day: int) -> None:
    date = read_date(text)
    assert date is not None and not isinstance(date, MonthYear) and (date.month, date.day) == (3, day), text
    assert shown(date) == f"{day} March 2027"


def test_a_month_lasts_to_its_last_day_and_arithmetic_gives_days() -> None:
    assert ends(MonthYear(2028, 2, 1)) == dt.date(2028, 2, 29) and ends(MonthYear(2027, 12, 1)) == dt.date(2027, 12, 31)
    assert ends(dt.date(2027, 3, 12)) == dt.date(2027, 3, 12)
    later = MonthYear(2027, 3, 1) + dt.timedelta(days=1)
    assert type(later) is dt.date and later == dt.date(2027, 3, 2), "a day after a month is a day, not a month"
    assert type(MonthYear(2027, 3, 1) - dt.timedelta(days=1)) is dt.date
    assert read_date("13/2027") is None


def test_review_due_in_a_month_is_overdue_only_after_that_month() -> None:
    from types import SimpleNamespace

    from pipeline.issuing import review_due

    book = SimpleNamespace(leaflet=SimpleNamespace(meta=SimpleNamespace(next_review=MonthYear(2027, 3, 1))))
    state, words = review_due(book, dt.date(2027, 3, 31))  # type: ignore[arg-type]
    assert state == "due-soon" and "March 2027" in words and "1 March" not in words
    state, words = review_due(book, dt.date(2027, 4, 1))  # type: ignore[arg-type]
    assert state == "overdue" and words == "the next review was due March 2027"
    state, words = review_due(book, dt.date(2026, 1, 1))  # type: ignore[arg-type]
    assert (state, words) == ("ok", "next review due March 2027")
    dated = SimpleNamespace(leaflet=SimpleNamespace(meta=SimpleNamespace(next_review=dt.date(2027, 3, 12))))
    assert review_due(dated, dt.date(2027, 3, 13))[0] == "overdue"  # type: ignore[arg-type]


def test_month_precision_everywhere_a_date_is_shown(run_cli) -> None:  # type: ignore[no-untyped-def]
    """``info``, ``request --list``, the record, the catalogue page and ``check``: month and year, as written."""
    source = "leaflets/RAD_0102-ct-guided-lung-biopsy.md"
    info = json.loads(run_cli("info", source).out)
    assert (info["reviewed"], info["next_review"]) == ("2026-09", "2028-09")
    listing = run_cli("request", "lung", "--list").out
    assert "next review due September 2028" in listing and "1 September" not in listing
    assert run_cli("request", "lung", "--format", "text", "--ref", "T-1").code == 0
    assert run_cli("index").code == 0
    page = lxml.html.document_fromstring(Path("output/index.html").read_text(encoding="utf-8"))
    body = " ".join(page.find("body").itertext())
    assert "September 2028" in body and "1 September 2028" not in body and "1 September 2026" not in body
    Path(source).write_text(Path(source).read_text(encoding="utf-8").replace("September 2028", "May 2021"),
                            encoding="utf-8")
    check = run_cli("check", source)
    assert "the next review was due May 2021" in check.out and "1 May" not in check.out
