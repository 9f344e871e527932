"""The evidence package's file formats: HTML to PDF, PAdES signing and checking, the ZIP
with its manifest, and the recipient's verification of all three together."""

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pypdf import PdfReader

from chainproof.fileformats.html_pdf import (
    HtmlPdfError,
    PdfAttachment,
    pdf_attachment_read,
    pdf_from_html,
    pdf_page_count,
)
from chainproof.fileformats.package_zip import (
    EXHIBIT_INDEX_NAME,
    MANIFEST_NAME,
    PackageError,
    PackageFile,
    exhibit_index_json,
    package_verify,
    package_write,
)
from chainproof.fileformats.pdf_signing import (
    SigningError,
    pdf_sign,
    pdf_signature_check,
    signing_identity_generate,
    signing_identity_read,
)

PASSWORD = "correct horse battery staple"
COMPANY = "阿克苏华孚色纺有限公司"
HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>from the HTML</title>
<style>
  body {{ font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; font-size: 10pt; }}
  .break {{ break-before: page; }}
</style></head>
<body>
  <h1>Request for release of detained goods</h1>
  <p>Supplier: {COMPANY} (Aksu Huafu Dyed Melange Yarn Co., Ltd.)</p>
  <h2 class="break">Exhibits</h2>
  <p>Exhibit 1 is the commercial invoice.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def p12() -> bytes:
    return signing_identity_generate(
        common_name="Jane Doe", organization="Example Imports Inc.", password=PASSWORD
    )


def _exhibits(folder) -> list[PackageFile]:
    contents = {
        ("exhibits/001-invoice.pdf", "1"): b"%PDF-1.4 invoice " + bytes(range(256)),
        ("exhibits/002-packing-list.xlsx", "2"): b"PK\x03\x04 packing list",
        ("exhibits/002A-packing-list-translation.txt", "2A"): f"{COMPANY} 翻译".encode(),
    }
    files = []
    for (path, exhibit), data in contents.items():
        on_disk = folder / path.replace("/", "_")
        on_disk.write_bytes(data)
        files.append(
            PackageFile(
                path=path,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                open=lambda on_disk=on_disk: on_disk.open("rb"),
                exhibit=exhibit,
            )
        )
    return files


def _pdf_file(pdf: bytes, path: str = "package.pdf") -> PackageFile:
    return PackageFile(
        path=path,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        open=lambda: io.BytesIO(pdf),
    )


def _signed_pdf(p12: bytes, index: bytes) -> bytes:
    pdf = pdf_from_html(
        HTML,
        attachments=[PdfAttachment(EXHIBIT_INDEX_NAME, index, "The exhibits and their hashes")],
        title="Request for release",
        author="Example Imports Inc.",
    )
    return pdf_sign(pdf, p12=p12, password=PASSWORD, reason="Filed with CBP", location="NY")


@pytest.fixture(scope="module")
def built(p12, tmp_path_factory):
    """A complete package: the signed PDF and three exhibits, written to a file."""
    folder = tmp_path_factory.mktemp("package")
    exhibits = _exhibits(folder)
    signed = _signed_pdf(p12, exhibit_index_json(exhibits))
    target = folder / "package.zip"
    with target.open("wb") as out:
        manifest = package_write(
            out,
            files=[_pdf_file(signed), *exhibits],
            metadata={"case": "CBP-2025-0412", "importer": "Example Imports Inc."},
        )
    return {"zip": target, "pdf": signed, "manifest": manifest, "exhibits": exhibits}


