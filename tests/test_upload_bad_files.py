"""Every bad file of the corpus: a clear message (problem + fix, Finnish and English), no traceback, and
the warehouse byte-for-byte as it was (checksum of every table's rows)."""

import pytest

from data_sources import uploads
from ui.upload import error_report_xlsx, issue_text

from .upload_files import bad_files, checksum

CORPUS = bad_files()


@pytest.fixture(scope="module")
def wh(warehouse_copy):
    engine = warehouse_copy("bad")
    return engine, checksum(engine)


def test_corpus_is_big_enough_and_distinct():
    assert len(CORPUS) >= 25
    assert len({b.name for b in CORPUS}) == len(CORPUS)
    assert len({b.expected for b in CORPUS}) >= 20


HEADER_ISSUES = ("missing_columns", "share_without_denominator")


@pytest.mark.parametrize("bad", CORPUS, ids=[b.name for b in CORPUS])
def test_bad_file_is_refused_clearly_and_changes_nothing(bad, wh):
    engine, before = wh
    data = bad.make()
    v = uploads.check_file(engine, data, bad.file_name, bad.dataset, registry_ids=("care_guarantee_7d",))
    assert not v.ok
    assert bad.expected in v.counts, f"expected {bad.expected}, got {v.counts}"
    issue = next(i for i in v.issues if i.code == bad.expected)
    for lang in ("fi", "en"):
        problem, fix = issue_text(issue, v.spec, lang)
        assert len(problem) > 10 and len(fix) > 10
        assert "{" not in problem + fix
    if issue.code in HEADER_ISSUES:                 # header problems name the header row used and what it had
        assert issue.row == issue.params["header_row"] and issue.params["headers"]
    elif issue.row is not None:                     # cell problems say where
        assert issue.row >= 2 and (issue.cell or issue.column or issue.code == "duplicate_key")
    report = error_report_xlsx(v, "fi")
    assert report[:2] == b"PK" and len(report) > 2000
    with pytest.raises(uploads.UploadError) as exc:
        uploads.ingest(engine, v, "testi")
    assert exc.value.code == "not_valid"
    assert checksum(engine) == before