def _rewrite(source, target, *, change=None, drop=(), add=None):
    """Copy a ZIP entry by entry, changing, dropping or adding entries (CRCs recomputed)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info)
            if change and info.filename in change:
                data = change[info.filename](data)
            new.writestr(info, data)
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def _flip(position: int):
    def change(data: bytes) -> bytes:
        changed = bytearray(data)
        changed[position] ^= 0x01
        return bytes(changed)

    return change


# HTML to PDF


def test_pdf_from_html_has_chinese_text_bookmarks_pages_and_the_attachment():
    pdf = pdf_from_html(
        HTML, attachments=[PdfAttachment("exhibit-index.json", b'[{"exhibit": "1"}]', "index")]
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert pdf_page_count(pdf) == 2 == len(reader.pages)
    assert COMPANY in reader.pages[0].extract_text()
    top = reader.outline
    assert [item.title for item in top if not isinstance(item, list)] == [
        "Request for release of detained goods"
    ]
    assert isinstance(top[1], list)
    assert [item.title for item in top[1]] == ["Exhibits"]
    assert pdf_attachment_read(pdf, "exhibit-index.json") == b'[{"exhibit": "1"}]'
    assert pdf_attachment_read(pdf, "other.json") is None
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(font.get_object()["/BaseFont"]) for font in fonts.values()]
    assert any(name.endswith("+Noto-Sans-CJK-SC") for name in names), names
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"] or (
            "/FontFile3" in descendant["/FontDescriptor"]
        )


def test_pdf_from_html_sets_title_and_author():
    reader = PdfReader(io.BytesIO(pdf_from_html(HTML, title="Filed", author="Example Inc.")))
    assert reader.metadata.title == "Filed"
    assert reader.metadata.author == "Example Inc."


@pytest.mark.parametrize(
    "html",
    [
        '<p>x</p><img src="https://example.com/logo.png">',
        '<link rel="stylesheet" href="http://127.0.0.1:1/style.css"><p>x</p>',
        '<style>@import url("file:///etc/hostname");</style><p>x</p>',
        '<style>@font-face { font-family: X; src: url("https://fonts.example/x.woff2"); }'
        "</style><p>x</p>",
    ],
)
def test_pdf_from_html_refuses_every_url_outside_the_document(html):
    with pytest.raises(HtmlPdfError, match="only resources inside the document"):
        pdf_from_html(html)


def test_pdf_from_html_uses_data_urls():
    pixel = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
        "AAAABJRU5ErkJggg=="
    )
    pdf = pdf_from_html(f'<p>logo</p><img src="data:image/png;base64,{pixel}">')
    assert pdf_page_count(pdf) == 1


def test_importing_weasyprint_leaves_pillow_refusing_truncated_images():
    from PIL import ImageFile  # WeasyPrint sets this flag for the whole process on import

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_pdf_page_count_of_something_else_says_so():
    with pytest.raises(ValueError, match="not a readable PDF"):
        pdf_page_count(b"not a pdf at all")


# Signing identities


def test_signing_identity_generate_and_read(p12):
    identity = signing_identity_read(p12, PASSWORD)
    assert "CN=Jane Doe" in identity.subject
    assert "O=Example Imports Inc." in identity.subject
    _, certificate, _ = pkcs12.load_key_and_certificates(p12, PASSWORD.encode())
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert identity.fingerprint_sha256 == hashlib.sha256(der).hexdigest()
    assert identity.not_before <= datetime.now(UTC) < identity.not_after
    assert timedelta(days=364) < identity.not_after - identity.not_before < timedelta(days=366)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment


def test_wrong_password_is_said_in_words(p12):
    with pytest.raises(SigningError, match=r"^the password does not open this certificate bundle$"):
        signing_identity_read(p12, "wrong password")


@pytest.mark.parametrize("garbage", [b"", b"garbage" * 50, b"\x30\x82\x01\x00" + bytes(256)])
def test_garbage_is_not_a_certificate_bundle(garbage):
    with pytest.raises(SigningError, match=r"^the file is not a PKCS#12 certificate bundle$"):
        signing_identity_read(garbage, PASSWORD)


def test_expired_certificate_is_refused_with_its_date(p12):
    identity = signing_identity_read(p12, PASSWORD)
    later = identity.not_after + timedelta(days=1)
    with pytest.raises(SigningError, match=r"^the certificate expired on ") as raised:
        signing_identity_read(p12, PASSWORD, at=later)
    assert identity.not_after.date().isoformat() in str(raised.value)


def test_bundle_without_private_key_is_refused(p12):
    _, certificate, _ = pkcs12.load_key_and_certificates(p12, PASSWORD.encode())
    certificate_only = pkcs12.serialize_key_and_certificates(
        name=b"only",
        key=None,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(PASSWORD.encode()),
    )
    with pytest.raises(SigningError, match="no private key"):
        signing_identity_read(certificate_only, PASSWORD)
    with pytest.raises(SigningError, match="no private key"):
        pdf_sign(pdf_from_html(HTML), p12=certificate_only, password=PASSWORD, reason="x")


# Signatures


def test_signed_weasyprint_pdf_checks_out(built, p12):
    identity = signing_identity_read(p12, PASSWORD)
    check = pdf_signature_check(built["pdf"], expected_fingerprint=identity.fingerprint_sha256)
    assert check.problem == ""
    assert check.signed
    assert check.intact
    assert check.covers_whole_file
    assert check.signer == identity.subject
    assert check.fingerprint_sha256 == identity.fingerprint_sha256
    assert check.signed_at is not None
    assert abs(check.signed_at - datetime.now(UTC)) < timedelta(minutes=10)
    # the signature is appended: the PDF as rendered is still there at the start
    assert pdf_page_count(built["pdf"]) == 2
    assert json.loads(pdf_attachment_read(built["pdf"], EXHIBIT_INDEX_NAME))


def test_signature_by_another_certificate_is_a_problem(built):
    check = pdf_signature_check(built["pdf"], expected_fingerprint="ab" * 32)
    assert check.intact
    assert "signed by another certificate" in check.problem


def test_unsigned_and_unreadable_pdfs_are_reported():
    unsigned = pdf_signature_check(pdf_from_html(HTML))
    assert (unsigned.signed, unsigned.problem) == (False, "the PDF is not signed")
    junk = pdf_signature_check(b"%PDF-1.7\nnothing else")
    assert (junk.signed, junk.problem) == (False, "the file is not a readable PDF")


def test_content_appended_after_signing_is_reported(built):
    check = pdf_signature_check(built["pdf"] + b"\n1 0 obj\n(added)\nendobj\n")
    assert check.intact
    assert not check.covers_whole_file
    assert check.problem.startswith("the PDF was changed after it was signed")


def _signed_range(pdf: bytes) -> list[int]:
    reader = PdfReader(io.BytesIO(pdf))
    signature = reader.trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()["/V"]
    start1, length1, start2, length2 = (int(value) for value in signature["/ByteRange"])
    assert start1 == 0
    assert start2 + length2 == len(pdf)
    return [*range(start1, start1 + length1), *range(start2, start2 + length2)]


def test_any_changed_byte_in_the_signed_range_breaks_the_signature_without_raising(built):
    pdf = built["pdf"]
    covered = _signed_range(pdf)
    positions = [*covered[:: max(1, len(covered) // 40)], len(pdf) // 2, covered[-1]]
    assert len(positions) > 20
    changed_after_signing = 0
    for position in positions:
        check = pdf_signature_check(_flip(position)(pdf))
        if check.problem == "the file is not a readable PDF":  # a flip in the structure
            continue
        assert check.signed, position
        assert not check.intact, position
        assert check.problem == (
            "the PDF was changed after it was signed (the signed bytes no longer match)"
        )
        changed_after_signing += 1
    assert changed_after_signing > len(positions) // 2


def test_pdf_sign_refuses_a_wrong_password_and_a_non_pdf(p12):
    with pytest.raises(SigningError, match="password does not open"):
        pdf_sign(pdf_from_html(HTML), p12=p12, password="nope", reason="x")
    with pytest.raises(SigningError, match="not a readable PDF"):
        pdf_sign(b"hello", p12=p12, password=PASSWORD, reason="x")


# The package


def test_package_verifies_and_its_manifest_can_be_recomputed(built):
    report = package_verify(built["zip"])
    assert report.problems == []
    assert report.ok
    assert report.files_checked == 4
    assert report.signature is not None
    assert report.signature.intact
    manifest = report.manifest
    assert manifest == built["manifest"]
    assert manifest["format"] == "chainproof-package/1"
    assert manifest["metadata"]["case"] == "CBP-2025-0412"
    assert [entry["exhibit"] for entry in manifest["files"]] == ["", "1", "2", "2A"]
    recomputed = hashlib.sha256(
        json.dumps(
            manifest["files"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")
    ).hexdigest()
    assert manifest["package_sha256"] == recomputed
    with zipfile.ZipFile(built["zip"]) as archive:
        assert archive.namelist()[-1] == MANIFEST_NAME
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
        assert (
            archive.read("exhibits/002A-packing-list-translation.txt").decode().startswith(COMPANY)
        )


def test_a_changed_exhibit_is_named(built, tmp_path):
    path = "exhibits/002-packing-list.xlsx"
    changed = _rewrite(built["zip"], tmp_path / "p.zip", change={path: _flip(5)})
    report = package_verify(changed)
    assert not report.ok
    expected = next(e["sha256"] for e in built["manifest"]["files"] if e["path"] == path)
    with zipfile.ZipFile(changed) as archive:
        found = hashlib.sha256(archive.read(path)).hexdigest()
    assert report.problems == [
        f"{path}: SHA-256 differs from the manifest (expected {expected[:8]}…, found {found[:8]}…)"
    ]
    assert report.files_checked == 4
    assert report.signature is not None
    assert report.signature.problem == ""


def test_a_byte_changed_in_place_is_caught_by_the_zip_check(built, tmp_path):
    data = bytearray(built["zip"].read_bytes())
    marker = b"PK\x03\x04 packing list"
    at = data.index(marker, 30) + 6  # inside the stored entry's bytes
    data[at] ^= 0x01
    target = tmp_path / "p.zip"
    target.write_bytes(bytes(data))
    report = package_verify(target)
    assert not report.ok
    assert any(p.startswith("exhibits/002-packing-list.xlsx: ") for p in report.problems)


def test_a_changed_pdf_reports_the_signature(built, tmp_path):
    position = _signed_range(built["pdf"])[len(built["pdf"]) // 3]
    changed = _rewrite(built["zip"], tmp_path / "p.zip", change={"package.pdf": _flip(position)})
    report = package_verify(changed)
    assert not report.ok
    assert report.signature is not None
    assert report.signature.problem
    assert f"package.pdf: {report.signature.problem}" in report.problems
    assert any(p.startswith("package.pdf: SHA-256 differs") for p in report.problems)


def test_a_removed_file_is_named(built, tmp_path):
    path = "exhibits/001-invoice.pdf"
    report = package_verify(_rewrite(built["zip"], tmp_path / "p.zip", drop={path}))
    assert not report.ok
    assert f"{path}: listed in the manifest but missing from the package" in report.problems


def test_an_unlisted_file_is_named(built, tmp_path):
    extra = {"exhibits/004-extra.txt": b"slipped in"}
    report = package_verify(_rewrite(built["zip"], tmp_path / "p.zip", add=extra))
    assert report.problems == [
        "exhibits/004-extra.txt: in the package but not listed in the manifest"
    ]


def test_a_missing_manifest_or_a_changed_files_list_is_named(built, tmp_path):
    report = package_verify(_rewrite(built["zip"], tmp_path / "a.zip", drop={MANIFEST_NAME}))
    assert "manifest.json is missing from the package" in report.problems

    def reorder(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["files"].reverse()
        return json.dumps(manifest).encode()

    report = package_verify(
        _rewrite(built["zip"], tmp_path / "b.zip", change={MANIFEST_NAME: reorder})
    )
    assert [p for p in report.problems if "package_sha256" in p], report.problems


def test_an_exhibit_index_that_differs_from_the_manifest_is_named(p12, tmp_path):
    exhibits = _exhibits(tmp_path)
    index = json.loads(exhibit_index_json(exhibits))
    index[1]["sha256"] = "0" * 64  # the signed index promises other bytes for exhibit 2
    del index[2]  # and does not mention the translation
    signed = _signed_pdf(p12, json.dumps(index).encode())
    target = tmp_path / "p.zip"
    with target.open("wb") as out:
        package_write(out, files=[_pdf_file(signed), *exhibits], metadata={})
    report = package_verify(target)
    assert not report.ok
    assert report.signature is not None
    assert report.signature.problem == ""
    assert len(report.problems) == 2, report.problems
    changed, missing = report.problems
    assert changed.startswith(
        "exhibits/002-packing-list.xlsx: sha256 in the signed PDF's exhibit-index.json is "
        "00000000…, the manifest says"
    )
    assert missing.startswith("exhibits/002A-packing-list-translation.txt: exhibit 2A is in ")


def test_an_unsigned_pdf_without_an_index_is_reported(tmp_path):
    pdf = pdf_from_html(HTML)
    target = tmp_path / "p.zip"
    with target.open("wb") as out:
        package_write(out, files=[_pdf_file(pdf), *_exhibits(tmp_path)], metadata={})
    report = package_verify(target)
    assert "package.pdf: the PDF is not signed" in report.problems
    assert "package.pdf: exhibit-index.json is not attached to the PDF" in report.problems


def test_package_write_refuses_a_file_that_changed_since_it_was_recorded(tmp_path):
    exhibits = _exhibits(tmp_path)
    changed = PackageFile(
        path="exhibits/009-photo.jpg",
        size=5,
        sha256=hashlib.sha256(b"other").hexdigest(),
        open=lambda: io.BytesIO(b"bytes"),
        exhibit="9",
    )
    with pytest.raises(PackageError, match=r"^exhibits/009-photo\.jpg: SHA-256 differs"):
        package_write(io.BytesIO(), files=[*exhibits, changed], metadata={})
    shorter = PackageFile("exhibits/010.txt", 99, "0" * 64, lambda: io.BytesIO(b"abc"), "10")
    with pytest.raises(PackageError, match=r"^exhibits/010\.txt: the file has 3 bytes, 99 were"):
        package_write(io.BytesIO(), files=[shorter], metadata={})


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/etc/passwd", "must be relative"),
        ("C:/exhibits/a.pdf", "must be relative"),
        ("exhibits/../../a.pdf", "'..' is not allowed"),
        ("exhibits\\a.pdf", "backslashes"),
        ("exhibits//a.pdf", "empty or '.' folder"),
        ("manifest.json", "reserved"),
        ("", "empty"),
    ],
)
def test_package_write_refuses_unsafe_paths(path, message):
    item = PackageFile(path, 1, hashlib.sha256(b"x").hexdigest(), lambda: io.BytesIO(b"x"), "1")
    with pytest.raises(PackageError, match=message):
        package_write(io.BytesIO(), files=[item], metadata={})


def test_package_write_refuses_a_path_given_twice():
    item = PackageFile("a.txt", 1, hashlib.sha256(b"x").hexdigest(), lambda: io.BytesIO(b"x"))
    with pytest.raises(PackageError, match=r"^a\.txt: the path appears twice"):
        package_write(io.BytesIO(), files=[item, item], metadata={})


def test_package_write_streams_in_chunks(tmp_path):
    data = bytes(range(256)) * (3 * 4096 + 7)  # more than two chunks of 1 MiB

    class Counting(io.BytesIO):
        largest = 0

        def read(self, size=-1):
            assert size not in (-1, None), "the whole file was read at once"
            chunk = super().read(size)
            Counting.largest = max(Counting.largest, len(chunk))
            return chunk

    item = PackageFile(
        "big.bin", len(data), hashlib.sha256(data).hexdigest(), lambda: Counting(data)
    )
    out = io.BytesIO()
    package_write(out, files=[item], metadata={})
    assert Counting.largest <= 1024 * 1024
    with zipfile.ZipFile(out) as archive:
        assert archive.read("big.bin") == data


def test_zip_bombs_are_not_opened(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", bytes(5 * 1024 * 1024))
    report = package_verify(bomb)
    assert not report.ok
    assert report.manifest is None
    assert report.files_checked == 0
    assert len(report.problems) == 1
    assert report.problems[0].startswith("zeros.bin: compressed ")
    assert "more than 100 times" in report.problems[0]


def test_declared_size_over_the_limit_is_not_opened(built):
    report = package_verify(built["zip"], max_total_size=1000)
    assert not report.ok
    assert report.files_checked == 0
    assert "more than the limit of 1,000" in report.problems[0]


def test_not_a_zip_is_said_in_words(tmp_path):
    target = tmp_path / "p.zip"
    target.write_bytes(b"%PDF-1.7 this is a PDF, not a ZIP")
    report = package_verify(target)
    assert not report.ok
    assert report.problems[0].startswith("the package is not a readable ZIP archive")


def test_package_verify_reads_an_open_file(built):
    with built["zip"].open("rb") as handle:
        assert package_verify(handle).ok


def test_signing_and_checking_work_inside_a_running_event_loop():
    """pyHanko runs asyncio.run inside; an async caller (a browser test, an async view)
    must still get a signature and its check."""
    import asyncio

    from chainproof.fileformats.html_pdf import pdf_from_html
    from chainproof.fileformats.pdf_signing import (
        pdf_sign,
        pdf_signature_check,
        signing_identity_generate,
    )

    bundle = signing_identity_generate(
        common_name="Loop test", organization="Acme", password="pw-1"
    )
    pdf = pdf_from_html("<h1>Inside a loop</h1>")

    async def inside() -> tuple[bytes, object]:
        signed = pdf_sign(pdf, p12=bundle, password="pw-1", reason="test")
        return signed, pdf_signature_check(signed)

    _signed, check = asyncio.run(inside())
    assert check.signed
    assert check.intact
    assert check.problem == ""
